from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "yrkesresan.sso"
    verbose_name = "Federated login"
