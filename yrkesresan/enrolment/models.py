"""A person's part in the programme: their place on a journey, registrations in rounds and
what follows from them (preparation, attendance, make-up days, deep-dive answers, completion).

The tables keep the names they had before the models moved here (db_table), so that moving
the code did not move any data.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yrkesresan.catalog.models import KnowledgeGoal
from yrkesresan.rounds.models import CourseDay, Round


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        """The registrations that hold a place (Registration.is_live)."""
        return self.filter(
            status__in=Registration.LIVE_STATUSES, round__status__in=Round.LIVE_STATUSES
        )


# The longest reason (for another step, for cancelling) a person may give: one limit for the
# forms, the API's schemas and the import.
REASON_MAX_LENGTH = 1000


class Registration(models.Model):
    """A person's place in a round: registered, on the waiting list, or cancelled.

    A registration is live while it holds a place: registered or waiting, in a round that is
    neither completed nor cancelled (a participant of a running round is live). A person has at
    most one live registration per course (services.check_can_register; `live_course` and the
    constraint one_live_registration_per_course hold it in the database too).
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    LIVE_STATUSES = (Status.REGISTERED, Status.WAITLISTED)

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("round"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Waiting-list order: the time the person joined the queue, then the id.
    queued_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    step_mismatch_reason = models.TextField(
        _("reason for another step"),
        blank=True,
        help_text=_("Required when the course's step is not the person's step."),
    )
    # Sensitive: shown only to the coordinator and the course leader; erased on completion.
    special_diet = models.CharField(_("special diet"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    needs_consent = models.BooleanField(
        _("consents to share diet and accessibility needs with the organisers"), default=False
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_late = models.BooleanField(_("cancelled after the deadline"), default=False)
    # The round's course while the registration is live, else NULL: written by the services
    # (register, cancel_registration, change_status), so that the database keeps one live
    # registration per person and course even when two requests register the person at once.
    live_course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("course held"),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        db_table = "rounds_registration"
        ordering = ["round_id", "queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_registration_per_round"),
            # NULLs are distinct: only live registrations take part.
            models.UniqueConstraint(
                fields=["person", "live_course"], name="one_live_registration_per_course"
            ),
            models.CheckConstraint(
                condition=Q(needs_consent=True) | (Q(special_diet="") & Q(accessibility_needs="")),
                name="needs_only_with_consent",
            ),
        ]
        indexes = [models.Index(fields=["round", "status", "queued_at"])]

    def __str__(self):
        return f"{self.person} – {self.round} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    @property
    def is_live(self):
        """Holds a place: registered or waiting, in a round not completed or cancelled."""
        return self.status in self.LIVE_STATUSES and self.round.status in Round.LIVE_STATUSES


class Placement(models.Model):
    """Where a person stands on a journey: the step they take courses on.

    Without a placement row a person is on the step Journey.suggested_step gives: the step for
    their role at work, else the one their years in the profession suggest.
    A row records a choice: the person entering directly at a higher step, or a manager's
    override with a reason.
    """

    class Source(models.TextChoices):
        DIRECT_ENTRY = "direct_entry", _("Entered directly")
        MANAGER = "manager", _("Set by manager")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("person"),
    )
    journey = models.ForeignKey(
        "catalog.Journey", on_delete=models.CASCADE, related_name="+", verbose_name=_("journey")
    )
    step = models.ForeignKey(
        "catalog.Step", on_delete=models.PROTECT, related_name="placements", verbose_name=_("step")
    )
    source = models.CharField(_("how it was decided"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        db_table = "learning_placement"
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["person", "journey"], name="one_placement_per_journey"),
            models.CheckConstraint(
                condition=~models.Q(source="manager", reason=""),
                name="manager_placement_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.step}"


class StepSeen(models.Model):
    """The step a person last saw on a journey, so that moving up a step can be announced once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    journey = models.ForeignKey(
        "catalog.Journey", on_delete=models.CASCADE, related_name="+", verbose_name=_("journey")
    )
    step = models.ForeignKey(
        "catalog.Step", on_delete=models.CASCADE, related_name="+", verbose_name=_("step")
    )

    class Meta:
        db_table = "learning_stepseen"
        verbose_name = _("step seen")
        verbose_name_plural = _("steps seen")
        constraints = [
            models.UniqueConstraint(fields=["person", "journey"], name="one_step_seen_per_journey"),
        ]

    def __str__(self):
        return f"{self.person}: {self.step}"


class PreparationProgress(models.Model):
    """A person's work on one preparation module: private notes and whether it is done.

    Preparation belongs to the person and the course, not to a round: it is kept if they move
    to a later round.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preparation_progress",
        verbose_name=_("person"),
    )
    task = models.ForeignKey(
        "catalog.PreparationTask",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("preparation module"),
    )
    # Private: only the person sees their reflection notes.
    notes = models.TextField(_("your notes"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "learning_preparationprogress"
        verbose_name = _("preparation progress")
        verbose_name_plural = _("preparation progress")
        constraints = [
            models.UniqueConstraint(fields=["person", "task"], name="one_progress_per_task"),
        ]

    def __str__(self):
        return f"{self.person}: {self.task}"

    @property
    def is_done(self):
        return self.done_at is not None


class Attendance(models.Model):
    """Whether a registered person attended one course day (of their round, or a make-up day)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        PARTLY = "partly", _("Partly present")
        ABSENT = "absent", _("Absent")

    registration = models.ForeignKey(
        "enrolment.Registration",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    day = models.ForeignKey(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("course day"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        db_table = "learning_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_attendance_per_day"),
        ]
        indexes = [models.Index(fields=["day", "status"])]

    def __str__(self):
        return f"{self.registration.person}: {self.day} ({self.get_status_display()})"


class MakeUpDay(models.Model):
    """A missed course day taken in a later round of the same course, booked by the coordinator.

    The person keeps their registration in the original round; only this day moves.
    """

    registration = models.ForeignKey(
        "enrolment.Registration",
        on_delete=models.CASCADE,
        related_name="make_up_days",
        verbose_name=_("registration"),
    )
    day = models.ForeignKey(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        related_name="make_up_bookings",
        verbose_name=_("make-up day"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        db_table = "learning_makeupday"
        verbose_name = _("make-up day")
        verbose_name_plural = _("make-up days")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_make_up_per_day"),
        ]

    def __str__(self):
        return f"{self.registration.person}: {self.day}"


class DeepDiveAnswer(models.Model):
    """A participant's answer to a deep-dive task, and the course leader's or trainer's review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        NEEDS_MORE = "needs_more", _("More needed")
        APPROVED = "approved", _("Approved")

    registration = models.ForeignKey(
        "enrolment.Registration",
        on_delete=models.CASCADE,
        related_name="deep_dive_answers",
        verbose_name=_("registration"),
    )
    task = models.ForeignKey(
        "catalog.DeepDiveTask",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("deep-dive task"),
    )
    text = models.TextField(_("your answer"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        db_table = "learning_deepdiveanswer"
        verbose_name = _("deep-dive answer")
        verbose_name_plural = _("deep-dive answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "task"], name="one_answer_per_task"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.registration.person}: {self.task} ({self.get_status_display()})"


class Completion(models.Model):
    """A completed course (klarmarkering): the person's, kept when they change employer.

    It is also the certificate (intyg): the verification code lets anyone confirm it on the
    public verification page, which shows only name, course and date.

    It keeps what was taught as it was when it was marked (certificates.what_was_taught and
    certificates.present_days): the course's title, content version, journey and step names,
    knowledge goals, and the days the person attended with their hours. The certificate, the
    verification page and the record read these, never the live course, which editors go on
    changing.
    """

    registration = models.OneToOneField(
        "enrolment.Registration",
        on_delete=models.PROTECT,
        related_name="completion",
        verbose_name=_("registration"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("course"),
    )
    completed_on = models.DateField(_("completed on"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked complete by"),
    )
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    # What was taught, as it was on the day of completion.
    course_title = models.CharField(_("course title"), max_length=200, default="")
    course_version = models.CharField(_("content version"), max_length=20, default="")
    journey_name = models.CharField(_("journey"), max_length=200, default="")
    step_name = models.CharField(_("step"), max_length=100, default="")
    # [{"kind": KnowledgeGoal.Kind, "text"}] in the course's order.
    knowledge_goals = models.JSONField(_("knowledge goals"), default=list, blank=True)
    # [{"number", "date": "YYYY-MM-DD", "starts_at": "HH:MM", "ends_at": "HH:MM",
    #   "mode": CourseDay.Mode, "make_up_round": the make-up round's name, or ""}] by number.
    attended_days = models.JSONField(_("course days"), default=list, blank=True)

    class Meta:
        db_table = "learning_completion"
        ordering = ["-completed_on"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="one_completion_per_course"),
        ]

    def __str__(self):
        return f"{self.person} – {self.course_title} ({self.completed_on})"

    def days(self):
        """The course days attended, as kept: [TaughtDay] by day number."""
        return [TaughtDay.from_json(day) for day in self.attended_days]

    @property
    def hours(self):
        """The scheduled hours of the course days attended (to the hundredth)."""
        return round(sum((day.hours for day in self.days()), 0.0), 2)

    def goals(self):
        """The knowledge goals as kept: [(kind label, text)]."""
        labels = dict(KnowledgeGoal.Kind.choices)
        return [
            (labels.get(goal["kind"], goal["kind"]), goal["text"]) for goal in self.knowledge_goals
        ]


@dataclass(frozen=True)
class TaughtDay:
    """One course day a person attended, as kept with their completion."""

    number: int
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    mode: str  # CourseDay.Mode
    make_up_round: str  # the round the day was made up in, or "" for the person's own round

    @classmethod
    def from_json(cls, data):
        return cls(
            number=data["number"],
            date=datetime.date.fromisoformat(data["date"]),
            starts_at=datetime.time.fromisoformat(data["starts_at"]),
            ends_at=datetime.time.fromisoformat(data["ends_at"]),
            mode=data["mode"],
            make_up_round=data["make_up_round"],
        )

    @property
    def mode_label(self):
        return dict(CourseDay.Mode.choices).get(self.mode, self.mode)

    @property
    def hours(self):
        start = datetime.datetime.combine(self.date, self.starts_at)
        return (datetime.datetime.combine(self.date, self.ends_at) - start).total_seconds() / 3600


class ImportJob(models.Model):
    """A bulk registration of a big file, applied by the worker (enrolment.tasks.run_import).

    The job keeps the file's parsed rows, the very rows the synchronous import keeps in the
    session: never the uploaded bytes, which may hold a column of personal identity numbers
    that the platform does not store. The rows are dropped when the job ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being imported")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("owner"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("round")
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    # Checking a row and registering it are one step each: rows_total × 2 steps in all.
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    # {"registered", "waitlisted", "new_accounts", "problems": [sentences]}
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.pk})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        steps = self.rows_total * 2
        return min(self.steps_done * 100 // steps, 100) if steps else 0
