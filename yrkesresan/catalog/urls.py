from django.urls import path

from . import views

app_name = "editor"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("<slug:slug>/", views.edit, name="edit"),
    path("<slug:slug>/forhandsgranska/", views.preview, name="preview"),
    path("<slug:slug>/publicera/", views.publish, name="publish"),
    path("<slug:slug>/versioner/", views.versions, name="versions"),
]
