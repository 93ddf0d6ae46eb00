"""The round page and what changes who is in a round: its edit (seats move the waiting list)
and status, registering and cancelling, and the attendance list.

Views authorise through rounds.access and enrolment.access, call one function of services.py
and respond. A round outside the caller's scope is a 404; a visible round the caller may not
use this page for is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from yrkesresan.accounts import access
from yrkesresan.catalog.models import Journey
from yrkesresan.core import ratelimits
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_view
from yrkesresan.core.reversing import row_urls
from yrkesresan.organisations.models import Unit
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.forms import EditRoundForm, add_problems
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.rounds.queries import logistics_of
from yrkesresan.staffing import queries as staffing_queries

from . import access as enrolment_access
from . import bulk, exports, queries, services
from . import new_hire as new_hire_service
from .exports import xlsx_response
from .forms import (
    CancelForm,
    NewHireForm,
    ParticipantFilterForm,
    RegistrationForm,
    StatusForm,
)
from .models import Placement, Registration


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    form = EditRoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                round, by=request.user, seats=form.cleaned_data["seats"], **form.round_fields()
            )
        except planning.PlanningError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("enrolment:round", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/round_form.html", {"form": form, "round": round}, status=status)


# The round's status changes that cannot be undone ask first.
CONFIRM_STATUSES = {Round.Status.CANCELLED, Round.Status.COMPLETED}


STATUS_ACTIONS = {
    Round.Status.OPEN: gettext_lazy("Open registration"),
    Round.Status.CLOSED: gettext_lazy("Close registration"),
    Round.Status.RUNNING: gettext_lazy("Mark as running"),
    Round.Status.COMPLETED: gettext_lazy("Mark as completed"),
    Round.Status.CANCELLED: gettext_lazy("Cancel the round"),
}


@login_required
@require_http_methods(["GET", "POST"])
def change_status(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    form = StatusForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid() or not round.can_move_to(form.cleaned_data["status"]):
        return render(
            request,
            "enrolment/status_form.html",
            {"round": round, "form": form, "refused": True},
            status=400,
        )
    new_status = Round.Status(form.cleaned_data["status"])
    if request.method == "POST":
        services.change_status(round, new_status, by=request.user)
        messages.success(
            request, _("The round is now %(status)s.") % {"status": new_status.label.lower()}
        )
        return redirect("enrolment:round", pk=round.pk)
    return render(
        request,
        "enrolment/status_form.html",
        {
            "round": round,
            "form": form,
            "new_status": new_status,
            "action": STATUS_ACTIONS[new_status],
            "refused": False,
        },
    )


ACTION_LABELS = {
    "round.created": gettext_lazy("Round created"),
    "round.updated": gettext_lazy("Round changed"),
    "round.seats": gettext_lazy("Seats changed"),
    "round.status": gettext_lazy("Status changed"),
    "round.copied": gettext_lazy("Copied from another round"),
    "round.course_leader_set": gettext_lazy("Course leader changed"),
    "round.day_changed": gettext_lazy("Course day changed"),
    "round.logistics": gettext_lazy("Checklist"),
    "course_day.team_assigned": gettext_lazy("Team assigned to the day"),
    "registration.registered": pgettext_lazy("change log", "Registered"),
    "registration.waitlisted": gettext_lazy("Put on the waiting list"),
    "registration.promoted": gettext_lazy("Moved up from the waiting list"),
    "registration.cancelled": gettext_lazy("Registration cancelled"),
}


def _field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an old event may name a field that has gone
        return name


def describe_change(event):
    """A short, readable account of an audit event's details."""
    data = event.data or {}
    if event.action == "round.status":
        labels = dict(Round.Status.choices)
        return f"{labels.get(data.get('old'), '')} → {labels.get(data.get('new'), '')}"
    if event.action == "round.seats":
        return f"{data.get('old')} → {data.get('new')}"
    if event.action in ("round.updated", "round.day_changed"):
        model = Round if event.action == "round.updated" else CourseDay
        return "; ".join(
            f"{_field_label(model, name)}: {old if old not in (None, '') else '–'} → "
            f"{new if new not in (None, '') else '–'}"
            for name, (old, new) in (data.get("changes") or {}).items()
        )
    if event.action == "round.logistics":
        state = _("done") if data.get("done") else _("not done")
        return f"{_field_label(CourseDay, data.get('item', ''))}: {state}"
    if event.action == "registration.cancelled":
        late = " ({})".format(_("late")) if data.get("late") else ""
        return f"{data.get('reason', '')}{late}"
    return ""


def select_options(bound_field, choices=None):
    """(value, label, selected) of a select without errors, as its widget renders them; the
    page writes the options itself (the widget's templates cost more than the rest of the
    form). A field with errors is rendered by its widget (aria-invalid and the like)."""
    if bound_field.errors:
        return None
    value = bound_field.value()
    chosen = "" if value is None else str(value)
    if choices is None:
        choices = bound_field.field.choices
    return [(str(option), label, str(option) == chosen) for option, label in choices]


def municipality_choices(field):
    """The choices of the filter's municipality field, read as plain columns (the label is
    the name, as Municipality.__str__)."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    return [*empty, *field.queryset.values_list("pk", "name")]


# The columns the participants table shows (the registrar's columns add who registered).
PARTICIPANT_FIELDS = [
    "round_id",
    "person_id",
    "status",
    "queued_at",
    "registered_by_id",
    "step_mismatch_reason",
    "special_diet",
    "accessibility_needs",
    "cancel_reason",
    "cancelled_late",
    "person__first_name",
    "person__last_name",
    "person__email",
    "person__findable_by_colleagues",
    "person__municipality__name",
    "person__unit__name",
]


def participant_rows(registrations, positions, viewer):
    """The participants table's rows, with what the template would otherwise work out per
    row (the status label, the registration time, the cancel link): `registration`,
    `person`, `position` on the waiting list, `status`, and for those who see the
    registrar's columns `queued_at` and `cancel_url` (active registrations)."""
    labels = {value: str(label) for value, label in Registration.Status.choices}
    registrar_columns = viewer.manages or viewer.registrar
    cancel_url = row_urls("enrolment:cancel")
    rows = []
    for registration in registrations:
        row = {
            "registration": registration,
            "person": registration.person,
            "position": positions.get(registration.pk),
            "status": labels.get(registration.status, registration.status),
        }
        if registrar_columns:
            row["queued_at"] = formats.date_format(
                timezone.localtime(registration.queued_at), "SHORT_DATETIME_FORMAT"
            )
            if registration.is_active:
                row["cancel_url"] = cancel_url(registration.pk)
        rows.append(row)
    return rows


@login_required
def detail(request, pk):
    round, viewer = round_access.get_round_for_page(request.user, pk)
    form = ParticipantFilterForm(request.GET or None, round=round)
    status = 200 if not request.GET or form.is_valid() else 400
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # Ordered by number alone: the default ordering joins the round's course, step, journey.
    days = list(round.days.select_related("venue").order_by("number"))
    positions, registered_count, names = queries.round_queue(round, with_names=viewer.manages)
    waitlisted_count = len(positions)
    trainers = staffing_queries.trainers_on_days(round)
    registrar_columns = viewer.manages or viewer.registrar
    registrations = (
        Registration.objects.filter(round=round)
        .select_related("person__municipality", "person__unit")
        .only(*PARTICIPANT_FIELDS)
    )
    if registrar_columns:
        registrations = registrations.select_related("registered_by").only(
            *PARTICIPANT_FIELDS, "registered_by__first_name", "registered_by__last_name"
        )
    if not viewer.sees_everyone:
        registrations = registrations.filter(person__in=access.own_staff(request.user))
    wanted = filters.get("status") or "active"
    if wanted == "active":
        registrations = registrations.filter(status__in=queries.ACTIVE)
    elif wanted != "all":
        registrations = registrations.filter(status=wanted)
    if filters.get("municipality"):
        registrations = registrations.filter(person__municipality=filters["municipality"])
    if query := (filters.get("q") or "").strip():
        registrations = registrations.filter(
            Q(person__first_name__icontains=query) | Q(person__last_name__icontains=query)
        )
    registrations = registrations.order_by("status", "queued_at", "pk")
    rows = participant_rows(registrations, positions, viewer)
    return render(
        request,
        "enrolment/round_detail.html",
        {
            "round": round,
            "viewer": viewer,
            "form": form,
            "status_options": select_options(form["status"]),
            "municipality_options": select_options(
                form["municipality"], municipality_choices(form.fields["municipality"])
            ),
            "days": [
                {
                    "day": day,
                    "items": logistics_of(day),
                    "trainers": trainers[day.pk],
                    "fika": round_queries.fika_count(registered_count, trainers[day.pk]),
                }
                for day in days
            ],
            "rows": rows,
            "registrar_columns": registrar_columns,
            "registered_count": registered_count,
            "waitlisted_count": waitlisted_count,
            "free_seats": max(round.seats - registered_count, 0),
            "fee_each": round.fee_for(day_count=len(days)),
            "transitions": [
                {
                    "status": status,
                    "action": STATUS_ACTIONS[status],
                    "confirm": status in CONFIRM_STATUSES,
                }
                for status in round.TRANSITIONS[round.status]
            ],
            "changes": [
                {
                    "event": event,
                    "label": ACTION_LABELS.get(event.action, event.action),
                    "details": describe_change(event),
                }
                for event in queries.change_log(round, {day.pk: day.number for day in days}, names)
            ]
            if viewer.manages
            else None,
            "trainers_on_a_day": round_queries.TRAINERS_ON_A_DAY,
        },
        status=status,
    )


def attendance_data(user, pk, what):
    """The round's attendance list for `user`, recorded in the audit trail as seen (`what`:
    the page or the export) for every person on it: it holds their contact details and, for
    some viewers, their diet and accessibility needs."""
    round, viewer = round_access.get_round_with_viewer(
        user, pk, lambda viewer: viewer.may_see_attendance_list
    )
    days = list(round.days.select_related("venue"))
    registrations = list(
        Registration.objects.filter(round=round, status=Registration.Status.REGISTERED)
        .select_related("person__municipality", "person__unit")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    log_view(user, [registration.person_id for registration in registrations], what, obj=round)
    return round, viewer, days, registrations


@login_required
def attendance_list(request, pk):
    round, viewer, days, registrations = attendance_data(request.user, pk, "attendance_list")
    return render(
        request,
        "enrolment/attendance_list.html",
        {"round": round, "viewer": viewer, "days": days, "registrations": registrations},
    )


@login_required
def attendance_xlsx(request, pk):
    round, viewer, days, registrations = attendance_data(request.user, pk, "attendance_xlsx")
    content = exports.attendance_workbook(
        round, days, registrations, needs=viewer.sees_needs, emails=viewer.sees_emails
    )
    return xlsx_response(content, f"narvarolista-omgang-{round.pk}.xlsx")


def registrable_people(user, round):
    """Staff the user may register into the round: in scope, employed in a member
    municipality of the round's region and not already registered or waiting."""
    taken = Registration.objects.filter(round=round, status__in=queries.ACTIVE)
    return (
        (access.staff_visible_to(user) & queries.member_staff(round.structure_id))
        .exclude(pk__in=taken.values("person_id"))
        .select_related("municipality", "unit")
        .prefetch_related(Prefetch("placements", queryset=Placement.objects.select_related("step")))
        .order_by("municipality__name", "last_name", "first_name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk):
    round, viewer = round_access.get_round_with_viewer(
        request.user, pk, lambda viewer: viewer.may_register_staff
    )
    if request.method == "POST":
        ratelimits.check(request, "registration", f"user:{request.user.pk}")
    # The journey's steps, fetched once, decide each person's step in the choices.
    round.course.step.journey = Journey.objects.prefetch_related("steps").get(
        pk=round.course.step.journey_id
    )
    form = RegistrationForm(
        request.POST or None,
        people=registrable_people(request.user, round),
        round=round,
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(
                data["person"],
                round,
                by=request.user,
                step_mismatch_reason=data["step_mismatch_reason"],
                special_diet=data["special_diet"],
                accessibility_needs=data["accessibility_needs"],
                needs_consent=data["needs_consent"],
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            if registration.status == Registration.Status.REGISTERED:
                text = _("%(person)s is registered for %(round)s.")
            else:
                text = _("The round is full: %(person)s is on the waiting list for %(round)s.")
            messages.success(request, text % {"person": data["person"], "round": round.name})
            return redirect("enrolment:round", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enrolment/register_form.html",
        {"form": form, "round": round, "open": round.is_open or viewer.manages},
        status=status,
    )


def sees_registration(user, registration):
    """Whether the user sees this registration on a round page (for 403 against 404)."""
    if not round_access.rounds_visible_to(user).filter(pk=registration.round_id).exists():
        return False
    return round_access.viewer_of(user, registration.round).sees_everyone or access.can_see_person(
        user, registration.person
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related(
            "round__course", "round__structure", "person__municipality", "person__unit"
        ),
        pk=pk,
    )
    if not enrolment_access.can_cancel(request.user, registration):
        if sees_registration(request.user, registration):
            raise PermissionDenied
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_registration(
                registration, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The registration of %(person)s has been cancelled.")
                % {"person": registration.person},
            )
            if round_access.viewer_of(request.user, registration.round).may_view:
                return redirect("enrolment:round", pk=registration.round_id)
            return redirect("home:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enrolment/cancel_form.html",
        {"form": form, "registration": registration, "round": registration.round},
        status=status,
    )


def _round_and_people(request, data):
    """The round (404 unseen, 403 for those who may not register into it) and the people the
    user may register into it, from the `round` and `people` fields of `data`, in name order."""
    try:
        round_pk = int(data.get("round", ""))
        people_pks = {int(value) for value in data.getlist("people")}
    except ValueError:
        raise Http404 from None
    round, _viewer = round_access.get_round_with_viewer(
        request.user, round_pk, lambda viewer: viewer.may_register_staff
    )
    round = Round.objects.select_related("course__step__journey", "structure").get(pk=round.pk)
    people = list(
        access.staff_visible_to(request.user)
        .filter(pk__in=people_pks)
        .select_related("municipality", "unit")
        .order_by("last_name", "first_name", "pk")
    )
    return round, people


@login_required
@require_http_methods(["GET", "POST"])
def register_many(request):
    """Several people into one round at once: GET shows the plan (who gets a seat, who goes on
    the waiting list, who cannot be registered), POST confirms it. If the seats changed in
    between, nothing is registered and the new plan is shown with a warning (409)."""
    data = request.POST if request.method == "POST" else request.GET
    round, people = _round_and_people(request, data)
    if not people:
        raise DomainError(_("Tick at least one person to register."))
    status, changed = 200, False
    if request.method == "POST":
        try:
            registrations = bulk.register_many(
                people, round, by=request.user, token=data.get("plan", "")
            )
        except bulk.PlanChanged as error:
            plan, status, changed = error.plan, 409, True
        else:
            seated = sum(r.status == Registration.Status.REGISTERED for r in registrations)
            messages.success(
                request,
                _("%(seated)s registered for %(round)s, %(waiting)s on the waiting list.")
                % {"seated": seated, "round": round.name, "waiting": len(registrations) - seated},
            )
            return redirect("home:home")
    else:
        plan = bulk.plan_registrations(people, round, by=request.user)
    return render(
        request, "enrolment/register_many.html", {"plan": plan, "changed": changed}, status=status
    )


def _own_units(user):
    scope = access.scope_for(user)
    units = Unit.objects.select_related("municipality").order_by("name")
    return units if scope.is_admin else units.filter(pk__in=scope.managed_unit_ids)


@login_required
@require_http_methods(["GET", "POST"])
def new_hire(request):
    """A manager adds a new hire from the start page: the account, its invitation and the
    suggested step. The start page holds the form; this page shows it again with its errors."""
    scope = access.scope_for(request.user)
    if not (scope.managed_unit_ids or scope.is_admin):
        raise PermissionDenied
    form = NewHireForm(request.POST or None, units=_own_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            hire = new_hire_service.add_new_hire(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            steps = ", ".join(
                f"{journey.name}: {step.name if step else '–'}" for journey, step in hire.steps
            )
            messages.success(
                request,
                _(
                    "%(person)s is added and gets an e-mail to set a password. Suggested step: "
                    "%(steps)s."
                )
                % {"person": hire.person.get_full_name(), "steps": steps or "–"},
            )
            return redirect(reverse("home:home") + "#team-heading")
    status = 400 if request.method == "POST" else 200
    return render(request, "enrolment/new_hire.html", {"form": form}, status=status)
