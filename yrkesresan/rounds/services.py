"""Planning course rounds, the only module of rounds that writes: creating rounds with proposed
days, changing rounds and days, copies, the logistics checklist and venues.

Seats and registrations are never written here but in enrolment.services (change_seats,
register, cancel_registration, update_round), which hold the round's row lock. A changed day
is announced by rounds.signals.course_day_changed. Every change is logged with `log_action`.
Refusals raise PlanningError with complete, translated sentences.
"""

import datetime
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.catalog.models import CourseVersion
from yrkesresan.catalog.services import current_version
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from . import signals
from .models import CourseDay, Round, Venue, term_dates, term_of
from .queries import (
    DEFAULT_ENDS_AT,
    DEFAULT_STARTS_AT,
    TRAINERS_ON_A_DAY,
    is_term,
    logistics_items,
)


@dataclass(frozen=True)
class Problem:
    """One reason a plan is refused: for the round (`field`) or for one day (`day`, 1-based)."""

    message: str
    field: str | None = None
    day: int | None = None


class PlanningError(DomainError):
    """A refused plan. `problems` lists every reason; str() joins their sentences."""

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = list(problems)
        super().__init__(" ".join(problem.message for problem in self.problems))


@dataclass
class DayPlan:
    """A course day before it is saved: what the coordinator gives for each day."""

    date: datetime.date
    starts_at: datetime.time = DEFAULT_STARTS_AT
    ends_at: datetime.time = DEFAULT_ENDS_AT
    mode: str = CourseDay.Mode.DIGITAL
    venue: Venue | None = None
    meeting_url: str = ""

    @classmethod
    def of(cls, day):
        return cls(day.date, day.starts_at, day.ends_at, day.mode, day.venue, day.meeting_url)


# Terms ------------------------------------------------------------------------------------


# Proposing and checking a plan ------------------------------------------------------------


def check_plan(
    *,
    structure,
    term,
    seats,
    registration_opens_on,
    registration_closes_on,
    days,
    unchanged_dates=(),
    today=None,
    minimum_participants=None,
):
    """Every problem with a round's plan, as a list of Problem (empty when the plan holds).

    Days must be in order (each after the one before), inside the term and not before today;
    a date in `unchanged_dates` (0-based day indexes) is exempt from the last rule, so that a
    round already under way can still be edited. Physical days need a venue of the structure
    that holds the seats plus TRAINERS_ON_A_DAY; digital days need a meeting link. The
    registration deadline falls before the first day. A minimum of participants, if any,
    is at most the seats.
    """
    today = today or timezone.localdate()
    problems = []
    if minimum_participants is not None and seats is not None and minimum_participants > seats:
        problems.append(
            Problem(
                _("The minimum of participants cannot be more than the seats."),
                "minimum_participants",
            )
        )
    if not is_term(term):
        problems.append(Problem(_("Give the term as VT or HT and a year, e.g. VT 2027."), "term"))
        first, last = None, None
    else:
        first, last = term_dates(term)
    if (
        registration_opens_on
        and registration_closes_on
        and registration_closes_on < registration_opens_on
    ):
        problems.append(
            Problem(_("Registration cannot close before it opens."), "registration_closes_on")
        )
    if not days:
        problems.append(Problem(_("A round needs at least one course day.")))
    previous = None
    for index, day in enumerate(days):
        number = index + 1
        if day.date is None:
            problems.append(Problem(_("Give the day's date."), "date", number))
            continue
        if previous is not None and day.date <= previous:
            problems.append(
                Problem(
                    _("Day %(number)s must come after day %(previous)s.")
                    % {"number": number, "previous": number - 1},
                    "date",
                    number,
                )
            )
        previous = day.date
        if first and not first <= day.date <= last:
            problems.append(
                Problem(
                    _("Day %(number)s is outside the term %(term)s.")
                    % {"number": number, "term": term},
                    "date",
                    number,
                )
            )
        if day.date < today and index not in unchanged_dates:
            problems.append(
                Problem(_("Day %(number)s is in the past.") % {"number": number}, "date", number)
            )
        if day.starts_at and day.ends_at and day.ends_at <= day.starts_at:
            problems.append(
                Problem(
                    _("Day %(number)s must end after it starts.") % {"number": number},
                    "ends_at",
                    number,
                )
            )
        if day.mode == CourseDay.Mode.PHYSICAL:
            if day.venue is None:
                problems.append(
                    Problem(
                        _("Day %(number)s is physical: choose a venue.") % {"number": number},
                        "venue",
                        number,
                    )
                )
            elif day.venue.structure_id != structure.pk:
                problems.append(Problem(_("Choose one of your own venues."), "venue", number))
            elif seats is not None and day.venue.capacity < seats + TRAINERS_ON_A_DAY:
                problems.append(
                    Problem(
                        _(
                            "%(venue)s holds %(capacity)s people, fewer than the %(seats)s "
                            "participants and %(trainers)s trainers of day %(number)s."
                        )
                        % {
                            "venue": day.venue,
                            "capacity": day.venue.capacity,
                            "seats": seats,
                            "trainers": TRAINERS_ON_A_DAY,
                            "number": number,
                        },
                        "venue",
                        number,
                    )
                )
        elif not day.meeting_url:
            problems.append(
                Problem(
                    _("Day %(number)s is digital: give the meeting link.") % {"number": number},
                    "meeting_url",
                    number,
                )
            )
    if days and days[0].date and registration_closes_on and registration_closes_on >= days[0].date:
        problems.append(
            Problem(
                _("The registration deadline must be before the first course day."),
                "registration_closes_on",
            )
        )
    return problems


def _require_changeable(round):
    if round.status in (Round.Status.COMPLETED, Round.Status.CANCELLED):
        raise PlanningError(_("A completed or cancelled round cannot be changed."))


def _clean_fee(fee_model, fee_amount):
    if fee_model == Round.FeeModel.NONE:
        return 0
    if not fee_amount or fee_amount <= 0:
        raise PlanningError([Problem(_("Give the fee in SEK for this fee model."), "fee_amount")])
    return fee_amount


def _day_fields(plan):
    physical = plan.mode == CourseDay.Mode.PHYSICAL
    return {
        "date": plan.date,
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
        "mode": plan.mode,
        "venue": plan.venue if physical else None,
        "meeting_url": "" if physical else plan.meeting_url,
    }


# Rounds -------------------------------------------------------------------------------------


@transaction.atomic
def create_round(
    course,
    structure,
    *,
    by,
    term,
    name,
    seats,
    registration_opens_on,
    registration_closes_on,
    days,
    fee_model=Round.FeeModel.NONE,
    fee_amount=0,
    notes="",
    minimum_participants=None,
):
    """A new draft round of `course` run by `structure`, with `days` (a list of DayPlan; see
    `propose_days` for the usual plan). Raises PlanningError listing every problem."""
    problems = check_plan(
        structure=structure,
        term=term,
        seats=seats,
        registration_opens_on=registration_opens_on,
        registration_closes_on=registration_closes_on,
        days=days,
        minimum_participants=minimum_participants,
    )
    if problems:
        raise PlanningError(problems)
    round = Round.objects.create(
        course=course,
        course_version=current_version(course),
        structure=structure,
        term=term,
        name=name.strip(),
        seats=seats,
        minimum_participants=minimum_participants,
        registration_opens_on=registration_opens_on,
        registration_closes_on=registration_closes_on,
        fee_model=fee_model,
        fee_amount=_clean_fee(fee_model, fee_amount),
        notes=notes.strip(),
    )
    CourseDay.objects.bulk_create(
        CourseDay(round=round, number=number, **_day_fields(plan))
        for number, plan in enumerate(days, start=1)
    )
    log_action(by, "round.created", round, course=course.pk, term=term, days=len(days))
    return round


ROUND_FIELDS = (
    "term",
    "name",
    "registration_opens_on",
    "registration_closes_on",
    "fee_model",
    "fee_amount",
    "notes",
    "minimum_participants",
)


@transaction.atomic
def update_round(round, *, by, seats, **fields):
    """Change a round's plan: name, term, registration window, fee and notes (keywords as in
    ROUND_FIELDS; the course leader belongs to staffing), checked together with `seats`, the
    seats the round is to have. Returns the round, locked for the rest of the transaction.

    The seats themselves are enrolment's: enrolment.services.update_round calls this and then
    changes the seats, moving the waiting list, under the same lock. Completed and cancelled
    rounds cannot change."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"update_round got unknown fields {sorted(unknown)}")
    locked = Round.objects.select_for_update().get(pk=round.pk)
    _require_changeable(locked)
    days = [DayPlan.of(day) for day in locked.days.select_related("venue")]
    new = {name: fields.get(name, getattr(locked, name)) for name in ROUND_FIELDS}
    new["fee_amount"] = _clean_fee(new["fee_model"], new["fee_amount"])
    new["name"] = new["name"].strip()
    new["notes"] = new["notes"].strip()
    problems = check_plan(
        structure=locked.structure,
        term=new["term"],
        seats=seats,
        registration_opens_on=new["registration_opens_on"],
        registration_closes_on=new["registration_closes_on"],
        days=days,
        unchanged_dates=range(len(days)),
        minimum_participants=new["minimum_participants"],
    )
    if problems:
        raise PlanningError(problems)
    changes = {}
    for name, value in new.items():
        old = getattr(locked, name)
        if old != value:
            changes[name] = [_loggable(old), _loggable(value)]
            setattr(locked, name, value)
    if changes:
        locked.save(update_fields=[name for name in ROUND_FIELDS if name in changes])
        log_action(by, "round.updated", locked, changes=changes)
    return locked


def _loggable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def copy_round(round, *, first_day, name, by):
    """A new draft round like `round` (course, seats, fee, course leader and days), its days
    shifted so that the first is `first_day`. The copy's days must lie ahead and inside one term
    (the term of `first_day`); its registration window moves with the days."""
    days = list(round.days.select_related("venue").order_by("number"))
    shift = first_day - days[0].date if days else datetime.timedelta(0)
    shifted = [replace(DayPlan.of(day), date=day.date + shift) for day in days]
    problems = check_plan(
        structure=round.structure,
        term=term_of(first_day),
        seats=round.seats,
        registration_opens_on=None,
        registration_closes_on=None,
        days=shifted,
    )
    if not name.strip():
        problems.insert(0, Problem(_("Give the new round a name."), "name"))
    if problems:
        raise PlanningError(problems)
    name = name.strip()
    window = round.registration_closes_on - round.registration_opens_on
    opens = max(timezone.localdate(), round.registration_opens_on + shift)
    copy = Round.objects.create(
        course=round.course,
        course_version=current_version(round.course),
        structure=round.structure,
        term=term_of(first_day),
        name=name,
        seats=round.seats,
        minimum_participants=round.minimum_participants,
        registration_opens_on=opens,
        registration_closes_on=max(opens, round.registration_closes_on + shift, opens + window),
        fee_model=round.fee_model,
        fee_amount=round.fee_amount,
        course_leader=round.course_leader,
    )
    CourseDay.objects.bulk_create(
        CourseDay(
            round=copy,
            number=day.number,
            date=day.date + shift,
            starts_at=day.starts_at,
            ends_at=day.ends_at,
            mode=day.mode,
            venue=day.venue,
            meeting_url=day.meeting_url,
        )
        for day in days
    )
    log_action(by, "round.copied", copy, source=round.pk)
    return copy


def newer_versions(round):
    """The published versions of the round's course newer than the one it teaches, newest
    first, when the round may still move to one (see move_to_version); else []."""
    if not may_change_version(round):
        return []
    versions = round.course.versions.filter(status=CourseVersion.Status.PUBLISHED)
    if round.course_version_id:
        versions = versions.filter(published_at__gt=round.course_version.published_at)
    return list(versions.select_related("legal_reference").order_by("-published_at"))


def versions_of(versions):
    """The CourseVersions in `versions` (a list) as a queryset, for a form's choices."""
    return CourseVersion.objects.filter(pk__in=[v.pk for v in versions]).order_by("-published_at")


def may_change_version(round):
    """A round teaches another version only before it starts: not running, completed or
    cancelled, and no course day today or earlier."""
    if round.status not in (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED):
        return False
    return not round.days.filter(date__lte=timezone.localdate()).exists()


@transaction.atomic
def move_to_version(round, version, *, by):
    """Let the round teach `version`, a published version of its course newer than the one
    it teaches. Refused once the round has started. Returns the round, locked."""
    locked = (
        Round.objects.select_for_update(of=("self",))
        .select_related("course_version")
        .get(pk=round.pk)
    )
    if not may_change_version(locked):
        raise PlanningError(_("A round that has started keeps the version it teaches."))
    if version.course_id != locked.course_id or not version.is_published:
        raise PlanningError(_("Choose a published version of the round's course."))
    if locked.course_version_id and version.published_at <= locked.course_version.published_at:
        raise PlanningError(_("Choose a version newer than the one the round teaches."))
    previous = locked.version_number if locked.course_version_id else ""
    locked.course_version = version
    locked.save(update_fields=["course_version"])
    log_action(by, "round.version_changed", locked, previous=previous, version=version.number)
    return locked


# Course days ------------------------------------------------------------------------------

# What changing a field undoes on the checklist: a room and fika are booked for a date, time
# and place; a new meeting link has to be sent again.
RESETS = {
    "date": ("room_booked", "fika_ordered"),
    "starts_at": ("room_booked", "fika_ordered"),
    "ends_at": ("room_booked", "fika_ordered"),
    "venue": ("room_booked", "fika_ordered"),
    "meeting_url": ("link_sent",),
}


@transaction.atomic
def update_course_day(day, *, by, date, starts_at, ends_at, mode, venue=None, meeting_url=""):
    """Change a course day's date, time, mode, venue or meeting link.

    The day must stay in order among the round's days, inside the term, and (if its date
    changes) not in the past. Any change raises the day's calendar SEQUENCE and tells the
    round's participants (rounds.signals.course_day_changed); it also clears the checklist items it
    undoes (see RESETS). Returns the day, unchanged when nothing changed.
    """
    round = Round.objects.select_for_update().get(pk=day.round_id)
    _require_changeable(round)
    saved = list(round.days.select_related("venue"))
    index = next(i for i, other in enumerate(saved) if other.pk == day.pk)
    day = saved[index]
    plan = DayPlan(date, starts_at, ends_at, mode, venue, (meeting_url or "").strip())
    plans = [DayPlan.of(other) for other in saved]
    plans[index] = plan
    unchanged = {i for i in range(len(saved)) if i != index or saved[i].date == date}
    problems = check_plan(
        structure=round.structure,
        term=round.term,
        seats=round.seats,
        registration_opens_on=round.registration_opens_on,
        registration_closes_on=round.registration_closes_on,
        days=plans,
        unchanged_dates=unchanged,
    )
    # Only what this change breaks: this day, the round, and the order of the next day.
    problems = [
        p
        for p in problems
        if p.day in (None, index + 1) or (p.day == index + 2 and p.field == "date")
    ]
    if problems:
        raise PlanningError(problems)
    changes = {}
    for name, value in _day_fields(plan).items():
        old = getattr(day, name)
        if old != value:
            changes[name] = [_loggable(old), _loggable(value)]
            setattr(day, name, value)
    if not changes:
        return day
    cleared = []
    for name in changes:
        for item in RESETS.get(name, ()):
            if getattr(day, item):
                setattr(day, item, False)
                cleared.append(item)
    day.sequence += 1
    day.save()
    log_action(by, "round.day_changed", day, round=round.pk, changes=changes, cleared=cleared)
    signals.course_day_changed.send(sender=CourseDay, day=day)
    return day


@transaction.atomic
def set_logistics(day, item, done, *, by):
    """Tick or untick one item of a day's logistics checklist (see LOGISTICS)."""
    if item not in logistics_items(day):
        raise PlanningError(_("That checklist item does not apply to this day."))
    _require_changeable(day.round)
    day = CourseDay.objects.select_for_update().get(pk=day.pk)
    if getattr(day, item) == done:
        return day
    setattr(day, item, done)
    day.save(update_fields=[item])
    log_action(by, "round.logistics", day, round=day.round_id, item=item, done=done)
    return day


# Venues -----------------------------------------------------------------------------------


def _check_venue_capacity(venue, capacity):
    """Problems if a smaller capacity no longer holds the coming rounds that use the venue."""
    today = timezone.localdate()
    days = (
        CourseDay.objects.filter(venue=venue, date__gte=today, mode=CourseDay.Mode.PHYSICAL)
        .exclude(round__status__in=[Round.Status.CANCELLED, Round.Status.COMPLETED])
        .select_related("round")
    )
    return [
        Problem(
            _("%(round)s needs room for %(people)s people on %(date)s.")
            % {
                "round": day.round.name,
                "people": day.round.seats + TRAINERS_ON_A_DAY,
                "date": day.date,
            },
            "capacity",
        )
        for day in days
        if capacity < day.round.seats + TRAINERS_ON_A_DAY
    ]


VENUE_FIELDS = ("name", "address", "room", "capacity", "accessibility_notes")


@transaction.atomic
def save_venue(structure, *, by, venue=None, **fields):
    """Create a venue for `structure`, or change `venue` (keywords as in VENUE_FIELDS).

    A smaller capacity is refused while a coming round at the venue needs more room.
    """
    if venue is not None:
        problems = _check_venue_capacity(venue, fields["capacity"])
        if problems:
            raise PlanningError(problems)
        changes = {
            name: [_loggable(getattr(venue, name)), _loggable(value)]
            for name, value in fields.items()
            if getattr(venue, name) != value
        }
        for name, value in fields.items():
            setattr(venue, name, value)
        venue.save()
        if changes:
            log_action(by, "venue.updated", venue, changes=changes)
        return venue
    venue = Venue.objects.create(structure=structure, **fields)
    log_action(by, "venue.created", venue, structure=structure.pk)
    return venue


# Term overview ----------------------------------------------------------------------------


# The round page ---------------------------------------------------------------------------


# Capacity planning --------------------------------------------------------------------------


# Fees -------------------------------------------------------------------------------------


# The manager's page -----------------------------------------------------------------------


def propose_days(
    course,
    first_day,
    *,
    count=None,
    interval_days=7,
    starts_at=DEFAULT_STARTS_AT,
    ends_at=DEFAULT_ENDS_AT,
    venue=None,
    meeting_url="",
):
    """The usual plan: the course's number of days `interval_days` apart (a week by default),
    the first physical at `venue`, the others digital on `meeting_url`."""
    count = count or course.course_days or 1
    return [
        DayPlan(
            date=first_day + datetime.timedelta(days=interval_days * index),
            starts_at=starts_at,
            ends_at=ends_at,
            mode=CourseDay.Mode.PHYSICAL if index == 0 else CourseDay.Mode.DIGITAL,
            venue=venue if index == 0 else None,
            meeting_url="" if index == 0 else meeting_url,
        )
        for index in range(count)
    ]
