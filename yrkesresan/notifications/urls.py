from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.feed_settings, name="feed_settings"),
    path("<slug:token>.ics", views.feed, name="feed"),
]
