"""Reports for planning: the term overview, capacity planning, what municipalities owe for a
round, and the manager's view of their staff in the rounds. Reads only."""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course, Journey, Step
from yrkesresan.enrolment.models import Placement, Registration
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.enrolment.queries import ACTIVE, member_staff
from yrkesresan.rounds.models import CourseDay, Round, term_dates
from yrkesresan.rounds.queries import DEFAULT_SEATS, PLANNED_STATUSES, logistics_of

DONE_STATUSES = (Round.Status.RUNNING, Round.Status.COMPLETED)


REGISTERED = Registration.Status.REGISTERED


WAITLISTED = Registration.Status.WAITLISTED


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


def _with_steps(queryset, journeys, on, person=""):
    """`queryset` annotated with `step_<journey id>` for each journey: the id of the step the
    person (`person` is the path to the User, "" on User itself) is on, or None.

    That is their placement's step on the journey, else Journey.suggested_step (its database
    expression, with the years counted to `on`): what learning.services.current_placement
    decides for one person.
    Returns the annotated queryset and the names of the annotations.
    """
    names = []
    for journey in journeys:
        placement, name = f"placement_{journey.pk}", f"step_{journey.pk}"
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
                    journey.suggested_step_expression(on, person),
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

    A person's step is their placement (see learning.services.current_placement), else
    Journey.suggested_step: the step for their role at work, else the one their years in the
    profession (counted today) suggest. Per course, a person's standing is the best of their
    registrations in rounds of the course that are not cancelled: done (a seat in a running
    or completed round), booked (a seat in another round whose last day is on or before
    `by_date`), waiting (on a waiting list) or none. A round counts for the free seats if it
    is the structure's, planned, and its last day is on or before `by_date`.
    `seats_per_round` defaults to the seats of the structure's latest round of the course,
    else DEFAULT_SEATS.

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


def billable_q(path=""):
    """The registrations a municipality pays for: a seat, or a cancellation after the deadline
    (the waiting list is free). `path` leads to the registration ("registrations__")."""
    return Q(**{f"{path}status": Registration.Status.REGISTERED}) | Q(
        **{f"{path}status": Registration.Status.CANCELLED, f"{path}cancelled_late": True}
    )


def fee_rows(round):
    """What each municipality owes for a round under its fee model, and the people behind it.

    A participant with a seat is billed, and so is one who cancelled after the deadline; the
    waiting list is not. Returns (rows by municipality name, the billable registrations).
    Two queries.
    """
    fee_each = round.fee_for(day_count=round.days.count())
    billable = list(
        Registration.objects.filter(round=round)
        .filter(billable_q())
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


# The term as a picture: the coordinator's timeline


@dataclass
class TimelineDay:
    day: CourseDay
    column: int  # the week of the term, from 1
    team: str  # the team's name; "" when the day has none
    checklist: list  # [{"name", "label", "done"}] for the day's mode (rounds.queries)
    is_today: bool = False

    @property
    def checklist_done(self):
        return sum(1 for item in self.checklist if item["done"])

    @property
    def checklist_complete(self):
        return self.checklist_done == len(self.checklist)

    @property
    def open_items(self):
        return [item["label"] for item in self.checklist if not item["done"]]


@dataclass
class TimelineRow:
    round: Round
    days: list


@dataclass
class Week:
    column: int
    monday: object
    number: int  # the ISO week


@dataclass
class TermTimeline:
    term: str
    weeks: list
    rows: list
    today_column: int | None  # the week of today, when today lies in the term


def term_timeline(rounds, term, today=None):
    """Every round of `rounds` (one term's) a row, every course day a mark in its week of the
    term, with the day's team and checklist. Two queries: the rounds, their days with teams.

    Weeks run Monday to Sunday from the week of the term's first day to that of its last.
    """
    today = today or timezone.localdate()
    first, last = term_dates(term)
    start = first - datetime.timedelta(days=first.weekday())
    weeks = [
        Week(column, monday, monday.isocalendar()[1])
        for column, monday in enumerate(
            (start + datetime.timedelta(weeks=n) for n in range((last - start).days // 7 + 1)),
            start=1,
        )
    ]

    def column(date):
        return (date - start).days // 7 + 1

    days = Prefetch(
        "days",
        queryset=CourseDay.objects.select_related("team_assignment__team").order_by("number"),
    )
    rows = []
    for round in (
        rounds.select_related("course", "structure")
        .prefetch_related(days)
        .annotate(first_day=first_day_subquery())
        .order_by(F("first_day").asc(nulls_last=True), "course__title", "name", "pk")
    ):
        marks = []
        for day in round.days.all():
            assignment = getattr(day, "team_assignment", None)
            marks.append(
                TimelineDay(
                    day=day,
                    column=min(max(column(day.date), 1), len(weeks)),
                    team=assignment.team.name if assignment else "",
                    checklist=logistics_of(day),
                    is_today=day.date == today,
                )
            )
        rows.append(TimelineRow(round, marks))
    today_column = column(today) if first <= today <= last else None
    return TermTimeline(term, weeks, rows, today_column)


@dataclass
class StepCount:
    """The staff of a municipality on one step of a journey: how many, how many have a seat
    in a round, how many wait for one."""

    journey: str
    step: str
    staff: int = 0
    in_round: int = 0
    waiting: int = 0


def municipality_steps(municipality_ids, today=None):
    """{municipality id: [StepCount, in the journeys' and steps' order]} of the active staff of
    `municipality_ids` on each published journey (a person's step as in capacity_plan: their
    placement, else the suggested step; "–" for none). Three queries, whatever the size: the
    journeys, their steps, and the staff grouped by municipality, step and status."""
    today = today or timezone.localdate()
    journeys = list(
        Journey.objects.filter(status=Journey.Status.PUBLISHED)
        .order_by("name")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("order", "pk")))
    )
    live = Registration.objects.filter(person=OuterRef("pk"), round__status__in=Round.LIVE_STATUSES)
    staff = User.objects.filter(municipality_id__in=municipality_ids, is_active=True).annotate(
        in_round=Exists(live.filter(status=REGISTERED)),
        waiting=Exists(live.filter(status=WAITLISTED)),
    )
    people, names = _with_steps(staff.order_by(), journeys, today)
    groups = people.values("municipality_id", *names, "in_round", "waiting").annotate(n=Count("pk"))
    counts = defaultdict(dict)  # municipality id -> {(journey, step id): StepCount}
    order = {}
    for journey in journeys:
        for step in journey.steps.all():
            order[journey.pk, step.pk] = (journey.name, step.name, len(order))
        order[journey.pk, None] = (journey.name, "–", len(order))
    for row in groups:
        for journey, name in zip(journeys, names, strict=True):
            journey_name, step_name, _position = order[journey.pk, row[name]]
            count = counts[row["municipality_id"]].setdefault(
                (journey.pk, row[name]), StepCount(journey_name, step_name)
            )
            count.staff += row["n"]
            count.in_round += row["n"] if row["in_round"] else 0
            count.waiting += row["n"] if row["waiting"] else 0
    return {
        municipality_id: [
            count for key, count in sorted(by_step.items(), key=lambda item: order[item[0]][2])
        ]
        for municipality_id, by_step in counts.items()
    }
