from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "yrkesresan.reports"
    verbose_name = _("Reports")

    def ready(self):
        from yrkesresan.evaluations.signals import answers_moved
        from yrkesresan.rounds.models import CourseDay

        from . import receivers

        answers_moved.connect(receivers.answers_moved, dispatch_uid="reports-tally-moved")
        post_delete.connect(
            receivers.course_day_deleted, sender=CourseDay, dispatch_uid="reports-tally-day"
        )
