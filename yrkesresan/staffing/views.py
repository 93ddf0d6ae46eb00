"""The staffing page of a round (the coordinator's, read-only for its trainers) and a trainer's
own coming days. Each change is its own POST that calls one service and returns to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yrkesresan.accounts.access import scope_for
from yrkesresan.rounds import access as round_access

from . import services
from .forms import CourseLeaderForm, DayTeamForm, HandoverNoteForm, TeamForm, TeamMembersForm
from .queries import attach_handover_notes
from .services import StaffingError


@login_required
@require_GET
def round_staffing(request, pk):
    round, viewer = round_access.get_round_for_staffing_viewer(request.user, pk)
    return _render_staffing(request, round, viewer)


def _render_staffing(request, round, viewer, *, bound=None, status=200):
    """The staffing page; `bound` is a form that failed, shown in place of its blank one."""
    staffing = services.staffing_of(round)
    context = {"round": round, "staffing": staffing, "viewer": viewer}
    if viewer.may_manage_round:
        trainers = list(services.trainers_of(round))
        leaders = list(services.course_leaders_of(round))
        context["course_leader_form"] = CourseLeaderForm(
            candidates=leaders,
            initial={"course_leader": round.course_leader_id},
            prefix="leader",
        )
        context["new_team_form"] = TeamForm(trainers=trainers, prefix="new-team")
        for team in staffing.teams:
            team.form = TeamMembersForm(
                trainers=trainers,
                initial={"members": [str(m.pk) for m in team.members.all()]},
                prefix=f"team-{team.pk}",
            )
        for day in staffing.days:
            day.form = DayTeamForm(
                day=day,
                teams=staffing.teams,
                initial={"team": day.team.pk if day.team else ""},
                prefix=f"day-{day.pk}",
            )
        if bound is not None:
            _put_in_place(context, staffing, bound)
    return render(request, "staffing/round_staffing.html", context, status=status)


def _put_in_place(context, staffing, bound):
    for key in ("course_leader_form", "new_team_form"):
        if context[key].prefix == bound.prefix:
            context[key] = bound
    for item in [*staffing.teams, *staffing.days]:
        if item.form.prefix == bound.prefix:
            item.form = bound


def _save(request, round, form, change, *, error_field=None):
    """Make the change when the form is valid, then back to the page with its message.

    `change(cleaned_data)` calls one service and returns the success message. A bad form, or a
    change the service refuses (its sentence shown on `error_field`), answers 400 with the page.
    """
    if form.is_valid():
        try:
            message = change(form.cleaned_data)
        except StaffingError as error:
            form.add_error(error_field, str(error))
        else:
            messages.success(request, message)
            return redirect("staffing:round_staffing", pk=round.pk)
    viewer = round_access.viewer_of(request.user, round)
    return _render_staffing(request, round, viewer, bound=form, status=400)


@login_required
@require_POST
def set_course_leader(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    leaders = list(services.course_leaders_of(round))
    form = CourseLeaderForm(request.POST, candidates=leaders, prefix="leader")

    def change(data):
        services.set_course_leader(round, data["course_leader"], by=request.user)
        return _("The course leader has been saved.")

    return _save(request, round, form, change, error_field="course_leader")


@login_required
@require_POST
def create_team(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    trainers = list(services.trainers_of(round))
    form = TeamForm(request.POST, trainers=trainers, prefix="new-team")

    def change(data):
        team = services.create_team(round, data["name"], data["members"], by=request.user)
        return _("%(team)s has been created.") % {"team": team.name}

    return _save(request, round, form, change)


@login_required
@require_POST
def change_team(request, pk, team):
    round = round_access.get_round_for_manager(request.user, pk)
    team = get_object_or_404(round.teams, pk=team)
    trainers = list(services.trainers_of(round))
    form = TeamMembersForm(request.POST, trainers=trainers, prefix=f"team-{team.pk}")

    def change(data):
        services.change_team_members(team, data["members"], by=request.user)
        return _("%(team)s has been saved.") % {"team": team.name}

    return _save(request, round, form, change)


@login_required
@require_POST
def remove_team(request, pk, team):
    round = round_access.get_round_for_manager(request.user, pk)
    team = get_object_or_404(round.teams, pk=team)
    services.remove_team(team, by=request.user)
    messages.success(request, _("%(team)s has been removed.") % {"team": team.name})
    return redirect("staffing:round_staffing", pk=round.pk)


@login_required
@require_POST
def assign_day(request, pk, day):
    round = round_access.get_round_for_manager(request.user, pk)
    day = get_object_or_404(round.days, pk=day)
    form = DayTeamForm(request.POST, day=day, teams=list(round.teams.all()), prefix=f"day-{day.pk}")

    def change(data):
        services.assign_team_to_day(day, data["team"], by=request.user)
        return _("The team for day %(number)s has been saved.") % {"number": day.number}

    return _save(request, round, form, change, error_field="team")


@login_required
@require_GET
def my_days(request):
    return render(
        request,
        "staffing/my_days.html",
        {"days": services.days_for_trainer(request.user), "scope": scope_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_note(request, pk, day):
    """The handover note of a day, for those who run the round: the previous day's note to
    read, this day's to write for the next team."""
    round, _viewer = round_access.get_round_with_viewer(
        request.user, pk, lambda viewer: viewer.may_run_round
    )
    day = get_object_or_404(round.days.select_related("round__course"), pk=day)
    (day,) = attach_handover_notes([day])
    note = day.own_note
    initial = (
        {}
        if note is None
        else {"covered": note.covered, "questions": note.questions, "follow_up": note.follow_up}
    )
    form = HandoverNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_handover_note(day, by=request.user, **form.cleaned_data)
        except StaffingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The handover note for day %(number)s is saved.") % {"number": day.number},
            )
            return redirect("home:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staffing/handover_note.html",
        {"round": round, "day": day, "form": form},
        status=status,
    )
