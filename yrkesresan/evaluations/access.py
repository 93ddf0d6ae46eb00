"""Who reads the anonymous evaluation results, over the scope of accounts.access."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.accounts.access import scope_for
from yrkesresan.rounds.access import may_see_round, viewer_of
from yrkesresan.rounds.models import Round


def can_see_evaluation_results(user, round):
    """Anonymous results of a round: those who run it, the journey's editors, administrators.

    A draft round is its structure's own: it has no answers, and its editors do not learn of
    it from here."""
    scope = scope_for(user)
    return viewer_of(user, round).may_run_round or (
        round.status != Round.Status.DRAFT
        and round.course.step.journey_id in scope.edited_journey_ids
    )


def sees_course_evaluations(user):
    """Comparisons over all rounds of a course (Scope.may_see_course_evaluations)."""
    return scope_for(user).may_see_course_evaluations


def rounds_with_results_for(user):
    """Rounds whose evaluation results the user may open: can_see_evaluation_results as a
    query. A journey's editors see the results of every round of their journey, though not
    the rounds themselves (participants, days): the answers are anonymous, the rounds are not."""
    scope = scope_for(user)
    if scope.is_admin:
        return Round.objects.all()
    structures = scope.work_structure_ids
    return Round.objects.filter(
        Q(structure_id__in=structures)
        | Q(course_leader=user)
        | (Q(course__step__journey_id__in=scope.edited_journey_ids) & ~Q(status=Round.Status.DRAFT))
    )


def get_round_for_results(user, pk):
    """The round whose evaluation results the user may open: 404 for a round they neither see
    nor edit the journey of, 403 for a round they see but whose results are not theirs."""
    round = get_object_or_404(
        Round.objects.select_related("course__step__journey", "structure", "course_leader"), pk=pk
    )
    if can_see_evaluation_results(user, round):
        return round
    if may_see_round(user, round):
        raise PermissionDenied
    raise Http404


def require_course_evaluations(user):
    """403 for users whose roles give them no comparisons over a course's rounds."""
    if not sees_course_evaluations(user):
        raise PermissionDenied
