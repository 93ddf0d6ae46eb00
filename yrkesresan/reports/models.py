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


class ModeTally(models.Model):
    """One round's answers to one day question on a scale in one mode of day, counted: how
    many people answered and how many answers gave each score. The physical/digital
    comparison reads these, one row per round, question and mode, instead of every answer.

    Kept by reports.services.tally_rounds, from the round's answers, whenever the evaluations
    move a batch of answers in (evaluations.signals.answers_moved) and when a course day, and
    so its answers, is deleted. Nothing here is finer than the answers themselves."""

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    question = models.ForeignKey(
        "evaluations.Question",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("question"),
    )
    mode = models.CharField(_("mode"), max_length=10)
    people = models.PositiveIntegerField(_("people"))
    score_1 = models.PositiveIntegerField(_("answers scoring 1"), default=0)
    score_2 = models.PositiveIntegerField(_("answers scoring 2"), default=0)
    score_3 = models.PositiveIntegerField(_("answers scoring 3"), default=0)
    score_4 = models.PositiveIntegerField(_("answers scoring 4"), default=0)
    score_5 = models.PositiveIntegerField(_("answers scoring 5"), default=0)

    class Meta:
        verbose_name = _("answers per mode, counted")
        verbose_name_plural = _("answers per mode, counted")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "mode"], name="one_tally_per_round_question_mode"
            )
        ]

    def __str__(self):
        return f"{self.round_id}/{self.question_id}/{self.mode}: {self.people}"
