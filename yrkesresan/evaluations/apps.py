from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "yrkesresan.evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from yrkesresan.enrolment.signals import course_completed

        from .services import invite

        course_completed.connect(invite)
