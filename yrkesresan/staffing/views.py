"""The staffing page of a round (the coordinator's, read-only for its trainers) and a trainer's
own coming days. Each change is its own POST that calls one service and returns to the page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Course
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds.access import planned_structures
from yrkesresan.rounds.models import term_dates, term_of

from . import access, planner, plans, pool, queries, services
from .forms import (
    CourseLeaderForm,
    DayTeamForm,
    HandoverNoteForm,
    ManagerDecisionForm,
    PoolApplicationForm,
    TeamForm,
    TeamMembersForm,
    TrainingForm,
    WithdrawDateForm,
    first_error,
)
from .models import Plan
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
        {
            "days": services.days_for_trainer(request.user),
            "planned": queries.planned_days_to_answer(request.user),
            "scope": scope_for(request.user),
        },
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


# Planning a structure's term ----------------------------------------------------------------


@login_required
@require_GET
def plans_index(request):
    access.require_planner(request.user)
    structures = list(planned_structures(request.user))
    today = timezone.localdate()
    current = term_of(today)
    following = term_of(term_dates(current)[1] + datetime.timedelta(days=1))
    terms = [(term, queries.term_slug(term)) for term in (current, following)]
    return render(request, "staffing/plans_index.html", {"structures": structures, "terms": terms})


def _term_context(structure, term):
    accepted = plans.accepted_plan(structure, term)
    proposal = plans.latest_proposal(structure, term)
    outcome = proposal.outcome if proposal else {}
    return {
        "structure": structure,
        "term": term,
        "slug": queries.term_slug(term),
        "accepted": accepted,
        "proposal": proposal,
        "rounds": queries.term_plan_rows(structure, term, accepted, proposal),
        "problems": plans.plan_problems(accepted) if accepted else [],
        "declined": plans.declined(accepted) if accepted else [],
        "shortfalls": [plans.shortfall_message(s) for s in outcome.get("shortfalls", [])],
        "lock_problems": [planner.lock_message(*p) for p in outcome.get("lock_problems", [])],
        "scores": [
            (goal, planner.WEIGHTS[goal], outcome["scores"][goal])
            for goal in planner.WEIGHTS
            if goal in outcome.get("scores", {})
        ],
        "working": proposal is not None
        and proposal.status in (Plan.Status.QUEUED, Plan.Status.RUNNING),
    }


@login_required
@require_GET
def term_plan(request, structure, term):
    structure = access.get_structure_for_planner(request.user, structure)
    term = access.term_from_slug(term)
    return render(request, "staffing/term_plan.html", _term_context(structure, term))


@login_required
@require_POST
def propose_plan(request, structure, term):
    structure = access.get_structure_for_planner(request.user, structure)
    term = access.term_from_slug(term)
    plans.request_plan(structure, term, by=request.user)
    messages.success(request, _("The planner is working on a proposal."))
    return redirect("staffing:term_plan", structure=structure.pk, term=queries.term_slug(term))


def _back_to(plan):
    return redirect(
        "staffing:term_plan", structure=plan.structure_id, term=queries.term_slug(plan.term)
    )


@login_required
@require_POST
def lock_team(request, plan):
    plan = access.get_plan_for_planner(request.user, plan)
    round = get_object_or_404(plans.plannable_rounds(plan.structure, plan.term),
                              pk=request.POST.get("round") or 0)  # fmt: skip
    try:
        team = int(request.POST.get("team", ""))
    except ValueError:
        team = -1
    if team < 0:
        raise StaffingError(_("Choose a team to lock."))
    locked = request.POST.get("locked") == "1"
    plans.lock_team(plan, round, team, locked=locked, by=request.user)
    messages.success(request, _("The team is locked.") if locked else _("The team is unlocked."))
    return _back_to(plan)


@login_required
@require_POST
def accept_plan(request, plan):
    plan = access.get_plan_for_planner(request.user, plan)
    plans.accept_plan(plan, by=request.user)
    messages.success(request, _("The plan is accepted and the trainers are being told."))
    return _back_to(plan)


@login_required
@require_GET
def pool_page(request, structure):
    structure = access.get_structure_for_planner(request.user, structure)
    term = term_of(timezone.localdate())
    return render(
        request,
        "staffing/pool.html",
        {
            "structure": structure,
            "term": term,
            "memberships": queries.pool_of(structure, term),
            "courses": Course.objects.order_by("title"),
            "today": timezone.localdate(),
        },
    )


def _planned_days(assignments):
    return "; ".join(
        _("day %(number)s of %(round)s (%(date)s)")
        % {"number": a.day.number, "round": a.day.round.name, "date": _short(a.day.date)}
        for a in sorted(assignments, key=lambda a: (a.day.date, a.day.number))
    )


def _short(date):
    return formats.date_format(date, "SHORT_DATE_FORMAT")


@login_required
@require_POST
def remove_from_pool(request, membership):
    membership = access.get_membership_for_planner(request.user, membership)
    planned = pool.remove_from_pool(membership, by=request.user)
    message = _("%(person)s is removed from the pool.") % {"person": membership.person}
    if planned:
        message += " " + _(
            "They were planned on %(days)s in the accepted plan: plan those days again."
        ) % {"days": _planned_days(planned)}
    messages.success(request, message)
    return redirect("staffing:pool", structure=membership.structure_id)


@login_required
@require_POST
def record_training(request, membership):
    membership = access.get_membership_for_planner(request.user, membership)
    form = TrainingForm(request.POST, courses=Course.objects.order_by("title"))
    if not form.is_valid():
        raise StaffingError(first_error(form))
    course, trained_on = form.cleaned_data["course"], form.cleaned_data["trained_on"]
    pool.record_training(membership.person, course, trained_on, by=request.user)
    messages.success(
        request,
        _("%(person)s's trainer training for %(course)s on %(date)s is recorded.")
        % {"person": membership.person, "course": course.title, "date": _short(trained_on)},
    )
    return redirect("staffing:pool", structure=membership.structure_id)


# A trainer's answers and availability --------------------------------------------------------


@login_required
@require_POST
def answer_day(request, assignment):
    assignment = access.get_own_assignment(request.user, assignment)
    confirm = request.POST.get("answer") == "confirm"
    plans.answer_day(assignment, confirm=confirm, by=request.user)
    messages.success(
        request, _("You have confirmed the day.") if confirm else _("You have declined the day.")
    )
    return redirect("staffing:my_days")


@login_required
def availability(request):
    dates = queries.dates_to_mark(request.user)
    if request.method == "POST" and "toggle" in request.POST:
        return _toggle_date(request, dates)
    if request.method == "POST":
        errors = []
        for date in dates:
            answer = request.POST.get(f"date-{date.isoformat()}")
            if answer in ("yes", "no"):
                try:
                    pool.set_availability(request.user, date, available=answer == "yes")
                except StaffingError as error:
                    errors.append(str(error))
        for error in errors:
            messages.error(request, error)
        if not errors:
            messages.success(request, _("Your availability has been saved."))
        return redirect("staffing:availability")
    rows = queries.availability_rows(request.user, dates)
    as_list = request.GET.get("visa") == "lista"
    return render(
        request,
        "staffing/availability.html",
        {
            "dates": rows,
            "as_list": as_list,
            "months": [] if as_list else queries.month_calendar(rows),
            "withdrawn": [row for row in rows if row["withdrawn"]],
        },
    )


def _toggle_date(request, dates):
    """A date of the month calendar pressed: an unmarked date or one the person cannot take
    becomes one they can take, one they can take becomes one they cannot."""
    date = {d.isoformat(): d for d in dates}.get(request.POST["toggle"])
    if date is None:
        raise StaffingError(_("Choose one of your course dates."))
    (row,) = queries.availability_rows(request.user, [date])
    available = row["answer"] != "yes"
    pool.set_availability(request.user, date, available=available)
    message = _("You can take %(date)s.") if available else _("You cannot take %(date)s.")
    messages.success(request, message % {"date": formats.date_format(date, "j F Y")})
    return redirect(reverse("staffing:availability") + f"#dag-{date.isoformat()}")


# Recruitment into the pool -----------------------------------------------------------------


@login_required
def apply_to_pool(request):
    form = PoolApplicationForm(
        request.POST or None,
        structures=SupportStructure.objects.order_by("name"),
        courses=Course.objects.order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pool.apply(request.user, data["structure"], data["courses"],
                       motivation=data["motivation"], experience=data["experience"])  # fmt: skip
        except StaffingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your application has been sent to your manager."))
            return redirect("staffing:my_days")
    status = 400 if request.method == "POST" else 200
    return render(request, "staffing/apply.html", {"form": form}, status=status)


@login_required
@require_GET
def manager_applications(request):
    applications = list(access.applications_for_manager(request.user))
    return render(request, "staffing/manager_applications.html", {"applications": applications})


@login_required
@require_POST
def manager_decide(request, membership):
    membership = access.get_membership_for_manager(request.user, membership)
    form = ManagerDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    days = form.cleaned_data.get("days_per_term") if form.is_valid() else None
    if approve and not days:
        raise StaffingError(_("Days per term must be between 1 and %(max)s.") % {"max": 40})
    pool.manager_decides(membership, approve=approve, days_per_term=days or 0, by=request.user)
    messages.success(request, _("Your decision has been saved."))
    return redirect("staffing:manager_applications")


@login_required
@require_POST
def coordinator_decide(request, membership):
    membership = access.get_membership_for_planner(request.user, membership)
    accept = request.POST.get("decision") == "accept"
    pool.coordinator_decides(membership, accept=accept, by=request.user)
    messages.success(request, _("Your decision has been saved."))
    return redirect("staffing:pool", structure=membership.structure_id)


# The manager's view of their staff's availability -------------------------------------------


@login_required
@require_GET
def staff_availability(request):
    trainers = queries.staff_availability(list(access.trainers_for_manager(request.user)))
    return render(request, "staffing/staff_availability.html", {"trainers": trainers})


@login_required
@require_POST
def withdraw_date(request, membership):
    membership = access.get_trainer_for_manager(request.user, membership)
    (membership,) = queries.staff_availability([membership])
    dates = [row["date"] for row in membership.rows if not row["withdrawn"]]
    form = WithdrawDateForm(request.POST, dates=dates)
    if not form.is_valid():
        raise StaffingError(first_error(form))
    date = form.cleaned_data["date"]
    pool.withdraw_date(membership.person, date, reason=form.cleaned_data["reason"],
                       by=request.user)  # fmt: skip
    messages.success(
        request,
        _("%(date)s is withdrawn for %(person)s; the coordinator is told.")
        % {"date": _short(date), "person": membership.person},
    )
    return redirect("staffing:staff_availability")
