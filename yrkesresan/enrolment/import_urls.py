from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/import/", import_views.upload, name="upload"),
    path("<int:pk>/import/forhandsgranskning/", import_views.preview, name="preview"),
    path("<int:pk>/import/genomfor/", import_views.apply, name="apply"),
    path("import/<int:pk>/", import_views.job, name="job"),
]
