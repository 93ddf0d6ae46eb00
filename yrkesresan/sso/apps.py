from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "yrkesresan.sso"
    verbose_name = "Federated login"

    def ready(self):
        from yrkesresan.accounts import privacy

        from . import services, two_factor  # noqa: F401 (two_factor connects the login signal)

        privacy.person_erased.connect(services.forget_devices, dispatch_uid="sso_forget_devices")
