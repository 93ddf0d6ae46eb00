from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("omgangar/<int:pk>/", views.answer, name="answer"),
    path("omgangar/<int:pk>/tack/", views.thanks, name="thanks"),
    path("omgangar/<int:pk>/resultat/", views.round_results, name="round_results"),
    path("kurser/<slug:slug>/", views.course_comparison, name="course_comparison"),
]
