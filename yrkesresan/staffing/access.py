"""Who may plan a structure's term and answer planned days, over accounts.access.

Planning is the coordinator's (and administrators'): a planner of another structure gets a 404
for a structure they do not plan, everyone else a 403 (the planning pages are not for them).
A planned day is answered only by its person; anyone else gets a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.accounts.access import scope_for
from yrkesresan.rounds.access import planned_structures
from yrkesresan.rounds.models import TERM_PATTERN

from .models import Plan, PlanAssignment, PoolMembership


def require_planner(user):
    if not scope_for(user).may_plan_rounds:
        raise PermissionDenied


def get_structure_for_planner(user, pk):
    require_planner(user)
    return get_object_or_404(planned_structures(user), pk=pk)


def term_from_slug(slug):
    """ "VT-2027" -> "VT 2027"; anything else is a 404."""
    term = slug.replace("-", " ")
    if not TERM_PATTERN.match(term):
        raise Http404
    return term


def get_plan_for_planner(user, pk):
    require_planner(user)
    return get_object_or_404(
        Plan.objects.filter(structure__in=planned_structures(user)).select_related("structure"),
        pk=pk,
    )


def get_membership_for_manager(user, pk):
    """An application of someone in one of the manager's units: others get a 404, and a
    person who manages no unit a 403."""
    scope = scope_for(user)
    if not scope.managed_unit_ids:
        raise PermissionDenied
    return get_object_or_404(
        PoolMembership.objects.select_related("person"),
        pk=pk,
        person__unit__in=scope.managed_unit_ids,
    )


def applications_for_manager(user):
    scope = scope_for(user)
    if not scope.managed_unit_ids:
        raise PermissionDenied
    return (
        PoolMembership.objects.filter(person__unit__in=scope.managed_unit_ids)
        .select_related("person", "structure")
        .prefetch_related("courses")
        .order_by("status", "person__last_name", "person__first_name")
    )


def get_membership_for_planner(user, pk):
    require_planner(user)
    return get_object_or_404(
        PoolMembership.objects.filter(structure__in=planned_structures(user)), pk=pk
    )


def get_own_assignment(user, pk):
    return get_object_or_404(
        PlanAssignment.objects.select_related("plan", "day__round"), pk=pk, person=user.pk
    )


def trainers_for_manager(user):
    """The accepted pool members among the manager's units' staff (for their availability);
    a person who manages no unit gets a 403."""
    scope = scope_for(user)
    if not scope.managed_unit_ids:
        raise PermissionDenied
    return (
        PoolMembership.objects.filter(
            person__unit__in=scope.managed_unit_ids, status=PoolMembership.Status.ACCEPTED
        )
        .select_related("person", "structure")
        .order_by("person__last_name", "person__first_name", "structure__name")
    )


def get_trainer_for_manager(user, pk):
    """An accepted pool member of one of the manager's units: others get a 404."""
    return get_object_or_404(trainers_for_manager(user), pk=pk)
