"""Exports prepared in the background: the job, its progress and its file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    """One Excel export of a report, built by the worker (reports.tasks.build_export) for the
    person who asked for it; only they can follow it and fetch the file."""

    class Kind(models.TextChoices):
        NATION = "nation", _("The nation in figures")
        REGION = "region", _("The region in figures")
        COMPARISON = "comparison", _("Physical and digital days compared")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    # The report's filters, as its page's query string gives them.
    parameters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    content = models.BinaryField(_("file"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_at_most_100"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
