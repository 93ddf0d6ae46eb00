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
    path("mina-dagar/planerad/<int:assignment>/", views.answer_day, name="answer_day"),
    path("mina-dagar/tillganglighet/", views.availability, name="availability"),
    path("planering/", views.plans_index, name="plans"),
    path("utbildarpool/ansok/", views.apply_to_pool, name="apply"),
    path("utbildarpool/ansokningar/", views.manager_applications, name="manager_applications"),
    path(
        "utbildarpool/ansokningar/<int:membership>/",
        views.manager_decide,
        name="manager_decide",
    ),
    path(
        "utbildarpool/<int:membership>/beslut/",
        views.coordinator_decide,
        name="coordinator_decide",
    ),
    path(
        "utbildarpool/<int:membership>/ta-bort/",
        views.remove_from_pool,
        name="remove_from_pool",
    ),
    path(
        "utbildarpool/<int:membership>/utbildarutbildning/",
        views.record_training,
        name="record_training",
    ),
    path("utbildarpool/personal/", views.staff_availability, name="staff_availability"),
    path(
        "utbildarpool/personal/<int:membership>/dra-tillbaka/",
        views.withdraw_date,
        name="withdraw_date",
    ),
    path("planering/<int:structure>/pool/", views.pool_page, name="pool"),
    path("planering/<int:structure>/<str:term>/", views.term_plan, name="term_plan"),
    path("planering/<int:structure>/<str:term>/foresla/", views.propose_plan, name="propose_plan"),
    path("planering/plan/<int:plan>/las/", views.lock_team, name="lock_team"),
    path("planering/plan/<int:plan>/acceptera/", views.accept_plan, name="accept_plan"),
]
