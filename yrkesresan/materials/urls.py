from django.urls import path

from . import views

app_name = "materials"

urlpatterns = [
    path("trasiga-lankar/", views.broken_links, name="broken_links"),
    path("<slug:slug>/", views.participant_material, name="course"),
    path("<slug:slug>/utbildare/", views.trainer_material, name="trainer"),
    path("<slug:slug>/<int:pk>/", views.material_item, name="item"),
    path("<slug:slug>/<int:pk>/fil/", views.material_file, name="file"),
    path("<slug:slug>/utbildare/last/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/ny/", views.add, name="add"),
    path("omgang/<int:pk>/lasning/", views.readers, name="readers"),
]
