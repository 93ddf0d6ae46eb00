from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/vem-har-sett-mina-uppgifter/", views.my_trail, name="my_trail"),
    path("personuppgiftslogg/", views.staff_trail, name="staff_trail"),
    path("mina-uppgifter/", views.my_data, name="my_data"),
    path("mina-uppgifter.json", views.my_data_download, {"kind": "json"}, name="my_data_json"),
    path("mina-uppgifter.pdf", views.my_data_download, {"kind": "pdf"}, name="my_data_pdf"),
    path("personal/<int:pk>/radera/", views.erase_person, name="erase_person"),
    path("behandlingar/", views.processing_record, name="processing_record"),
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
    path("api-nycklar/<int:pk>/aterkalla/", views.revoke_api_token, name="revoke_api_token"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("losenord/glomt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "losenord/glomt/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path("losenord/ny/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
