"""What the start page shows a logged-in person, section by section, by their roles."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Course, Journey, Step
from yrkesresan.learning.services import current_placement
from yrkesresan.organisations.models import Municipality, SupportStructure, Unit


def start_page_for(user):
    scope = scope_for(user)
    today = timezone.localdate()
    context = {"scope": scope, "roles": [role.label for role in scope.roles]}
    context["my_journey"] = my_journey(user)
    context["my_registrations"] = my_registrations(user)
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
    structure_ids = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    if structure_ids:
        active = Q(counties__municipalities__memberships__joined_on__lte=today) & (
            Q(counties__municipalities__memberships__left_on__isnull=True)
            | Q(counties__municipalities__memberships__left_on__gt=today)
        )
        context["structures"] = (
            SupportStructure.objects.filter(pk__in=structure_ids)
            .annotate(
                municipality_count=Count("counties__municipalities", distinct=True),
                member_count=Count("counties__municipalities", filter=active, distinct=True),
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
    """The published journey the person is on, their step and that step's courses."""
    journey = (
        Journey.objects.filter(status=Journey.Status.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.prefetch_related(
                    Prefetch("courses", queryset=Course.objects.order_by("order", "title"))
                ),
            )
        )
        .first()
    )
    if journey is None:
        return None
    placement = current_placement(user, journey)
    return {"journey": journey, "placement": placement}


def my_registrations(user):
    """The person's active registrations, soonest first, with each round's days."""
    from yrkesresan.rounds.models import CourseDay, Registration

    return (
        Registration.objects.filter(person=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("round__course")
        .prefetch_related(
            Prefetch("round__days", queryset=CourseDay.objects.select_related("venue"))
        )
        .order_by("-round__registration_closes_on")
    )
