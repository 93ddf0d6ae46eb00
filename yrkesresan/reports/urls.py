from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.county_list, name="counties"),
    path("lan/<str:code>/", views.county_detail, name="county"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality"),
]
