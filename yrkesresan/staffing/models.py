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


# The trainer pool, availability and plans ---------------------------------------------------


class PoolMembership(models.Model):
    """A staff member's way into a structure's trainer pool, and their place in it.

    The person applies (motivation, experience, courses); their manager approves the time away
    with a cap of days per term; the coordinator accepts them into the pool. Only ACCEPTED
    members are planned (`planner`), and only for courses they are trained for
    (`TrainerTraining`).
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        MANAGER_APPROVED = "manager_approved", _("Approved by the manager")
        ACCEPTED = "accepted", _("In the pool")
        REFUSED = "refused", _("Refused")
        REMOVED = "removed", _("Removed from the pool")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pool_memberships",
        verbose_name=_("person"),
    )
    structure = models.ForeignKey(
        "organisations.SupportStructure",
        on_delete=models.CASCADE,
        related_name="pool_memberships",
        verbose_name=_("regional support structure"),
    )
    courses = models.ManyToManyField(
        "catalog.Course", related_name="trainer_applications", verbose_name=_("courses")
    )
    motivation = models.TextField(_("motivation"))
    experience = models.TextField(_("experience"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    days_per_term = models.PositiveSmallIntegerField(
        _("days per term"), default=0, help_text=_("The most days a term the manager approves.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        ordering = ["structure_id", "pk"]
        verbose_name = _("trainer pool membership")
        verbose_name_plural = _("trainer pool memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "structure"], name="pool_membership_unique_per_structure"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"


class TrainerTraining(models.Model):
    """A person's trainer training (utbildarutbildning) for one course, with its date."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trainer_trainings",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.CASCADE,
        related_name="trainer_trainings",
        verbose_name=_("course"),
    )
    trained_on = models.DateField(_("trained on"))

    class Meta:
        ordering = ["person_id", "course_id"]
        verbose_name = _("trainer training")
        verbose_name_plural = _("trainer trainings")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="trainer_training_unique"),
        ]

    def __str__(self):
        return f"{self.person}: {self.course} ({self.trained_on})"


class Availability(models.Model):
    """Whether a trainer (or course leader) can take course days on a date.

    Only dates marked available, and not withdrawn by the manager, are planned.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("person"),
    )
    date = models.DateField(_("date"))
    available = models.BooleanField(_("available"))
    withdrawn_reason = models.CharField(
        _("manager's reason for withdrawing"), max_length=300, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["person_id", "date"]
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="availability_unique"),
        ]

    def __str__(self):
        return f"{self.person} {self.date}: {self.available}"

    @property
    def plannable(self):
        return self.available and self.withdrawn_by_id is None and not self.withdrawn_reason


class Plan(models.Model):
    """A staffing plan for a structure's term: proposed by the planner, accepted by the
    coordinator. At most one plan per structure and term is ACCEPTED at a time."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Planning")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        SUPERSEDED = "superseded", _("Superseded")
        FAILED = "failed", _("Failed")

    structure = models.ForeignKey(
        "organisations.SupportStructure",
        on_delete=models.CASCADE,
        related_name="staffing_plans",
        verbose_name=_("regional support structure"),
    )
    term = models.CharField(_("term"), max_length=7)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=20)
    # What the solver said: status name, objective, bound, soft-goal scores and the shortfalls
    # (each: round, days, needed, planned, why) as `planner.PlanResult.summary()` gives them.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("staffing plan")
        verbose_name_plural = _("staffing plans")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "term"],
                condition=models.Q(status="accepted"),
                name="one_accepted_plan_per_structure_term",
            ),
        ]

    def __str__(self):
        return f"{self.structure} {self.term} ({self.get_status_display()})"


class PlanAssignment(models.Model):
    """One person on one course day in a plan: in a team (`team` 1, 2, …) or as course leader
    (`team` 0). Locked assignments are kept when the coordinator re-plans."""

    COURSE_LEADER = 0

    class Response(models.TextChoices):
        PENDING = "pending", _("Not answered")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("plan")
    )
    day = models.ForeignKey(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        related_name="plan_assignments",
        verbose_name=_("course day"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_assignments",
        verbose_name=_("person"),
    )
    team = models.PositiveSmallIntegerField(_("team"))
    # The day's date when planned: a day moved later is told, never silently re-planned.
    date = models.DateField(_("date"))
    locked = models.BooleanField(_("locked"), default=False)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )

    class Meta:
        ordering = ["plan_id", "day_id", "team", "person_id"]
        verbose_name = _("planned day")
        verbose_name_plural = _("planned days")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "day", "person"], name="plan_assignment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.day} ({self.team})"

    @property
    def is_course_leader(self):
        return self.team == self.COURSE_LEADER


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
