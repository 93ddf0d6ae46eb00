from django.urls import path

from . import views

app_name = "enrolment"

# Mounted under omgangar/, beside rounds' planning pages.
urlpatterns = [
    path("<int:pk>/", views.detail, name="round"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/narvarolista/", views.attendance_list, name="attendance_list"),
    path("<int:pk>/narvarolista.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/anmal/", views.register, name="register"),
    path("anmal-flera/", views.register_many, name="register_many"),
    path("nyanstalld/", views.new_hire, name="new_hire"),
    path("anmalan/<int:pk>/avanmal/", views.cancel, name="cancel"),
]
