"""Who may see and do what. Every view and API goes through this module.

A person's scope is read once per request from their role assignments. Views fetch scoped
objects with the `get_*_for_user` helpers: an object outside the caller's scope is a 404 (its
existence is not revealed); a visible object the caller may not change is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import RoleAssignment, User

Role = RoleAssignment.Role


@dataclass(frozen=True)
class Scope:
    """The organisations and journeys a person's roles cover."""

    is_admin: bool = False
    managed_unit_ids: frozenset = frozenset()
    contact_municipality_ids: frozenset = frozenset()
    coordinated_structure_ids: frozenset = frozenset()
    coordinated_county_ids: frozenset = frozenset()
    trainer_structure_ids: frozenset = frozenset()
    course_leader_structure_ids: frozenset = frozenset()
    edited_journey_ids: frozenset = frozenset()

    @property
    def roles(self):
        """The roles held, in display order, for navigation and the start page."""
        held = []
        if self.is_admin:
            held.append(Role.ADMINISTRATOR)
        if self.edited_journey_ids:
            held.append(Role.NATIONAL_EDITOR)
        if self.coordinated_structure_ids:
            held.append(Role.COORDINATOR)
        if self.contact_municipality_ids:
            held.append(Role.MUNICIPAL_CONTACT)
        if self.managed_unit_ids:
            held.append(Role.MANAGER)
        if self.course_leader_structure_ids:
            held.append(Role.COURSE_LEADER)
        if self.trainer_structure_ids:
            held.append(Role.TRAINER)
        return held

    @property
    def sees_staff(self):
        return bool(
            self.is_admin
            or self.managed_unit_ids
            or self.contact_municipality_ids
            or self.coordinated_county_ids
        )


NO_SCOPE = Scope()


def scope_for(user):
    """The user's scope, computed once per user object (so once per request)."""
    if not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    by_role = {}
    counties = set()
    assignments = RoleAssignment.objects.filter(user=user).prefetch_related("structure__counties")
    for assignment in assignments:
        by_role.setdefault(assignment.role, set()).add(
            assignment.unit_id
            or assignment.municipality_id
            or assignment.structure_id
            or assignment.journey_id
        )
        if assignment.role == Role.COORDINATOR:
            counties.update(c.pk for c in assignment.structure.counties.all())
    scope = Scope(
        is_admin=Role.ADMINISTRATOR in by_role or user.is_superuser,
        managed_unit_ids=frozenset(by_role.get(Role.MANAGER, ())),
        contact_municipality_ids=frozenset(by_role.get(Role.MUNICIPAL_CONTACT, ())),
        coordinated_structure_ids=frozenset(by_role.get(Role.COORDINATOR, ())),
        coordinated_county_ids=frozenset(counties),
        trainer_structure_ids=frozenset(by_role.get(Role.TRAINER, ())),
        course_leader_structure_ids=frozenset(by_role.get(Role.COURSE_LEADER, ())),
        edited_journey_ids=frozenset(by_role.get(Role.NATIONAL_EDITOR, ())),
    )
    user._access_scope = scope
    return scope


# People


def staff_visible_to(user):
    """People whose records the user may see in staff lists: never people elsewhere.

    A manager sees their units, a municipal contact their municipality, a coordinator the
    counties their support structure covers, an administrator everyone.
    """
    scope = scope_for(user)
    if scope.is_admin:
        return User.objects.all()
    condition = Q(unit_id__in=scope.managed_unit_ids)
    condition |= Q(municipality_id__in=scope.contact_municipality_ids)
    condition |= Q(municipality__county_id__in=scope.coordinated_county_ids)
    if not scope.sees_staff:
        return User.objects.none()
    return User.objects.filter(condition)


def can_see_person(user, person):
    if person.pk == user.pk:
        return True
    scope = scope_for(user)
    return (
        scope.is_admin
        or (person.unit_id is not None and person.unit_id in scope.managed_unit_ids)
        or (person.municipality_id in scope.contact_municipality_ids)
        or (
            person.municipality_id is not None
            and person.municipality.county_id in scope.coordinated_county_ids
        )
    )


def get_person_for_user(user, pk):
    """The person with this id if the user may see them; 404 otherwise."""
    person = get_object_or_404(User.objects.select_related("municipality", "unit"), pk=pk)
    if not can_see_person(user, person):
        raise Http404
    return person


def can_set_placement(user, person):
    """A person's manager (of their unit) or an administrator may override a placement."""
    scope = scope_for(user)
    return scope.is_admin or (
        person.unit_id is not None and person.unit_id in scope.managed_unit_ids
    )


def get_person_for_placement(user, pk):
    """The person if the user may change their placement: 404 if unseen, 403 if only seen."""
    person = get_person_for_user(user, pk)
    if not can_set_placement(user, person):
        raise PermissionDenied
    return person


def require_staff_viewer(user):
    """403 for users whose roles give them no staff list."""
    if not scope_for(user).sees_staff:
        raise PermissionDenied


# Catalog


def can_edit_journey(user, journey):
    scope = scope_for(user)
    return scope.is_admin or journey.pk in scope.edited_journey_ids


def editable_journey_ids(user):
    """None means every journey (administrators)."""
    scope = scope_for(user)
    return None if scope.is_admin else scope.edited_journey_ids
