"""Planning course rounds: creating them with proposed days, changing rounds and days, venues,
the logistics checklist, the term overview, capacity planning and what municipalities owe.

Seats and registrations are never written here: seat changes go through
`services.change_seats` and registrations through `services.register` and
`services.cancel_registration`, which hold the round's row lock. Every change is logged with
`log_action`. Refusals raise PlanningError with complete, translated sentences.
"""

import calendar
import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course, Journey, Step
from yrkesresan.core.models import AuditEvent, log_action
from yrkesresan.learning.models import Placement
from yrkesresan.learning.services import current_placement
from yrkesresan.organisations.models import Municipality
from yrkesresan.staffing.models import TeamDay

from . import notify, services
from .models import TERM_PATTERN, CourseDay, Registration, Round, Venue, term_dates, term_of

# People on a physical day besides the participants: in Region Mälardalen a team of four
# trainers takes each day and the course leader, who may belong to the other team, attends
# every day. Venue capacity and fika are planned for that many.
TRAINERS_ON_A_DAY = 5
# Seats of a round when a structure has no earlier round of the course to go by (the first
# national round had 25 participants).
DEFAULT_SEATS = 25
DEFAULT_STARTS_AT = datetime.time(9, 0)
DEFAULT_ENDS_AT = datetime.time(16, 0)

# The coordinator's checklist, per mode of the day: CourseDay fields in display order.
LOGISTICS = {
    CourseDay.Mode.PHYSICAL: ["room_booked", "fika_ordered", "material_sent"],
    CourseDay.Mode.DIGITAL: ["material_sent", "link_sent"],
}
LOGISTICS_FIELDS = tuple(dict.fromkeys(name for names in LOGISTICS.values() for name in names))
# Rounds whose seats still lie ahead: planned, open or closed for registration.
PLANNED_STATUSES = (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED)
DONE_STATUSES = (Round.Status.RUNNING, Round.Status.COMPLETED)
REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
ACTIVE = (REGISTERED, WAITLISTED)


@dataclass(frozen=True)
class Problem:
    """One reason a plan is refused: for the round (`field`) or for one day (`day`, 1-based)."""

    message: str
    field: str | None = None
    day: int | None = None


class PlanningError(Exception):
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


def next_term(term):
    """The term after `term`: VT 2027 → HT 2027 → VT 2028."""
    half, year = term.split()
    return f"HT {year}" if half == "VT" else f"VT {int(year) + 1}"


def coming_terms(today=None, count=4):
    """The current term and the `count - 1` after it, for choosing a round's term."""
    term = term_of(today or timezone.localdate())
    terms = [term]
    while len(terms) < count:
        terms.append(next_term(terms[-1]))
    return terms


def is_term(value):
    return bool(TERM_PATTERN.match(value or ""))


def default_term(terms_with_rounds, today=None):
    """The term a page opens on: the current one, or the next if only that has rounds."""
    current = term_of(today or timezone.localdate())
    following = next_term(current)
    if current not in terms_with_rounds and following in terms_with_rounds:
        return following
    return current


# Proposing and checking a plan ------------------------------------------------------------


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
):
    """Every problem with a round's plan, as a list of Problem (empty when the plan holds).

    Days must be in order (each after the one before), inside the term and not before today;
    a date in `unchanged_dates` (0-based day indexes) is exempt from the last rule, so that a
    round already under way can still be edited. Physical days need a venue of the structure
    that holds the seats plus TRAINERS_ON_A_DAY; digital days need a meeting link. The
    registration deadline falls before the first day.
    """
    today = today or timezone.localdate()
    problems = []
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
    )
    if problems:
        raise PlanningError(problems)
    round = Round.objects.create(
        course=course,
        structure=structure,
        term=term,
        name=name.strip(),
        seats=seats,
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
)


@transaction.atomic
def update_round(round, *, by, seats, **fields):
    """Change a round's plan: name, term, seats, registration window, fee and notes
    (keywords as in ROUND_FIELDS; the course leader belongs to staffing). More seats promote
    people from the waiting list at once (through services.change_seats). Completed and
    cancelled rounds cannot change."""
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
    if seats != locked.seats:
        try:
            locked = services.change_seats(locked, seats, by=by)
        except services.RegistrationError as error:
            raise PlanningError([Problem(str(error), "seats")]) from None
    return locked


def _loggable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def copy_round(round, *, first_day, name, by):
    """A new draft round like `round`, its days shifted so that the first is `first_day`.

    The copy's days must lie ahead and inside one term (the term of `first_day`); the copy is
    made by services.copy_round.
    """
    days = [DayPlan.of(day) for day in round.days.select_related("venue")]
    shift = first_day - days[0].date if days else datetime.timedelta(0)
    shifted = [replace(day, date=day.date + shift) for day in days]
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
    return services.copy_round(round, first_day=first_day, name=name.strip(), by=by)


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
    round's participants (notify.course_day_changed); it also clears the checklist items it
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
    notify.course_day_changed(day)
    return day


def logistics_items(day):
    """The checklist fields that apply to the day's mode, in display order."""
    return LOGISTICS[day.mode]


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


def trainers_on_days(round):
    """day id -> how many trainers work that day: the members of the team given the day and
    the course leader (see staffing). A day without a team counts TRAINERS_ON_A_DAY. One query.
    """
    people = defaultdict(set)
    for day_id, member_id in TeamDay.objects.filter(day__round=round).values_list(
        "day_id", "team__members"
    ):
        if member_id is not None:
            people[day_id].add(member_id)
    leader = {round.course_leader_id} if round.course_leader_id else set()
    counts = defaultdict(lambda: TRAINERS_ON_A_DAY)
    for day_id, members in people.items():
        counts[day_id] = len(members | leader)
    return counts


def fika_count(registered_count, trainers=TRAINERS_ON_A_DAY):
    """How many to order fika for: the participants with seats and the day's trainers."""
    return registered_count + trainers


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


def first_day_subquery(round_ref="pk"):
    """The date of the first day of the round that `round_ref` (an outer field) names."""
    return Subquery(
        CourseDay.objects.filter(round=OuterRef(round_ref)).order_by("number").values("date")[:1]
    )


def last_day_subquery(round_ref="pk"):
    """The date of the last day of the round that `round_ref` (an outer field) names."""
    return Subquery(
        CourseDay.objects.filter(round=OuterRef(round_ref)).order_by("-number").values("date")[:1]
    )


def registration_count_subquery(status, round_ref="pk"):
    """How many registrations with `status` the round that `round_ref` names has.

    A correlated count (an index-only scan of the round's registrations in PostgreSQL), for
    lists of a few rounds: Round.with_counts joins the registrations and groups by the round,
    which made PostgreSQL read every registration of every round to count a dozen rounds.
    """
    counts = (
        Registration.objects.filter(round=OuterRef(round_ref), status=status)
        .order_by()
        .values("round")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counts[:1]), Value(0))


def rounds_for_list(rounds):
    """`rounds` with counts, first and last day and what the list pages show, in date order.

    The counts are `registered_count` and `waitlisted_count`, as Round.with_counts gives them.
    """
    return (
        rounds.annotate(
            registered_count=registration_count_subquery(REGISTERED),
            waitlisted_count=registration_count_subquery(WAITLISTED),
            first_day=first_day_subquery(),
            last_day=last_day_subquery(),
        )
        .select_related("course__step", "structure")
        .order_by("first_day", "course__title", "name", "pk")
    )


@dataclass
class OverviewRow:
    round: Round
    breakdown: bool = False  # counts by municipality are shown (the viewer manages the round)
    # municipality name -> {"registered": n, "waitlisted": n}
    by_municipality: dict = field(default_factory=dict)
    mine_registered: int = 0
    mine_waitlisted: int = 0

    @property
    def free_seats(self):
        return max(self.round.seats - self.round.registered_count, 0)


def term_overview(rounds, *, staff=None, breakdown_structure_ids=()):
    """Rows for the term overview, in at most three queries whatever the number of rounds.

    `staff` (a queryset of people) adds how many of them are registered and waiting in each
    round. The counts of rounds run by `breakdown_structure_ids` (None: every round) are broken
    down by municipality. Returns (rows, matrix): the matrix lists, per municipality, its cell
    (a dict of registered and waitlisted counts, or None) for each row with a breakdown.
    """
    rows = [
        OverviewRow(
            round,
            breakdown=breakdown_structure_ids is None
            or round.structure_id in breakdown_structure_ids,
        )
        for round in rounds_for_list(rounds)
    ]
    by_pk = {row.round.pk: row for row in rows}
    columns = [row for row in rows if row.breakdown]
    municipalities = set()
    if columns:
        breakdown = [row.round.pk for row in columns]
        # Counted in the database. No ordering: Registration's default one joins the round's
        # course, step and journey. The person's municipality comes from a correlated
        # subquery, so that PostgreSQL looks up the few people by key instead of hashing the
        # whole staff table for a join.
        municipality = User.objects.filter(pk=OuterRef("person_id")).order_by()
        counts = (
            Registration.objects.filter(round_id__in=breakdown, status__in=ACTIVE)
            .order_by()
            .annotate(municipality=Subquery(municipality.values("municipality__name")[:1]))
            .values_list("round_id", "municipality", "status")
            .annotate(n=Count("*"))
        )
        for round_id, municipality, status, n in counts:
            name = municipality or "–"
            municipalities.add(name)
            cell = by_pk[round_id].by_municipality.setdefault(
                name, {"registered": 0, "waitlisted": 0}
            )
            cell[status] += n
    if staff is not None and by_pk:
        mine = (
            Registration.objects.filter(
                round_id__in=list(by_pk), status__in=ACTIVE, person__in=staff
            )
            .order_by()
            .values_list("round_id", "status")
        )
        for round_id, status in mine:
            row = by_pk[round_id]
            if status == Registration.Status.REGISTERED:
                row.mine_registered += 1
            else:
                row.mine_waitlisted += 1
    matrix = [
        (name, [row.by_municipality.get(name) for row in columns])
        for name in sorted(municipalities)
    ]
    return rows, matrix


# The round page ---------------------------------------------------------------------------


def round_queue(round, with_names):
    """One query over every registration of the round in queue order: (positions, number
    with a seat, names). positions: registration id -> place on the waiting list (1 is next);
    names (only `with_names`, for the change log): registration id -> the person's name."""
    fields = ["pk", "status"] + (["person__first_name", "person__last_name"] if with_names else [])
    positions, names, registered = {}, {}, 0
    for pk, status, *name in (
        Registration.objects.filter(round=round).order_by("queued_at", "pk").values_list(*fields)
    ):
        if with_names:
            names[pk] = f"{name[0]} {name[1]}"
        if status == Registration.Status.REGISTERED:
            registered += 1
        elif status == Registration.Status.WAITLISTED:
            positions[pk] = len(positions) + 1
    return positions, registered, names


def change_log(round, day_numbers, names, limit=100):
    """The round's audit events and those of its days and registrations, newest first, with
    the day numbers (day id -> number) and names (registration id -> name, round_queue) the
    page has already read. Each event gets `subject`: the day ("Day 2") or the participant's
    name, or "" for the round itself. One query."""
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="rounds.round", object_id=str(round.pk))
            | Q(object_type="rounds.courseday", object_id__in=[str(pk) for pk in day_numbers])
            | Q(object_type="rounds.registration", object_id__in=[str(pk) for pk in names])
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        if event.object_type == "rounds.courseday":
            event.subject = _("Day %(number)s") % {
                "number": day_numbers.get(int(event.object_id), "?")
            }
        elif event.object_type == "rounds.registration":
            event.subject = names.get(int(event.object_id), "")
        else:
            event.subject = ""
    return events


# Capacity planning --------------------------------------------------------------------------


@dataclass
class CourseNeed:
    """How far a structure has come with one course, counted in people on the course's step."""

    course: Course
    on_step: int = 0
    done: int = 0  # a seat in a running or completed round
    booked: int = 0  # a seat in a planned round that ends by the chosen date
    waiting: int = 0  # on a waiting list (they still need a seat)
    free_seats: int = 0  # free seats in planned rounds that end by the chosen date
    planned_rounds: int = 0
    seats_per_round: int = DEFAULT_SEATS
    by_municipality: Counter = field(default_factory=Counter)

    @property
    def need(self):
        """People on the step without a seat that gets them through by the date."""
        return self.on_step - self.done - self.booked

    @property
    def shortfall(self):
        return max(self.need - self.free_seats, 0)

    @property
    def rounds_needed(self):
        return math.ceil(self.shortfall / self.seats_per_round) if self.seats_per_round else 0


def published_journeys():
    """Published journeys with their steps and the steps' courses, in two queries."""
    return list(
        Journey.objects.filter(status=Journey.Status.PUBLISHED).prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.prefetch_related(
                    Prefetch("courses", queryset=Course.objects.order_by("order", "title"))
                ),
            )
        )
    )


def member_staff(structure, today=None, person=""):
    """Active people employed in the member municipalities of the structure's counties.

    With `person` (the path to a User, e.g. "person__"), the Q that picks rows of another
    model whose person is one of them, without a subquery of people.
    """
    members = Municipality.objects.members(today).filter(county__support_structures=structure)
    if person:
        return Q(**{f"{person}is_active": True, f"{person}municipality__in": members})
    return User.objects.filter(is_active=True, municipality__in=members)


def _started_by(on, years):
    """The latest `profession_started_on` that gives at least `years` whole years in the
    profession on `on` (as User.years_in_profession counts them), or None if no date does.

    years_in_profession(on) >= n exactly when (start.year, start.month, start.day) <=
    (on.year - n, on.month, on.day); a 29 February that the year lacks becomes the 28th.
    """
    year = on.year - years
    if year < datetime.MINYEAR:
        return None
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return datetime.date(year, on.month, day)


def _covers_years_q(step, on, person=""):
    """Step.covers_years(years_in_profession(on)) of the person as a Q on their start date, or
    None when it holds for nobody (a role step without a year range, or a range beyond any
    date). `person` is the path to the User from the queried model ("" on User itself).

    A start in the future counts as 0 years, so a range from 0 only needs a known start.
    """
    if step.min_years is None:
        return None
    started = f"{person}profession_started_on"
    q = Q(**{f"{started}__isnull": False})
    if step.min_years > 0:
        latest = _started_by(on, step.min_years)
        if latest is None:
            return None
        q &= Q(**{f"{started}__lte": latest})
    if step.max_years is not None:
        # max_years > min_years >= 0 (a constraint), so the floor at 0 years plays no part.
        too_early = _started_by(on, step.max_years)
        if too_early is not None:
            q &= Q(**{f"{started}__gt": too_early})
    return q


def _with_steps(queryset, journeys, on, person=""):
    """`queryset` annotated with `step_<journey id>` for each journey: the id of the step the
    person (`person` is the path to the User, "" on User itself) is on, or None.

    That is their placement's step on the journey, else the first of `journey.steps.all()`
    whose year range holds their years in the profession on `on`: what
    learning.services.current_placement and Journey.suggested_step decide for one person.
    Returns the annotated queryset and the names of the annotations.
    """
    names = []
    for journey in journeys:
        placement, name = f"placement_{journey.pk}", f"step_{journey.pk}"
        suggested = [
            When(q, then=Value(step.pk))
            for step in journey.steps.all()
            if (q := _covers_years_q(step, on, person)) is not None
        ]
        queryset = queryset.annotate(
            **{
                placement: FilteredRelation(
                    f"{person}placements",
                    condition=Q(**{f"{person}placements__journey": journey}),
                )
            }
        ).annotate(
            **{
                name: Coalesce(
                    F(f"{placement}__step_id"),
                    Case(*suggested, default=Value(None), output_field=BigIntegerField()),
                    output_field=BigIntegerField(),
                )
            }
        )
        names.append(name)
    return queryset, names


def capacity_plan(structure, *, by_date, seats_per_round=None, today=None):
    """Per course of the published journeys: how many staff of the structure's member
    municipalities are on the course's step, how many are through or booked, how many still
    need a seat, the free seats planned by `by_date`, and how many more rounds are needed.

    A person's step is their placement (see learning.services.current_placement), else the
    step their years in the profession (counted today) suggest. Per course, a person's
    standing is the best of their registrations in rounds of the course that are not
    cancelled: done (a seat in a running or completed round), booked (a seat in another round
    whose last day is on or before `by_date`), waiting (on a waiting list) or none. A round
    counts for the free seats if it is the structure's, planned, and its last day is on or
    before `by_date`. `seats_per_round` defaults to the seats of the structure's latest round
    of the course, else DEFAULT_SEATS.

    Everything is counted in the database, by municipality and by the person's step on each
    published journey: the people in one query, the people with each standing in another (as
    distinct people with a registration at least that good). Six queries, whatever the size.
    """
    journeys = published_journeys()
    courses = [c for j in journeys for s in j.steps.all() for c in s.courses.all()]
    needs = {course.pk: CourseNeed(course) for course in courses}
    courses_by_step = defaultdict(list)
    for course in courses:
        courses_by_step[course.step_id].append(course)
    on = timezone.localdate()  # the date User.years_in_profession counts to

    people, steps = _with_steps(member_staff(structure, today).order_by(), journeys, on)
    groups = people.values("municipality__name", *steps).annotate(people=Count("pk"))

    registrations = (
        Registration.objects.filter(
            member_staff(structure, today, person="person__"),
            round__course_id__in=list(needs),
            status__in=ACTIVE,
        )
        .exclude(round__status=Round.Status.CANCELLED)
        .annotate(last_day=last_day_subquery("round_id"))
        .order_by()
    )
    registrations, _steps = _with_steps(registrations, journeys, on, person="person__")
    seated = Q(status=REGISTERED)
    done = seated & Q(round__status__in=DONE_STATUSES)
    in_time = done | (seated & Q(last_day__lte=by_date))
    # Per group and course, the distinct people with a registration at least this good: done;
    # done or booked; done, booked or waiting (a seat in a round ending too late is none).
    standings = {
        (row["person__municipality__name"], *(row[step] for step in steps), row["course"]): row
        for row in registrations.values(
            "person__municipality__name", *steps, course=F("round__course_id")
        ).annotate(
            done=Count("person", distinct=True, filter=done),
            in_time=Count("person", distinct=True, filter=in_time),
            any=Count("person", distinct=True, filter=in_time | Q(status=WAITLISTED)),
        )
    }

    nobody = {"done": 0, "in_time": 0, "any": 0}
    for group in groups:
        name = group["municipality__name"]
        key = (name, *(group[step] for step in steps))
        # A person counts for every course of their step on each journey.
        for step in steps:
            for course in courses_by_step.get(group[step], ()):
                counted = standings.get((*key, course.pk), nobody)
                need = needs[course.pk]
                need.on_step += group["people"]
                need.done += counted["done"]
                need.booked += counted["in_time"] - counted["done"]
                need.waiting += counted["any"] - counted["in_time"]
                if group["people"] > counted["in_time"]:
                    need.by_municipality[name] += group["people"] - counted["in_time"]
    rounds = (
        Round.objects.filter(structure=structure, course_id__in=list(needs))
        .exclude(status=Round.Status.CANCELLED)
        .annotate(
            registered_count=registration_count_subquery(REGISTERED), last_day=last_day_subquery()
        )
        .order_by("created_at", "pk")
    )
    for round in rounds:
        need = needs[round.course_id]
        if seats_per_round is None:
            need.seats_per_round = round.seats or DEFAULT_SEATS
        if round.status in PLANNED_STATUSES and round.last_day and round.last_day <= by_date:
            need.planned_rounds += 1
            need.free_seats += max(round.seats - round.registered_count, 0)
    if seats_per_round:
        for need in needs.values():
            need.seats_per_round = seats_per_round
    return [needs[course.pk] for course in courses]


# Fees -------------------------------------------------------------------------------------


@dataclass
class FeeRow:
    municipality: str
    registered: int = 0
    late_cancelled: int = 0
    fee_each: object = 0

    @property
    def billable(self):
        return self.registered + self.late_cancelled

    @property
    def total(self):
        return self.fee_each * self.billable


def fee_rows(round):
    """What each municipality owes for a round under its fee model, and the people behind it.

    A participant with a seat is billed, and so is one who cancelled after the deadline; the
    waiting list is not. Returns (rows by municipality name, the billable registrations).
    Two queries.
    """
    fee_each = round.fee_for(day_count=round.days.count())
    billable = list(
        Registration.objects.filter(round=round)
        .filter(
            Q(status=Registration.Status.REGISTERED)
            | Q(status=Registration.Status.CANCELLED, cancelled_late=True)
        )
        .select_related("person__municipality", "person__unit")
        .order_by("person__municipality__name", "person__last_name", "person__first_name")
    )
    rows = {}
    for registration in billable:
        municipality = registration.person.municipality
        name = municipality.name if municipality else "–"
        row = rows.setdefault(name, FeeRow(name, fee_each=fee_each))
        if registration.status == Registration.Status.REGISTERED:
            row.registered += 1
        else:
            row.late_cancelled += 1
    return [rows[name] for name in sorted(rows)], billable


# The manager's page -----------------------------------------------------------------------


@dataclass
class CourseGap:
    """A course on the person's step they have no seat in, with the open rounds to choose;
    none while they wait in a round of it (`waiting_in`): one live registration per course."""

    course: Course
    open_rounds: list
    waiting_in: Registration | None = None


@dataclass
class StaffRow:
    person: User
    steps: list  # the person's step on each published journey (None when unknown)
    places: list  # registrations with a seat or on a waiting list, in rounds not cancelled
    gaps: list  # CourseGap for each course on their step without a seat

    @property
    def needs_place(self):
        return bool(self.gaps)


def staff_places(people, open_rounds):
    """For each person in `people` (a queryset): their step, where they are registered or
    waiting, and which courses on their step they still need a seat in, with the rounds in
    `open_rounds` (a queryset) that offer one. A constant number of queries.
    """
    journeys = published_journeys()
    courses_by_step = defaultdict(list)
    for journey in journeys:
        for step in journey.steps.all():
            courses_by_step[step.pk].extend(step.courses.all())
    persons = list(
        people.select_related("municipality", "unit")
        .prefetch_related(Prefetch("placements", queryset=Placement.objects.select_related("step")))
        .order_by("last_name", "first_name", "pk")
    )
    registrations = (
        Registration.objects.filter(person__in=people, status__in=ACTIVE)
        .exclude(round__status=Round.Status.CANCELLED)
        .select_related("round__course__step", "round__structure")
        .annotate(first_day=first_day_subquery("round_id"))
        .order_by("first_day", "pk")
    )
    by_person = defaultdict(list)
    for registration in registrations:
        by_person[registration.person_id].append(registration)
    rounds_by_course = defaultdict(list)
    for round in rounds_for_list(open_rounds):
        round.free_seats = max(round.seats - round.registered_count, 0)
        rounds_by_course[round.course_id].append(round)
    rows = []
    for person in persons:
        places = by_person[person.pk]
        seated = {r.round.course_id for r in places if r.status == Registration.Status.REGISTERED}
        waiting = {
            r.round.course_id: r
            for r in places
            if r.status != Registration.Status.REGISTERED and r.round.status in Round.LIVE_STATUSES
        }
        steps = [current_placement(person, j, person.placements.all()).step for j in journeys]
        mine = {r.round_id for r in places}
        gaps = [
            CourseGap(
                course,
                []
                if course.pk in waiting
                else [round for round in rounds_by_course[course.pk] if round.pk not in mine],
                waiting.get(course.pk),
            )
            for step in steps
            if step is not None
            for course in courses_by_step[step.pk]
            if course.pk not in seated
        ]
        rows.append(StaffRow(person, steps, places, gaps))
    return rows
