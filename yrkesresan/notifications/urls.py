from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.feed_settings, name="feed_settings"),
    path("<slug:token>.ics", views.feed, name="feed"),
    path("omgang/<int:round_id>/utskick/", views.round_mail, name="round_mail"),
    path("omgang/<int:round_id>/utskick/skicka-igen/", views.resend, name="resend"),
    path("omgang/<int:round_id>/utskick/paminn-nu/", views.remind_now, name="remind_now"),
]
