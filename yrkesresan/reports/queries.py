"""Counts for the organisation pages, computed in the database."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.organisations.models import County, Municipality, Unit, member_on


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
