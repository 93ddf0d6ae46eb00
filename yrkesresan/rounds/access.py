"""Who may see and change course rounds, over the scope of accounts.access.

A round outside the caller's scope is a 404 (its existence is not revealed); a visible round
the caller may not use a page for is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.accounts.access import Viewer, is_registrar, scope_for
from yrkesresan.accounts.models import User
from yrkesresan.organisations.models import Municipality, SupportStructure

from .models import Round


def rounds_visible_to(user):
    """Rounds the user may see: their structures' rounds, their region's rounds but drafts for
    managers and municipal contacts (to register staff), and rounds they are registered in.
    A draft is for the people of its own structure until it is opened."""
    scope = scope_for(user)
    if scope.is_admin:
        return Round.objects.all()
    structure_ids = scope.work_structure_ids
    # Subqueries rather than joins: no duplicates to remove, and each uses its own index
    # (a join to the registrations made PostgreSQL read all of them). The registrations are
    # enrolment's, above this layer: reached through the person's reverse relation.
    own_rounds = user.registrations.order_by().values("round_id")
    condition = Q(structure_id__in=structure_ids) | Q(pk__in=own_rounds)
    registrar_counties = set()
    if scope.managed_unit_ids:
        registrar_counties.update(
            User.objects.filter(unit_id__in=scope.managed_unit_ids)
            .order_by()
            .values_list("municipality__county_id", flat=True)
            .distinct()
        )
    if scope.contact_municipality_ids:
        registrar_counties.update(
            Municipality.objects.filter(pk__in=scope.contact_municipality_ids).values_list(
                "county_id", flat=True
            )
        )
    if registrar_counties:
        covering = SupportStructure.objects.filter(counties__in=registrar_counties)
        condition |= Q(structure_id__in=covering.values("pk")) & ~Q(status=Round.Status.DRAFT)
    return Round.objects.filter(condition)


def can_manage_round(user, round):
    """The coordinator of the round's structure, or an administrator."""
    scope = scope_for(user)
    return scope.is_admin or round.structure_id in scope.coordinated_structure_ids


def can_see_needs(user, round):
    """Diet and accessibility needs: only the coordinator and the round's course leader."""
    scope = scope_for(user)
    return round.course_leader_id == user.pk or round.structure_id in (
        scope.coordinated_structure_ids
    )


def get_round_for_user(user, pk):
    """The round if the user may see it; 404 otherwise."""
    round = get_object_or_404(
        Round.objects.select_related(
            "course__step__journey", "course_version", "structure", "course_leader"
        ),
        pk=pk,
    )
    if not may_see_round(user, round):
        raise Http404
    return round


def may_see_round(user, round):
    """Whether the round is among rounds_visible_to(user). The first terms are decided without
    a query: administrators, and the people of the round's own structure."""
    scope = scope_for(user)
    own_structures = scope.work_structure_ids
    if scope.is_admin or round.structure_id in own_structures:
        return True
    return rounds_visible_to(user).filter(pk=round.pk).exists()


def get_round_requiring(user, pk, may):
    """The round if `may(user, round)`: 404 if the round is unseen, 403 if only seen."""
    round = get_round_for_user(user, pk)
    if not may(user, round):
        raise PermissionDenied
    return round


def get_round_for_manager(user, pk):
    """The round if the user manages it: 404 if unseen, 403 if only seen."""
    return get_round_requiring(user, pk, can_manage_round)


def get_round_for_staffing_viewer(user, pk):
    """(round, viewer): 404 if the round is unseen, 403 if seen by someone not on it.

    The coordinator and administrators manage; the round's course leader and the trainers and
    course leaders of its structure read. Others who see the round (managers and municipal
    contacts who register staff, participants) get a 403.
    """
    return get_round_with_viewer(user, pk, lambda viewer: viewer.may_run_round)


def planned_structures(user):
    """The support structures the user plans rounds for: coordinators theirs, admins all."""
    scope = scope_for(user)
    if scope.is_admin:
        return SupportStructure.objects.order_by("name")
    return SupportStructure.objects.filter(pk__in=scope.coordinated_structure_ids).order_by("name")


def viewer_of(user, round):
    """What the user is to the round (accounts.access.Viewer, whose may_ properties are the
    round pages' rules)."""
    scope = scope_for(user)
    manages = can_manage_round(user, round)
    return Viewer(
        manages=manages,
        leads=round.course_leader_id == user.pk,
        trains=round.structure_id in scope.teaching_structure_ids,
        registrar=is_registrar(user),
        sees_needs=can_see_needs(user, round),
        contact=bool(scope.contact_municipality_ids),
        registration_open=round.status == Round.Status.OPEN
        or (round.status == Round.Status.CLOSED and manages),
    )


def get_round_with_viewer(user, pk, may):
    """The round and the viewer if `may(viewer)`: 404 if the round is unseen, 403 if only
    seen."""
    round = get_round_for_user(user, pk)
    viewer = viewer_of(user, round)
    if not may(viewer):
        raise PermissionDenied
    return round, viewer


def get_round_for_page(user, pk):
    """The round and the viewer: 404 if unseen, 403 for those the round pages are not for."""
    return get_round_with_viewer(user, pk, lambda viewer: viewer.may_open_round_page)


def planned_structures_or_403(user):
    """The support structures the user plans rounds for; 403 for those who plan none."""
    if not scope_for(user).may_plan_rounds:
        raise PermissionDenied
    return planned_structures(user)
