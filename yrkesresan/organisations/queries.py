"""Counts for the organisation pages, computed in the database."""

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from yrkesresan.accounts.models import User

from .models import County, Membership, Municipality, Unit


def active_membership_q(prefix, on):
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


def _count(queryset, field):
    """A correlated COUNT subquery, so that several counts do not multiply each other's joins."""
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
    )


def counties_with_counts(on=None):
    on = on or timezone.localdate()
    members = Membership.objects.filter(
        active_membership_q("", on), municipality__county=OuterRef("pk")
    )
    return County.objects.annotate(
        municipality_count=Count("municipalities"),
        member_count=_count(members, "municipality__county"),
        staff_count=_count(
            User.objects.filter(municipality__county=OuterRef("pk")), "municipality__county"
        ),
    ).prefetch_related("support_structures")


def municipalities_with_counts(county, on=None):
    on = on or timezone.localdate()
    return (
        Municipality.objects.filter(county=county)
        .annotate(
            is_member=Count("memberships", filter=active_membership_q("memberships__", on)),
            unit_count=_count(Unit.objects.filter(municipality=OuterRef("pk")), "municipality"),
            staff_count=_count(User.objects.filter(municipality=OuterRef("pk")), "municipality"),
        )
        .order_by("name")
    )
