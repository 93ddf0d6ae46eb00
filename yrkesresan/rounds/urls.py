from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("", views.term_overview, name="term_overview"),
    path("ny/", views.create, name="create"),
    path("kapacitet/", views.capacity, name="capacity"),
    path("min-personal/", views.my_staff, name="my_staff"),
    path("lokaler/", views.venues, name="venues"),
    path("lokaler/ny/", views.venue_form, name="venue_create"),
    path("lokaler/<int:pk>/", views.venue_form, name="venue_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/kopiera/", views.copy, name="copy"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/dagar/<int:number>/", views.day_edit, name="day_edit"),
    path("<int:pk>/dagar/<int:number>/logistik/", views.logistics, name="logistics"),
    path("<int:pk>/narvarolista/", views.attendance_list, name="attendance_list"),
    path("<int:pk>/narvarolista.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/avgifter.xlsx", views.fees_xlsx, name="fees_xlsx"),
    path("<int:pk>/anmal/", views.register, name="register"),
    path("anmalan/<int:pk>/avanmal/", views.cancel, name="cancel"),
]
