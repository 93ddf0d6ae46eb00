"""Attendance per course day, and make-up days in later rounds.

A registration's attendance is counted by day number: day 2 counts as attended when the person
was marked present on day 2 of their own round or on a day 2 booked for them as a make-up day
in a later round of the same course. Only "present" counts; "partly present" does not until
someone changes it.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yrkesresan.accounts import access
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.rounds.models import CourseDay, Round

from . import access as enrolment_access
from . import tasks
from .models import Attendance, Completion, MakeUpDay, Registration

Status = Attendance.Status
NOTE_MAX_LENGTH = Attendance._meta.get_field("note").max_length
# When a day number was marked more than once (own round and a make-up day), the best counts.
RANK = {Status.ABSENT: 1, Status.PARTLY: 2, Status.PRESENT: 3}
# The statuses' labels (lazy: translated when shown), looked up once rather than by each row's
# get_status_display().
STATUS_LABELS = dict(Status.choices)
# Rounds that can take someone in on a make-up day.
RECEIVING_STATUSES = [Round.Status.OPEN, Round.Status.CLOSED, Round.Status.RUNNING]


class AttendanceError(DomainError):
    """A refused change; the message is a complete, translated sentence for the user."""


def _date(day):
    return formats.date_format(day.date, "DATE_FORMAT")


# Marking ------------------------------------------------------------------------------------


@transaction.atomic
def mark_attendance(registration, day, status, *, note="", by):
    """Mark `registration` present, absent or partly present on `day`; marking again changes it.

    The day is one of the registration's own round or a make-up day booked for it. Partly
    present needs a short note. Refused (AttendanceError) for days still to come, for people
    without a place, and once the course is marked complete for the person.
    """
    if status not in Status.values:
        raise AttendanceError(_("Choose present, absent or partly present."))
    note = (note or "").strip()
    if status == Status.PARTLY and not note:
        raise AttendanceError(_("Write a short note on what part of the day was attended."))
    if len(note) > NOTE_MAX_LENGTH:
        raise AttendanceError(
            _("The note can be at most %(limit)s characters long.") % {"limit": NOTE_MAX_LENGTH}
        )
    if status == Status.PRESENT:
        note = ""
    if not enrolment_access.can_mark_attendance(by, day.round):
        raise AttendanceError(_("You may not mark attendance in this round."))
    if day.date > timezone.localdate():
        raise AttendanceError(
            _("Day %(number)s is on %(date)s; attendance can be marked from that day.")
            % {"number": day.number, "date": _date(day)}
        )
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.REGISTERED:
        raise AttendanceError(
            _("%(person)s has no place in the round.") % {"person": registration.person}
        )
    own_day = registration.round_id == day.round_id
    if not own_day and not MakeUpDay.objects.filter(registration=registration, day=day).exists():
        raise AttendanceError(
            _("%(person)s is not booked on this day.") % {"person": registration.person}
        )
    if Completion.objects.filter(registration=registration).exists():
        raise AttendanceError(
            _("The course is marked complete for %(person)s; attendance can no longer change.")
            % {"person": registration.person}
        )
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration,
        day=day,
        defaults={"status": status, "note": note, "marked_by": by},
    )
    log_action(
        by,
        "attendance.marked",
        attendance,
        subject=registration.person_id,
        registration=registration.pk,
        day=day.pk,
        status=status,
    )
    return attendance


# The list for one day -------------------------------------------------------------------------


@dataclass
class SheetRow:
    registration: Registration
    attendance: Attendance | None
    # Set when the person is here on a make-up day; their own round is registration.round.
    make_up: MakeUpDay | None = None
    error: str = ""
    entered_note: str = ""  # a refused partly-present note, shown again with the error
    municipality: str = ""  # the name of the person's municipality
    completed: bool = False
    mark_url: str = ""  # the address that marks the row, set by the page that lists it

    @property
    def person(self):
        return self.registration.person

    @property
    def rid(self):
        """The registration's id as text, for the ids and targets of the row's markup."""
        return str(self.registration.pk)

    @property
    def full_name(self):
        return self.registration.person.get_full_name()

    @property
    def status(self):
        return self.attendance.status if self.attendance else ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.attendance.status] if self.attendance else ""


@dataclass
class SheetCounts:
    present: int = 0
    absent: int = 0
    partly: int = 0
    unmarked: int = 0

    @property
    def total(self):
        return self.present + self.absent + self.partly + self.unmarked


@dataclass
class AttendanceSheet:
    round: Round
    day: CourseDay
    rows: list = field(default_factory=list)
    counts: SheetCounts = field(default_factory=SheetCounts)

    @cached_property
    def markable(self):
        return self.day.date <= timezone.localdate()

    def row_for(self, registration_id):
        for row in self.rows:
            if row.registration.pk == registration_id:
                return row
        return None


def _sort_key(registration):
    person = registration.person
    return (person.last_name.lower(), person.first_name.lower(), registration.pk)


def attendance_sheet(round, day):
    """Everyone expected on `day` of `round`: its registered participants and the people
    booked on it as a make-up day, with their attendance and the counts. Two queries.

    The list is read on every tablet refresh, so it reads only the columns it shows: the
    make-up bookings of the day (a handful), then the registered people of the round or of
    those bookings (both sides of the OR use an index) with their attendance on the day.
    """
    make_ups = dict(
        MakeUpDay.objects.filter(day=day).order_by().values_list("registration_id", "pk")
    )
    people = Q(round=round)
    if make_ups:
        people |= Q(pk__in=list(make_ups))
    registrations = (
        Registration.objects.filter(people, status=Registration.Status.REGISTERED)
        .select_related("person", "round")
        .only(
            "round_id",
            "person_id",
            "status",
            "person__first_name",
            "person__last_name",
            "person__email",
            "round__name",
            "round__term",
        )
        .annotate(
            municipality_name=F("person__municipality__name"),
            completion_id=F("completion__id"),
            on_day=FilteredRelation("attendances", condition=Q(attendances__day=day)),
            attendance_id=F("on_day__pk"),
            attendance_status=F("on_day__status"),
            attendance_note=F("on_day__note"),
        )
        .order_by()
    )
    rows = []
    for registration in registrations:
        make_up = None
        if registration.round_id == round.pk:
            registration.round = round
        else:
            make_up = MakeUpDay(id=make_ups[registration.pk], registration=registration, day=day)
        attendance = None
        if registration.attendance_id is not None:
            attendance = Attendance(
                id=registration.attendance_id,
                registration=registration,
                day=day,
                status=registration.attendance_status,
                note=registration.attendance_note,
            )
        rows.append(
            SheetRow(
                registration,
                attendance,
                make_up,
                municipality=registration.municipality_name or "",
                completed=registration.completion_id is not None,
            )
        )
    rows.sort(key=lambda row: _sort_key(row.registration))
    counts = SheetCounts()
    for row in rows:
        name = row.status or "unmarked"
        setattr(counts, name, getattr(counts, name) + 1)
    return AttendanceSheet(round=round, day=day, rows=rows, counts=counts)


def day_overview(round):
    """The round's days, each with `counts` (SheetCounts) of its expected people: four
    queries whatever the size."""
    days = list(round.days.select_related("venue").order_by("number"))
    registered = Registration.objects.filter(round=round, status=Registration.Status.REGISTERED)
    registered_count = registered.count()
    make_up_counts = dict(
        MakeUpDay.objects.filter(day__round=round, registration__status="registered")
        .values_list("day_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status_counts = (
        Attendance.objects.filter(day__round=round, registration__status="registered")
        .values_list("day_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_day = {}
    for day_id, status, n in status_counts:
        by_day.setdefault(day_id, {})[status] = n
    for day in days:
        marked = by_day.get(day.pk, {})
        expected = registered_count + make_up_counts.get(day.pk, 0)
        day.counts = SheetCounts(
            present=marked.get(Status.PRESENT, 0),
            absent=marked.get(Status.ABSENT, 0),
            partly=marked.get(Status.PARTLY, 0),
            unmarked=max(expected - sum(marked.values()), 0),
        )
    return days


# Days attended and missed -------------------------------------------------------------------


def day_statuses(registration_ids):
    """{registration id: {day number: best status}} over the registrations' own rounds and
    their booked make-up days, in one query."""
    rows = (
        Attendance.objects.filter(registration_id__in=list(registration_ids))
        .filter(
            Q(day__round_id=F("registration__round_id"))
            | Q(day__make_up_bookings__registration_id=F("registration_id"))
        )
        .values_list("registration_id", "day__number", "status")
        .distinct()
    )
    found = {}
    for registration_id, number, status in rows:
        numbers = found.setdefault(registration_id, {})
        if RANK[status] > RANK.get(numbers.get(number), 0):
            numbers[number] = status
    return found


def days_attended(registration):
    """The day numbers the person attended (present) in their round or on make-up days."""
    statuses = day_statuses([registration.pk]).get(registration.pk, {})
    return {number for number, status in statuses.items() if status == Status.PRESENT}


MISSED = {Status.ABSENT, Status.PARTLY}


def _missed(days, statuses, today):
    return [day.number for day in days if day.date <= today and statuses.get(day.number) in MISSED]


def missed_days(registration, today=None):
    """The numbers of the round's days the person was marked absent or partly present on, and
    has not made up since (on a make-up day marked present). A day nobody has marked yet is
    not counted as missed: it may only be waiting for the list to be filled in."""
    today = today or timezone.localdate()
    days = list(registration.round.days.order_by("number"))
    return _missed(days, day_statuses([registration.pk]).get(registration.pk, {}), today)


def missed_days_by_registration(round, registrations, today=None):
    """{registration id: missed day numbers} for registrations of `round`: two queries."""
    today = today or timezone.localdate()
    days = list(round.days.order_by("number"))
    statuses = day_statuses(r.pk for r in registrations)
    return {r.pk: _missed(days, statuses.get(r.pk, {}), today) for r in registrations}


# Make-up days -------------------------------------------------------------------------------


def make_up_candidates(user, round, today=None):
    """Days of later rounds of the round's course that the user may book people on: in rounds
    they coordinate that still take people, not yet passed, each with `registered` and
    `booked` (people on the day). One query."""
    today = today or timezone.localdate()
    days = CourseDay.objects.filter(
        round__course_id=round.course_id,
        round__status__in=RECEIVING_STATUSES,
        date__gte=today,
    ).exclude(round=round)
    scope = access.scope_for(user)
    if not scope.is_admin:
        days = days.filter(round__structure_id__in=scope.coordinated_structure_ids)
    return (
        days.select_related("round__structure", "venue")
        .annotate(
            registered=Count(
                "round__registrations",
                filter=Q(round__registrations__status=Registration.Status.REGISTERED),
                distinct=True,
            ),
            booked=Count("make_up_bookings", distinct=True),
        )
        .order_by("date", "round__name", "pk")
    )


def _enqueue_make_up_message(registration, day, kind):
    enqueue_on_commit(tasks.send_make_up_message, registration.pk, day.pk, kind)


@transaction.atomic
def book_make_up_day(registration, day, *, by):
    """Book `day` (of a later round of the same course) for a day number the person missed.

    Refused with AttendanceError, in a sentence that says why, when the day is of another
    course or not later, has passed, is in a round that takes nobody, the person did not miss
    that day number or already has it booked, or `by` does not coordinate the receiving round.
    """
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("round", "person")
        .get(pk=registration.pk)
    )
    person = registration.person
    receiving = day.round
    if not enrolment_access.can_book_make_up(by, receiving):
        raise AttendanceError(
            _("You may not book make-up days in %(round)s.") % {"round": receiving}
        )
    if registration.status != Registration.Status.REGISTERED:
        raise AttendanceError(_("%(person)s has no place in the round.") % {"person": person})
    if Completion.objects.filter(registration=registration).exists():
        raise AttendanceError(
            _("The course is already marked complete for %(person)s.") % {"person": person}
        )
    if receiving.course_id != registration.round.course_id:
        raise AttendanceError(_("A make-up day must be a day of the same course."))
    if receiving.pk == registration.round_id:
        raise AttendanceError(_("A make-up day must be in a later round, not the person's own."))
    if receiving.status not in RECEIVING_STATUSES:
        raise AttendanceError(
            _("%(round)s is %(status)s and takes nobody on make-up days.")
            % {"round": receiving.name, "status": receiving.get_status_display().lower()}
        )
    today = timezone.localdate()
    if day.date < today:
        raise AttendanceError(
            _("Day %(number)s of %(round)s has already taken place.")
            % {"number": day.number, "round": receiving.name}
        )
    original = registration.round.days.filter(number=day.number).first()
    if original is None or day.date <= original.date:
        raise AttendanceError(
            _("The make-up day must come after day %(number)s of the person's own round.")
            % {"number": day.number}
        )
    if Registration.objects.filter(
        round=receiving, person=person, status=Registration.Status.REGISTERED
    ).exists():
        raise AttendanceError(
            _("%(person)s already has a place in %(round)s.")
            % {"person": person, "round": receiving.name}
        )
    if day.number not in missed_days(registration, today=today):
        raise AttendanceError(
            _("%(person)s has not missed day %(number)s.")
            % {"person": person, "number": day.number}
        )
    pending = (
        MakeUpDay.objects.filter(
            registration=registration, day__number=day.number, day__date__gte=today
        )
        .select_related("day__round")
        .first()
    )
    if pending is not None:
        raise AttendanceError(
            _("%(person)s is already booked on day %(number)s of %(round)s on %(date)s.")
            % {
                "person": person,
                "number": day.number,
                "round": pending.day.round.name,
                "date": _date(pending.day),
            }
        )
    make_up = MakeUpDay.objects.create(registration=registration, day=day, booked_by=by)
    log_action(
        by,
        "make_up.booked",
        make_up,
        subject=registration.person_id,
        registration=registration.pk,
        day=day.pk,
    )
    _enqueue_make_up_message(registration, day, "booked")
    return make_up


@transaction.atomic
def cancel_make_up_day(make_up, *, by):
    """Cancel a make-up booking, unless attendance has been marked on it."""
    make_up = (
        MakeUpDay.objects.select_for_update(of=("self",))
        .select_related("day__round", "registration__person")
        .get(pk=make_up.pk)
    )
    day, registration = make_up.day, make_up.registration
    if not enrolment_access.can_book_make_up(by, day.round):
        raise AttendanceError(
            _("You may not cancel make-up days in %(round)s.") % {"round": day.round}
        )
    if Attendance.objects.filter(registration=registration, day=day).exists():
        raise AttendanceError(
            _("Attendance is already marked for %(person)s on that day; the booking stays.")
            % {"person": registration.person}
        )
    log_action(
        by,
        "make_up.cancelled",
        make_up,
        subject=registration.person_id,
        registration=registration.pk,
        day=day.pk,
    )
    make_up.delete()
    _enqueue_make_up_message(registration, day, "cancelled")
