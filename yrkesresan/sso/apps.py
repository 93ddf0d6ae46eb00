from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "yrkesresan.sso"
    verbose_name = "Federated login"

    def ready(self):
        from . import two_factor  # noqa: F401 (connects the login signal)
