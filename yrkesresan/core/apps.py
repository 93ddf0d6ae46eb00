from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yrkesresan.core"
    verbose_name = _("Audit log and system")

    def ready(self):
        from .checked_text import refuse_unchecked_text

        # Every model of every app: the receiver keeps to the project's own.
        pre_save.connect(refuse_unchecked_text, dispatch_uid="core.refuse_unchecked_text")
