"""Pages for planning course rounds, registering staff and following a term.

Views authorise through accounts.access, call one function of planning.py or services.py and
respond. A round outside the caller's scope is a 404; a visible round the caller may not use
this page for is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yrkesresan.accounts import access
from yrkesresan.catalog.models import Journey
from yrkesresan.enrolment import access as enrolment_access
from yrkesresan.enrolment import exports, services
from yrkesresan.enrolment.models import Placement, Registration

from . import access as round_access
from . import planning
from .forms import (
    CancelForm,
    CapacityForm,
    CopyForm,
    CreateRoundForm,
    DayForm,
    EditRoundForm,
    LogisticsForm,
    MyStaffForm,
    ParticipantFilterForm,
    RegistrationForm,
    StatusForm,
    TermForm,
    VenueForm,
)
from .models import CourseDay, Round, Venue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_problems(form, error, field_map=None):
    """Put a PlanningError's problems on the form's fields where they belong."""
    field_map = field_map or {}
    for problem in error.problems:
        name = field_map.get(problem.field, problem.field) if problem.day else problem.field
        form.add_error(name if name in form.fields else None, problem.message)


# Term overview ------------------------------------------------------------------------------


@login_required
def term_overview(request):
    user = request.user
    scope = access.scope_for(user)
    structures_ids = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    registrar = access.is_registrar(user)
    if not (scope.is_admin or structures_ids or registrar):
        raise PermissionDenied
    form = TermForm(request.GET)
    visible = round_access.rounds_visible_to(user)
    if not scope.is_admin:
        # Drafts are for the structure's own people until the round is published.
        visible = visible.filter(~Q(status=Round.Status.DRAFT) | Q(structure_id__in=structures_ids))
    terms = set(visible.values_list("term", flat=True).distinct())
    term = (form.is_valid() and form.cleaned_data["termin"]) or planning.default_term(terms)
    terms.add(term)
    rows, matrix = planning.term_overview(
        visible.filter(term=term),
        staff=access.own_staff(user) if registrar else None,
        breakdown_structure_ids=None if scope.is_admin else scope.coordinated_structure_ids,
    )
    return render(
        request,
        "rounds/term_overview.html",
        {
            "form": form,
            "term": term,
            "terms": sorted(terms, key=lambda t: (t.split()[1], t.split()[0] == "HT")),
            "rows": rows,
            "matrix": matrix,
            "breakdown_rows": [row for row in rows if row.breakdown],
            "plans": bool(scope.is_admin or scope.coordinated_structure_ids),
            "registrar": registrar,
        },
        status=200 if form.is_valid() else 400,
    )


def planned_structures_or_403(user):
    """The support structures the user plans rounds for; 403 for those who plan none."""
    structures = round_access.planned_structures(user)
    if not structures:
        raise PermissionDenied
    return structures


# Creating and changing rounds ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    structures = planned_structures_or_403(request.user)
    form = CreateRoundForm(request.POST or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = planning.propose_days(
            data["course"],
            data["first_day"],
            count=data["day_count"],
            interval_days=data["interval_days"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            venue=data["venue"],
            meeting_url=data["meeting_url"],
        )
        try:
            round = planning.create_round(
                data["course"],
                data["structure"],
                by=request.user,
                seats=data["seats"],
                days=days,
                **form.round_fields(),
            )
        except planning.PlanningError as error:
            add_problems(form, error, {"date": "first_day"})
        else:
            messages.success(
                request, _("The round is saved as a draft. Check each course day below.")
            )
            return redirect("rounds:detail", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/round_form.html", {"form": form, "round": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    form = EditRoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_round(
                round, by=request.user, seats=form.cleaned_data["seats"], **form.round_fields()
            )
        except planning.PlanningError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("rounds:detail", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/round_form.html", {"form": form, "round": round}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def copy(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = planning.copy_round(
                round,
                first_day=form.cleaned_data["first_day"],
                name=form.cleaned_data["name"],
                by=request.user,
            )
        except planning.PlanningError as error:
            add_problems(form, error, {"date": "first_day"})
        else:
            messages.success(request, _("The copy is saved as a draft. Check each course day."))
            return redirect("rounds:detail", pk=new.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/copy_form.html", {"form": form, "round": round}, status=status)


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
            "rounds/status_form.html",
            {"round": round, "form": form, "refused": True},
            status=400,
        )
    new_status = Round.Status(form.cleaned_data["status"])
    if request.method == "POST":
        try:
            services.change_status(round, new_status, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The round is now %(status)s.") % {"status": new_status.label.lower()},
            )
            return redirect("rounds:detail", pk=round.pk)
    return render(
        request,
        "rounds/status_form.html",
        {
            "round": round,
            "form": form,
            "new_status": new_status,
            "action": STATUS_ACTIONS[new_status],
            "refused": False,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request, pk, number):
    round = round_access.get_round_for_manager(request.user, pk)
    day = get_object_or_404(CourseDay.objects.select_related("venue"), round=round, number=number)
    day.round = round
    form = DayForm(request.POST or None, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_course_day(day, by=request.user, **form.cleaned_data)
        except planning.PlanningError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("Day %(number)s has been saved.") % {"number": day.number})
            return redirect(reverse("rounds:detail", args=[round.pk]) + f"#dag-{day.number}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rounds/day_form.html",
        {"form": form, "round": round, "day": day},
        status=status,
    )


@login_required
@require_POST
def logistics(request, pk, number):
    round = round_access.get_round_for_manager(request.user, pk)
    day = get_object_or_404(CourseDay, round=round, number=number)
    day.round = round
    form = LogisticsForm(request.POST)
    error = _("That checklist item does not apply to this day.")
    if form.is_valid():
        try:
            day = planning.set_logistics(
                day, form.cleaned_data["item"], form.cleaned_data["done"], by=request.user
            )
            error = None
        except planning.PlanningError as refused:
            error = str(refused)
    if error:
        # htmx leaves the checklist as it was; the box keeps showing the saved state.
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if request.htmx:
        return render(
            request,
            "rounds/_logistics.html",
            {"round": round, "day": day, "items": logistics_of(day), "editable": True},
        )
    return redirect(reverse("rounds:detail", args=[round.pk]) + f"#dag-{day.number}")


def logistics_of(day):
    return [
        {
            "name": name,
            "label": CourseDay._meta.get_field(name).verbose_name,
            "done": getattr(day, name),
        }
        for name in planning.logistics_items(day)
    ]


# The round page ---------------------------------------------------------------------------

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
                row["cancel_url"] = reverse("rounds:cancel", args=[registration.pk])
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
    positions, registered_count, names = planning.round_queue(round, with_names=viewer.manages)
    waitlisted_count = len(positions)
    trainers = planning.trainers_on_days(round)
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
        registrations = registrations.filter(status__in=planning.ACTIVE)
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
    may_register = round.status == Round.Status.OPEN or (
        round.status == Round.Status.CLOSED and viewer.manages
    )
    return render(
        request,
        "rounds/round_detail.html",
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
                    "fika": planning.fika_count(registered_count, trainers[day.pk]),
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
            "may_register": may_register and (viewer.manages or viewer.registrar),
            "may_import": may_register
            and enrolment_access.can_import_registrations(request.user, round),
            "changes": [
                {
                    "event": event,
                    "label": ACTION_LABELS.get(event.action, event.action),
                    "details": describe_change(event),
                }
                for event in planning.change_log(round, {day.pk: day.number for day in days}, names)
            ]
            if viewer.manages
            else None,
            "trainers_on_a_day": planning.TRAINERS_ON_A_DAY,
        },
        status=status,
    )


def attendance_data(user, pk):
    round, viewer = round_access.get_round_for_page(user, pk)
    if not viewer.sees_attendance_list:
        raise PermissionDenied
    days = list(round.days.select_related("venue"))
    registrations = list(
        Registration.objects.filter(round=round, status=Registration.Status.REGISTERED)
        .select_related("person__municipality", "person__unit")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return round, viewer, days, registrations


@login_required
def attendance_list(request, pk):
    round, viewer, days, registrations = attendance_data(request.user, pk)
    return render(
        request,
        "rounds/attendance_list.html",
        {"round": round, "viewer": viewer, "days": days, "registrations": registrations},
    )


@login_required
def attendance_xlsx(request, pk):
    round, viewer, days, registrations = attendance_data(request.user, pk)
    content = exports.attendance_workbook(
        round, days, registrations, needs=viewer.sees_needs, emails=viewer.sees_emails
    )
    return xlsx_response(content, f"narvarolista-omgang-{round.pk}.xlsx")


@login_required
def fees_xlsx(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    rows, billable = planning.fee_rows(round)
    content = exports.fees_workbook(round, rows, billable)
    return xlsx_response(content, f"avgifter-omgang-{round.pk}.xlsx")


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Registering and cancelling ---------------------------------------------------------------


def registrable_people(user, round):
    """Staff the user may register into the round: in scope, employed in a member
    municipality of the round's region and not already registered or waiting."""
    taken = Registration.objects.filter(round=round, status__in=planning.ACTIVE)
    return (
        (access.staff_visible_to(user) & planning.member_staff(round.structure_id))
        .exclude(pk__in=taken.values("person_id"))
        .select_related("municipality", "unit")
        .prefetch_related(Prefetch("placements", queryset=Placement.objects.select_related("step")))
        .order_by("municipality__name", "last_name", "first_name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk):
    round = round_access.get_round_for_user(request.user, pk)
    viewer = round_access.viewer_of(request.user, round)
    if not (viewer.manages or viewer.registrar):
        raise PermissionDenied
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
            return redirect("rounds:detail", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rounds/register_form.html",
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
                return redirect("rounds:detail", pk=registration.round_id)
            return redirect("home:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rounds/cancel_form.html",
        {"form": form, "registration": registration, "round": registration.round},
        status=status,
    )


# Capacity planning and the manager's page -------------------------------------------------


@login_required
def capacity(request):
    structures = planned_structures_or_403(request.user)
    form = CapacityForm(request.GET, structures=structures)
    if not form.is_valid():
        return render(request, "rounds/capacity.html", {"form": form, "needs": None}, status=400)
    structure = form.cleaned_data["structure"]
    needs = planning.capacity_plan(
        structure,
        by_date=form.cleaned_data["by_date"],
        seats_per_round=form.cleaned_data["seats_per_round"],
    )
    needed = [need for need in needs if need.need]
    municipalities = sorted({name for need in needed for name in need.by_municipality})
    municipality_rows = [
        (name, [need.by_municipality.get(name, 0) for need in needed]) for name in municipalities
    ]
    return render(
        request,
        "rounds/capacity.html",
        {
            "form": form,
            "structure": structure,
            "by_date": form.cleaned_data["by_date"],
            "needs": needs,
            "municipalities": municipalities,
            "municipality_rows": municipality_rows,
        },
    )


def label_offered_rounds(rows):
    """Give each open round offered in the staff table what its links say, once per round
    rather than once per person and course (the rows share the round objects): the address
    `register_url`, `register_label` and `seats_label`."""
    labelled = set()
    for row in rows:
        for gap in row.gaps:
            for round in gap.open_rounds:
                if round.pk in labelled:
                    continue
                labelled.add(round.pk)
                round.register_url = reverse("rounds:register", args=[round.pk])
                date = formats.date_format(round.first_day, "j M") if round.first_day else ""
                round.register_label = _("Register for %(name)s (%(date)s)") % {
                    "name": round.name,
                    "date": date,
                }
                if round.free_seats:
                    round.seats_label = ngettext(
                        "%(counter)s free seat", "%(counter)s free seats", round.free_seats
                    ) % {"counter": round.free_seats}
                else:
                    round.seats_label = _("full: waiting list")


@login_required
def my_staff(request):
    if not access.is_registrar(request.user):
        raise PermissionDenied
    form = MyStaffForm(request.GET)
    form.is_valid()
    open_rounds = round_access.rounds_visible_to(request.user).filter(status=Round.Status.OPEN)
    rows = planning.staff_places(access.own_staff(request.user).filter(is_active=True), open_rounds)
    if form.cleaned_data.get("behover"):
        rows = [row for row in rows if row.needs_place]
    label_offered_rounds(rows)
    return render(
        request,
        "rounds/my_staff.html",
        {
            "form": form,
            "rows": rows,
            "journeys": planning.published_journeys(),
        },
    )


# Venues -----------------------------------------------------------------------------------


@login_required
def venues(request):
    structures = planned_structures_or_403(request.user)
    return render(
        request,
        "rounds/venues.html",
        {"venues": Venue.objects.filter(structure__in=structures).select_related("structure")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_form(request, pk=None):
    structures = planned_structures_or_403(request.user)
    venue = None
    if pk is not None:
        venue = get_object_or_404(Venue, pk=pk, structure__in=structures)
    form = VenueForm(request.POST or None, structures=structures, venue=venue)
    if request.method == "POST" and form.is_valid():
        structure = venue.structure if venue else form.cleaned_data["structure"]
        try:
            planning.save_venue(structure, by=request.user, venue=venue, **form.venue_fields())
        except planning.PlanningError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The venue has been saved."))
            return redirect("rounds:venues")
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/venue_form.html", {"form": form, "venue": venue}, status=status)
