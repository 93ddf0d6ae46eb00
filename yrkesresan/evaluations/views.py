"""The evaluation's pages: answering (the completed participant's own), the results of a round,
the physical/digital comparison of a course, and an index of both."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Course

from . import access as evaluation_access
from . import services
from .disclosure import THRESHOLD
from .forms import EvaluationForm
from .models import Response
from .services import AlreadyAnswered, EvaluationError


def own_invitation(user, round_pk):
    """The user's own invitation to evaluate the round; 404 without one."""
    invitation = services.invitation_for(user, round_pk)
    if invitation is None:
        raise Http404
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    invitation = own_invitation(request.user, pk)
    round = invitation.round
    if invitation.answered:
        if request.method == "POST":
            return _already_answered(request, round)
        return render(request, "evaluations/answered.html", {"round": round})
    day_questions, course_questions = services.questions_asked()
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        days=list(round.days.order_by("number")),
        day_questions=day_questions,
        course_questions=course_questions,
    )
    context = {"round": round, "form": form}
    if form.is_bound:
        if form.is_valid():
            try:
                services.submit_evaluation(invitation, form.answers())
            except AlreadyAnswered:
                return _already_answered(request, round)
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                return redirect("evaluations:thanks", pk=round.pk)
        return render(request, "evaluations/answer.html", context, status=400)
    return render(request, "evaluations/answer.html", context)


def _already_answered(request, round):
    """A second set of answers is refused: 409, the reason, and nothing written."""
    context = {"round": round, "error": services.ALREADY_ANSWERED}
    return render(request, "evaluations/answered.html", context, status=409)


@login_required
@require_GET
def thanks(request, pk):
    invitation = own_invitation(request.user, pk)
    if not invitation.answered:
        return redirect("evaluations:answer", pk=pk)
    return render(request, "evaluations/answered.html", {"round": invitation.round, "thanks": True})


@login_required
@require_GET
def round_results(request, pk):
    round = evaluation_access.get_round_for_results(request.user, pk)
    context = {
        "round": round,
        "results": services.results_for_round(round),
        "threshold": THRESHOLD,
        "scope": scope_for(request.user),
    }
    return render(request, "evaluations/round_results.html", context)


@login_required
@require_GET
def course_comparison(request, slug):
    evaluation_access.require_course_evaluations(request.user)
    course = get_object_or_404(Course, slug=slug)
    versions = list(course.versions.filter(status="published").order_by("-published_at"))
    version = next((v for v in versions if str(v.pk) == request.GET.get("version")), None)
    context = {
        "comparison": services.compare_modes(course, version),
        "threshold": THRESHOLD,
        "versions": versions,
        "version": version,
    }
    return render(request, "evaluations/course_comparison.html", context)


@login_required
@require_GET
def index(request):
    rounds = services.rounds_with_counts(evaluation_access.rounds_with_results_for(request.user))
    courses = []
    if evaluation_access.sees_course_evaluations(request.user):
        # The comparison spans every round of a course, so every answered course is listed.
        courses = Course.objects.filter(
            pk__in=Response.objects.values("round__course_id")
        ).order_by("title")
    context = {
        "invitations": list(services.open_invitations_for(request.user)),
        "rounds": rounds,
        "courses": list(courses),
        "threshold": THRESHOLD,
    }
    return render(request, "evaluations/index.html", context)
