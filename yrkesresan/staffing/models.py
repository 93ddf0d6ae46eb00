"""Trainers on the course days: a round's teams and which team takes which day.

The course leader is not modelled here: it is `Round.course_leader`, written by
`services.set_course_leader`, and counts as present on every day of the round.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A group of trainers that delivers some of a round's days together."""

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.CASCADE, related_name="teams", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example Team 1."))
    # Only people with the trainer role in the round's structure (checked by the services and
    # reported by `services.warnings` if a role is withdrawn later).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="trainer_teams",
        blank=True,
        verbose_name=_("trainers"),
    )

    class Meta:
        ordering = ["round_id", "name", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="team_name_unique_in_round"),
        ]

    def __str__(self):
        return self.name


class TeamDay(models.Model):
    """The team that delivers one course day; a day has at most one team.

    The team belongs to the day's round (checked by `services.assign_team_to_day`).
    """

    day = models.OneToOneField(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        related_name="team_assignment",
        verbose_name=_("course day"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="day_assignments", verbose_name=_("team")
    )

    class Meta:
        ordering = ["day_id"]
        verbose_name = _("team's day")
        verbose_name_plural = _("teams' days")

    def __str__(self):
        return f"{self.team}: {self.day}"


class HandoverNote(models.Model):
    """What one course day's team leaves for the next: what was covered, what the group asked,
    who needs follow-up. Written by those who run the round (`services.save_handover_note`);
    read on the start page by the next day's team and the course leader."""

    LIMIT = 2000

    day = models.OneToOneField(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        related_name="handover_note",
        verbose_name=_("course day"),
    )
    covered = models.TextField(_("what was covered"), max_length=LIMIT)
    questions = models.TextField(_("what the group asked"), max_length=LIMIT, blank=True)
    follow_up = models.TextField(_("who needs follow-up"), max_length=LIMIT, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")

    def __str__(self):
        return str(self.day)
