from django.urls import path

from . import record_views as views

app_name = "record"

urlpatterns = [
    path("mitt-register/", views.my_record, name="mine"),
    path("mitt-register.pdf", views.my_record_download, {"kind": "pdf"}, name="mine_pdf"),
    path("mitt-register.json", views.my_record_download, {"kind": "json"}, name="mine_json"),
    path(
        "personal/<int:pk>/register.pdf",
        views.person_record_download,
        {"kind": "pdf"},
        name="person_pdf",
    ),
    path(
        "personal/<int:pk>/register.json",
        views.person_record_download,
        {"kind": "json"},
        name="person_json",
    ),
    path("personal/<int:pk>/flytt/", views.move, name="move"),
]
