from django.urls import path

from . import views

app_name = "materials"

urlpatterns = [
    path("<slug:slug>/", views.participant_material, name="course"),
    path("<slug:slug>/utbildare/", views.trainer_material, name="trainer"),
    path("<slug:slug>/<int:pk>/", views.material_item, name="item"),
]
