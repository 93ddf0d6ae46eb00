from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("omgangar/<int:pk>/utbildare/", views.round_staffing, name="round_staffing"),
    path(
        "omgangar/<int:pk>/utbildare/kursansvarig/",
        views.set_course_leader,
        name="set_course_leader",
    ),
    path("omgangar/<int:pk>/utbildare/team/", views.create_team, name="create_team"),
    path("omgangar/<int:pk>/utbildare/team/<int:team>/", views.change_team, name="change_team"),
    path(
        "omgangar/<int:pk>/utbildare/team/<int:team>/ta-bort/",
        views.remove_team,
        name="remove_team",
    ),
    path("omgangar/<int:pk>/utbildare/dag/<int:day>/", views.assign_day, name="assign_day"),
    path(
        "omgangar/<int:pk>/utbildare/dag/<int:day>/overlamning/",
        views.handover_note,
        name="handover_note",
    ),
    path("mina-dagar/", views.my_days, name="my_days"),
]
