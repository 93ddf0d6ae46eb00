from django.urls import path

from . import catalog_views as views

app_name = "catalog"

urlpatterns = [
    path("resor/", views.journey_list, name="journeys"),
    path("resor/<slug:slug>/", views.journey_detail, name="journey"),
    path("kurser/<slug:slug>/", views.course_detail, name="course"),
    path("kunskapsbank/", views.knowledge_bank, name="knowledge_bank"),
]
