from django.urls import path

from . import participant_views as views

app_name = "participant"

urlpatterns = [
    path("min-resa/<slug:journey>/sett-steg/", views.step_seen, name="step_seen"),
    path(
        "min-resa/kurser/<slug:slug>/forberedelser/",
        views.preparation_list,
        name="preparation",
    ),
    path(
        "min-resa/kurser/<slug:slug>/forberedelser/<int:pk>/",
        views.preparation_module,
        name="preparation_module",
    ),
    path(
        "min-resa/kurser/<slug:slug>/forberedelser/<int:pk>/klar/",
        views.preparation_done,
        name="preparation_done",
    ),
    path(
        "min-resa/kurser/<slug:slug>/forberedelser/<int:pk>/anteckningar/",
        views.preparation_notes,
        name="preparation_notes",
    ),
    path("mina-kurser/<int:pk>/", views.my_course_page, name="my_course"),
    path(
        "mina-kurser/<int:pk>/fordjupning/<int:task>/",
        views.deep_dive_answer,
        name="deep_dive",
    ),
]
