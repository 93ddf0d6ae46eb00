from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("personal/", views.staff_list, name="staff"),
    path("personal/<int:pk>/", views.person_detail, name="person"),
    path("personal/<int:pk>/steg/<slug:journey>/", views.set_placement, name="set_placement"),
    path("personal/<int:pk>/roll-i-arbetet/", views.work_role, name="set_work_role"),
    path("resor/<slug:journey>/mitt-steg/", views.choose_step, name="choose_step"),
]
