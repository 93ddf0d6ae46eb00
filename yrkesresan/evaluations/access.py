"""Which evaluation pages a user reaches. Checks that belong in accounts/access.py once the
lead moves them there; they build only on its functions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from yrkesresan.accounts import access

from . import services


def rounds_with_results_for(user):
    """Rounds whose results page the user may open: access.can_see_evaluation_results as a
    query, within the rounds the user sees at all (access.rounds_visible_to)."""
    rounds = access.rounds_visible_to(user)
    scope = access.scope_for(user)
    if scope.is_admin:
        return rounds
    structures = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    return rounds.filter(
        Q(structure_id__in=structures)
        | Q(course_leader=user)
        | Q(course__step__journey_id__in=scope.edited_journey_ids)
    )


def get_invitation_for_user(user, round_pk):
    """The user's own invitation to evaluate the round; 404 without one."""
    invitation = services.invitation_for(user, round_pk)
    if invitation is None:
        raise Http404
    return invitation


def get_round_for_results(user, pk):
    """The round if the user may read its results: 404 if unseen, 403 if only seen."""
    round = access.get_round_for_user(user, pk)
    if not access.can_see_evaluation_results(user, round):
        raise PermissionDenied
    return round


def require_course_evaluations(user):
    """403 for users whose roles give them no comparisons over a course's rounds."""
    if not access.sees_course_evaluations(user):
        raise PermissionDenied
