from django.urls import path

from . import colleague_views as views

app_name = "colleagues"

urlpatterns = [
    path("", views.search, name="search"),
]
