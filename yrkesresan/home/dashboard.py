"""What the start page shows a logged-in person, section by section, by their roles."""

from django.db.models import Count
from django.utils import timezone

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Journey
from yrkesresan.learning.journey_map import journey_map_for, note_first_sight
from yrkesresan.organisations.models import Municipality, SupportStructure, Unit, member_on


def start_page_for(user):
    scope = scope_for(user)
    today = timezone.localdate()
    context = {"scope": scope, "roles": [role.label for role in scope.roles]}
    context["my_journey"] = my_journey(user)
    context["my_registrations"] = my_registrations(context["my_journey"])
    if scope.managed_unit_ids:
        context["managed_units"] = (
            Unit.objects.filter(pk__in=scope.managed_unit_ids)
            .select_related("municipality")
            .annotate(staff_count=Count("staff"))
        )
    if scope.contact_municipality_ids:
        context["contact_municipalities"] = Municipality.objects.filter(
            pk__in=scope.contact_municipality_ids
        ).annotate(
            staff_count=Count("staff", distinct=True), unit_count=Count("units", distinct=True)
        )
    structure_ids = scope.work_structure_ids
    if structure_ids:
        members = member_on("counties__municipalities", today)
        context["structures"] = (
            SupportStructure.objects.filter(pk__in=structure_ids)
            .annotate(
                municipality_count=Count("counties__municipalities", distinct=True),
                member_count=Count("counties__municipalities", filter=members, distinct=True),
            )
            .prefetch_related("counties")
        )
    if scope.edited_journey_ids or scope.is_admin:
        journeys = Journey.objects.annotate(course_count=Count("steps__courses"))
        if not scope.is_admin:
            journeys = journeys.filter(pk__in=scope.edited_journey_ids)
        context["edited_journeys"] = journeys
    return context


def my_journey(user):
    """The person's journey map (learning.journey_map), or None when nothing is published.

    The first visit records the step silently; moving up a step is announced on the map
    until the person dismisses it.
    """
    journey_map = journey_map_for(user)
    if journey_map is None:
        return None
    return note_first_sight(user, journey_map)


def my_registrations(journey_map):
    """The person's non-cancelled registrations, latest round first, each round's
    `days_in_order` (read from the journey map, so no further queries)."""
    return journey_map.registrations if journey_map else []
