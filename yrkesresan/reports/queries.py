"""Counts for the organisation pages, computed in the database."""

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.evaluations.models import Invitation, Question
from yrkesresan.evaluations.services import MODES
from yrkesresan.organisations.models import County, Municipality, Unit, member_on
from yrkesresan.rounds.models import CourseDay, Round, term_dates
from yrkesresan.staffing.models import TeamDay

from .disclosure import published_totals
from .models import ModeTally
from .planning import billable_q
from .statistics import SCORES, Distribution


def _count(queryset, field):
    """A correlated COUNT subquery, so that several counts do not multiply each other's joins.

    COUNT(*) rather than COUNT(pk), so that PostgreSQL can answer from an index on the filtered
    column alone (an index-only scan of `accounts_user.municipality_id` for the staff counts).
    """
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("*")).values("n")[:1]),
        Value(0),
    )


def counties_with_counts(on=None):
    """Every county with its number of municipalities, of members on `on` and of staff.

    All three counts are correlated subqueries evaluated once per county (21 rows). Counting
    the municipalities with a join instead made the query group by the other two subqueries,
    which PostgreSQL then evaluated once per municipality (290 times, ~4 500 staff rows each).
    """
    on = on or timezone.localdate()
    return County.objects.annotate(
        municipality_count=_count(Municipality.objects.filter(county=OuterRef("pk")), "county"),
        member_count=_count(
            Municipality.objects.members(on).filter(county=OuterRef("pk")), "county"
        ),
        staff_count=_count(
            User.objects.filter(municipality__county=OuterRef("pk")), "municipality__county"
        ),
    ).prefetch_related("support_structures")


def municipalities_with_counts(county, on=None):
    """The county's municipalities with `is_member` (a member on `on`), their number of units
    and of staff: correlated counts, no GROUP BY."""
    on = on or timezone.localdate()
    return (
        Municipality.objects.filter(county=county)
        .annotate(
            is_member=member_on("pk", on),
            unit_count=_count(Unit.objects.filter(municipality=OuterRef("pk")), "municipality"),
            staff_count=_count(User.objects.filter(municipality=OuterRef("pk")), "municipality"),
        )
        .order_by("name")
    )


# The municipal contact's panel on the start page.

# The terms whose fees the panel shows, latest first.
FEE_TERMS = 4


@dataclass
class MunicipalityWork:
    """A municipality at a glance for its contact: its staff and units, how many wait for a
    seat and how many are in a round, the rounds its staff are in (with their number there),
    and what it owes per term (the latest FEE_TERMS)."""

    municipality: Municipality
    rounds: list = field(default_factory=list)  # Round with `mine_registered`, `mine_waiting`
    fees: list = field(default_factory=list)  # (term, amount, billable people)
    by_step: list = field(default_factory=list)  # reports.planning.StepCount


def municipality_work(municipality_ids):
    """MunicipalityWork for each municipality in `municipality_ids`, by name. Three queries:
    the municipalities with their counts, their staff's registrations grouped by round, and
    those rounds with their number of days (for the fee model)."""
    live = Q(registrations__round__status__in=Round.LIVE_STATUSES)
    staff = User.objects.filter(municipality=OuterRef("pk"), is_active=True)
    municipalities = (
        Municipality.objects.filter(pk__in=municipality_ids)
        .annotate(
            staff_count=_count(staff, "municipality"),
            unit_count=_count(Unit.objects.filter(municipality=OuterRef("pk")), "municipality"),
            waiting_count=_count(
                staff.filter(live, registrations__status=Registration.Status.WAITLISTED).distinct(),
                "municipality",
            ),
            in_round_count=_count(
                staff.filter(live, registrations__status=Registration.Status.REGISTERED).distinct(),
                "municipality",
            ),
        )
        .order_by("name")
    )
    work = {m.pk: MunicipalityWork(m) for m in municipalities}
    counts = (
        Registration.objects.filter(person__municipality_id__in=work)
        .exclude(round__status=Round.Status.CANCELLED)
        .order_by()
        .values_list("person__municipality_id", "round_id")
        .annotate(
            registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
            billable=Count("pk", filter=billable_q()),
        )
    )
    counts = list(counts)
    rounds = {
        round.pk: round
        for round in Round.objects.filter(pk__in={round_id for _m, round_id, *_ in counts})
        .select_related("course")
        .annotate(day_count=Count("days"))
    }
    fees = defaultdict(lambda: [0, 0])
    for municipality_id, round_id, registered, waiting, billable in counts:
        round = rounds[round_id]
        if round.status in Round.LIVE_STATUSES and (registered or waiting):
            shown = copy.copy(round)
            shown.mine_registered, shown.mine_waiting = registered, waiting
            work[municipality_id].rounds.append(shown)
        if billable:
            owed = fees[municipality_id, round.term]
            owed[0] += round.fee_for(day_count=round.day_count) * billable
            owed[1] += billable
    for (municipality_id, term), (amount, people) in fees.items():
        work[municipality_id].fees.append((term, amount, people))
    for item in work.values():
        item.rounds.sort(key=lambda r: (term_dates(r.term), r.course.title, r.name))
        item.fees.sort(key=lambda fee: term_dates(fee[0]), reverse=True)
        del item.fees[FEE_TERMS:]
    return list(work.values())


# Physical against digital days


@dataclass
class ModeGroups:
    """The scale answers to one day question, summed per mode over the groups that may be
    published (see mode_score_groups)."""

    question: Question
    physical: Distribution
    digital: Distribution
    # How many (round, mode) units were left out for having fewer than THRESHOLD people.
    withheld: int = 0


def mode_score_groups(rounds):
    """The answers to the day questions on a scale over `rounds`, per question and mode.

    Read from ModeTally (the answers counted per round, question and mode when they were
    moved in), so the work grows with the rounds, not with the answers; never a row per
    respondent. The unit is one round's answers to one question in one mode, summed by
    reports.disclosure, which leaves out every unit of fewer than THRESHOLD people whatever
    the filter: no two published figures differ by fewer than THRESHOLD people.

    Two queries: the questions, and the sums per question and mode.
    """
    # Every day question on a scale, retired ones too: they are kept below if answered.
    questions = list(
        Question.objects.filter(about=Question.About.DAY, kind=Question.Kind.SCALE).order_by(
            "order", "pk"
        )
    )
    totals = published_totals(
        ModeTally.objects.filter(round__in=rounds, question__in=[q.pk for q in questions]),
        unit=["round_id"],
        key=["question_id", "mode"],
        counts={
            "people": Sum("people"),
            **{f"score_{score}": Sum(f"score_{score}") for score in SCORES},
        },
        size="people",
    )
    answered = {question_id for question_id, _mode in totals}
    questions = [q for q in questions if q.active or q.pk in answered]

    def distribution(question, mode):
        total = totals.get((question.pk, mode), {})
        by_score = {score: total.get(f"score_{score}", 0) for score in SCORES}
        return Distribution.of(by_score, total.get("people", 0))

    def withheld(question):
        return sum(totals.get((question.pk, mode), {}).get("withheld", 0) for mode in MODES)

    return [
        ModeGroups(
            question,
            physical=distribution(question, CourseDay.Mode.PHYSICAL),
            digital=distribution(question, CourseDay.Mode.DIGITAL),
            withheld=withheld(question),
        )
        for question in questions
    ]


# Dashboards: counts grouped in the database, one query per figure


def _of_municipalities(queryset, path, municipality_ids):
    """`queryset` narrowed to the people whose municipality (reached by `path`) is one of
    `municipality_ids`; unchanged when that is None (the region's dashboard)."""
    if municipality_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": municipality_ids})


def _key(row, first, fields):
    return (row[first], *(row[field] for field in fields)) if fields else row[first]


def seats_by_term(rounds, *fields):
    """{term: planned seats} of `rounds`, cancelled rounds left out; with `fields` (paths
    from Round, e.g. `course__title`) {(term, *fields): seats}."""
    rows = (
        rounds.exclude(status=Round.Status.CANCELLED)
        .order_by()
        .values("term", *fields)
        .annotate(seats=Sum("seats"))
    )
    return {_key(row, "term", fields): row["seats"] or 0 for row in rows}


def registrations_by_term(rounds, *fields, municipality_ids=None):
    """{(term, status): registrations} in `rounds` (registered and waitlisted); with `fields`
    (paths from Registration) {(term, *fields, status): registrations}. `municipality_ids`
    counts only those municipalities' people."""
    registrations = _of_municipalities(
        Registration.objects.filter(round__in=rounds, status__in=Registration.LIVE_STATUSES),
        "person__municipality_id",
        municipality_ids,
    )
    rows = registrations.order_by().values("round__term", *fields, "status").annotate(n=Count("*"))
    return {
        (row["round__term"], *(row[field] for field in fields), row["status"]): row["n"]
        for row in rows
    }


def completions_by(rounds, *fields, municipality_ids=None):
    """{(term, *fields): completions} of the people who completed `rounds`; each field a
    path from Completion (`course__step__name`, `person__municipality__name`…).
    `municipality_ids` counts only those municipalities' people."""
    completions = _of_municipalities(
        Completion.objects.filter(registration__round__in=rounds),
        "person__municipality_id",
        municipality_ids,
    )
    rows = (
        completions.order_by().values("registration__round__term", *fields).annotate(n=Count("*"))
    )
    return {
        (row["registration__round__term"], *(row[field] for field in fields)): row["n"]
        for row in rows
    }


def invitations_by(rounds, field, municipality_ids=None):
    """{value of `field` (a path from Invitation): {"invited", "answered", "withheld"}} of
    the evaluation invitations of `rounds`; `municipality_ids` counts only those
    municipalities' people.

    The unit is one round's invitations to one municipality's staff, the same on every
    dashboard (region, county, municipality, nation), summed by reports.disclosure: a unit
    of fewer than THRESHOLD invited counts in no figure, and `withheld` says how many were
    left out.
    """
    invitations = _of_municipalities(
        Invitation.objects.filter(round__in=rounds),
        "completion__person__municipality_id",
        municipality_ids,
    )
    return published_totals(
        invitations,
        unit=["round_id", "completion__person__municipality_id"],
        key=[field],
        counts={"invited": Count("*"), "answered": Count("pk", filter=Q(answered=True))},
        size="invited",
    )


def participants_by(rounds, *fields):
    """{(term, *fields): registered participants} of `rounds`; fields are paths from
    Registration."""
    rows = (
        Registration.objects.filter(round__in=rounds, status=Registration.Status.REGISTERED)
        .order_by()
        .values("round__term", *fields)
        .annotate(n=Count("*"))
    )
    return {(row["round__term"], *(row[field] for field in fields)): row["n"] for row in rows}


def members_by_county(on):
    """{county name: member municipalities on `on`}."""
    rows = Municipality.objects.members(on).order_by().values("county__name").annotate(n=Count("*"))
    return {row["county__name"]: row["n"] for row in rows}


def trainer_days_given(rounds, municipality_ids=None):
    """{municipality name: trainer days} its trainers gave in `rounds`: each trainer in the
    team of a course day counts one day for their municipality. `municipality_ids` counts
    only those municipalities' trainers."""
    team_days = _of_municipalities(
        TeamDay.objects.filter(day__round__in=rounds),
        "team__members__municipality_id",
        municipality_ids,
    )
    rows = (
        team_days.order_by()
        .values("team__members__municipality__name")
        .annotate(n=Count("team__members"))
    )
    return {row["team__members__municipality__name"]: row["n"] for row in rows if row["n"]}


def course_days_taken(rounds, municipality_ids=None):
    """{municipality name: course days} its registered staff have a seat on in `rounds`:
    each registration counts its round's days. `municipality_ids` counts only those
    municipalities' staff."""
    registrations = _of_municipalities(
        Registration.objects.filter(round__in=rounds, status=Registration.Status.REGISTERED),
        "person__municipality_id",
        municipality_ids,
    )
    rows = (
        registrations.order_by()
        .values("person__municipality__name")
        .annotate(n=Count("round__days"))
    )
    return {row["person__municipality__name"]: row["n"] for row in rows}
