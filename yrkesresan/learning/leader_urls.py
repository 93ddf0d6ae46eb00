from django.urls import path

from . import leader_views as views

app_name = "leader"

urlpatterns = [
    path("omgangar/<int:pk>/narvaro/", views.attendance_days, name="attendance_days"),
    path("omgangar/<int:pk>/narvaro/<int:number>/", views.attendance_day, name="attendance"),
    path(
        "omgangar/<int:pk>/narvaro/<int:number>/<int:registration>/",
        views.mark_attendance,
        name="mark_attendance",
    ),
    path("omgangar/<int:pk>/forberedelse/", views.preparation, name="preparation"),
    path("omgangar/<int:pk>/uppgifter/", views.review_list, name="review"),
    path("omgangar/<int:pk>/uppgifter/<int:answer>/", views.review_answer, name="review_answer"),
    path("omgangar/<int:pk>/klarmarkering/", views.completion_page, name="completion"),
    path("omgangar/<int:pk>/ersattningsdagar/", views.make_up_days, name="make_up_days"),
    path("omgangar/<int:pk>/ersattningsdagar/boka/", views.book_make_up, name="book_make_up"),
    path(
        "omgangar/<int:pk>/ersattningsdagar/<int:booking>/avboka/",
        views.cancel_make_up,
        name="cancel_make_up",
    ),
    path("intyg/", views.verify, name="verify"),
    path("intyg/pdf/<int:pk>/", views.certificate, name="certificate"),
    path("intyg/<str:code>/", views.verify_code, name="verify_code"),
]
