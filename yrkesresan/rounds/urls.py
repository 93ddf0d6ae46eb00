from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("ny/", views.create, name="create"),
    path("lokaler/", views.venues, name="venues"),
    path("lokaler/ny/", views.venue_form, name="venue_create"),
    path("lokaler/<int:pk>/", views.venue_form, name="venue_edit"),
    path("<int:pk>/kopiera/", views.copy, name="copy"),
    path("<int:pk>/version/", views.version, name="version"),
    path("<int:pk>/dagar/<int:number>/", views.day_edit, name="day_edit"),
    path("<int:pk>/dagar/<int:number>/logistik/", views.logistics, name="logistics"),
]
