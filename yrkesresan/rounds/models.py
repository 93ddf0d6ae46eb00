"""Course rounds (kursomgångar): their days and venues. Registrations are enrolment's."""

import datetime
import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.catalog.models import course_order

TERM_PATTERN = re.compile(r"^(VT|HT) (\d{4})$")


def term_dates(term):
    """First and last date of a term: VT is January–June, HT July–December."""
    match = TERM_PATTERN.match(term)
    if not match:
        raise ValueError(f"not a term: {term!r}")
    half, year = match.group(1), int(match.group(2))
    if half == "VT":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def term_of(date):
    return f"{'VT' if date.month <= 6 else 'HT'} {date.year}"


class Venue(models.Model):
    """A room a support structure books for physical course days."""

    structure = models.ForeignKey(
        "organisations.SupportStructure",
        on_delete=models.CASCADE,
        related_name="venues",
        verbose_name=_("regional support structure"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    room = models.CharField(_("room"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    accessibility_notes = models.TextField(_("accessibility"), blank=True)

    class Meta:
        ordering = ["name", "room"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.room}" if self.room else self.name


def round_order(path=""):
    """Rounds as people read them: latest term first, then the catalog's order of their courses,
    then by name (the order Meta.ordering had when it cascaded through the course). `path`
    leads to the round from the queried model ("round__"), or is empty."""
    return [f"-{path}term", *course_order(f"{path}course"), f"{path}name"]


class Round(models.Model):
    """One round of a course, run by a regional support structure in a term."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        CLOSED = "closed", _("Registration closed")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class FeeModel(models.TextChoices):
        NONE = "none", _("No fee")
        PER_PARTICIPANT = "per_participant", _("Fee per participant (cost price)")
        PER_DAY = "per_day", _("Fee per participant and course day")

    # Rounds whose registrations still hold a place: a registration in a completed or cancelled
    # round is history (see enrolment's Registration.is_live).
    LIVE_STATUSES = (Status.DRAFT, Status.OPEN, Status.CLOSED, Status.RUNNING)

    # Which status may follow which: the lifecycle of a round.
    TRANSITIONS = {
        Status.DRAFT: [Status.OPEN, Status.CANCELLED],
        Status.OPEN: [Status.CLOSED, Status.CANCELLED],
        Status.CLOSED: [Status.OPEN, Status.RUNNING, Status.CANCELLED],
        Status.RUNNING: [Status.COMPLETED],
        Status.COMPLETED: [],
        Status.CANCELLED: [],
    }

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("course")
    )
    # The published version of the course the round teaches: the one current when it was
    # planned, until the coordinator moves a round that has not started to a newer one
    # (rounds.services.move_to_version). Empty for rounds planned before the course had one.
    course_version = models.ForeignKey(
        "catalog.CourseVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("course version"),
    )
    structure = models.ForeignKey(
        "organisations.SupportStructure",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("regional support structure"),
    )
    term = models.CharField(_("term"), max_length=7, help_text=_("For example VT 2027."))
    name = models.CharField(_("name"), max_length=100, help_text=_("For example Omgång 3."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    seats = models.PositiveIntegerField(_("seats"))
    # Fewer registered than this when the round is three weeks away puts it on the
    # coordinator's attention list (enrolment.queries.attention_for). Empty: no minimum.
    minimum_participants = models.PositiveIntegerField(
        _("minimum participants"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the round runs however few register."),
    )
    registration_opens_on = models.DateField(_("registration opens"))
    registration_closes_on = models.DateField(
        _("registration deadline"),
        help_text=_("Cancellations after this date are marked late."),
    )
    fee_model = models.CharField(
        _("fee model"), max_length=20, choices=FeeModel.choices, default=FeeModel.NONE
    )
    fee_amount = models.DecimalField(_("fee (SEK)"), max_digits=9, decimal_places=2, default=0)
    course_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_rounds",
        verbose_name=_("course leader"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-term", "name"]
        verbose_name = _("course round")
        verbose_name_plural = _("course rounds")
        indexes = [models.Index(fields=["structure", "term"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_on__gte=models.F("registration_opens_on")),
                name="round_registration_window_valid",
            ),
        ]

    def __str__(self):
        return f"{self.course.title} – {self.name} ({self.term})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def version_number(self):
        """The content version the round teaches (course_version loaded, or course)."""
        if self.course_version_id:
            return self.course_version.number
        return self.course.version

    def can_move_to(self, status):
        return status in self.TRANSITIONS[self.status]

    def fee_for(self, day_count=None):
        """What one participant costs under the round's fee model."""
        if self.fee_model == self.FeeModel.PER_PARTICIPANT:
            return self.fee_amount
        if self.fee_model == self.FeeModel.PER_DAY:
            return self.fee_amount * (day_count if day_count is not None else self.days.count())
        return 0


class CourseDay(models.Model):
    """One course day of a round: physical at a venue, or digital with a meeting link."""

    class Mode(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        DIGITAL = "digital", _("Digital")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="days", verbose_name=_("course round")
    )
    number = models.PositiveSmallIntegerField(_("day"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("ends"), default=datetime.time(16, 0))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="days",
        verbose_name=_("venue"),
    )
    meeting_url = models.URLField(_("meeting link"), blank=True)
    # Calendar identity: the UID stays, SEQUENCE grows with every change people are told of.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The coordinator's logistics checklist.
    room_booked = models.BooleanField(_("room booked"), default=False)
    fika_ordered = models.BooleanField(_("fika ordered"), default=False)
    material_sent = models.BooleanField(_("material sent"), default=False)
    link_sent = models.BooleanField(_("link sent"), default=False)

    class Meta:
        ordering = ["round_id", "number"]
        verbose_name = _("course day")
        verbose_name_plural = _("course days")
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="course_day_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="course_day_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.number} ({self.date})"

    @property
    def is_physical(self):
        return self.mode == self.Mode.PHYSICAL

    def place(self):
        """Where the day happens, in one line: the venue, or the meeting link for a digital day."""
        if self.is_physical:
            venue = self.venue
            if venue is None:
                return "Plats meddelas senare"
            return ", ".join(part for part in [venue.name, venue.room, venue.address] if part)
        return self.meeting_url or "Länk meddelas senare"

    def starts(self):
        tz = timezone.get_default_timezone()
        return datetime.datetime.combine(self.date, self.starts_at, tzinfo=tz)

    def ends(self):
        tz = timezone.get_default_timezone()
        return datetime.datetime.combine(self.date, self.ends_at, tzinfo=tz)
