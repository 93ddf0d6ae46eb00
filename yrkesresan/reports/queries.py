"""Counts for the organisation pages, computed in the database."""

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.enrolment.models import Registration
from yrkesresan.organisations.models import County, Municipality, Unit, member_on
from yrkesresan.rounds.models import Round, term_dates

from .planning import billable_q


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
