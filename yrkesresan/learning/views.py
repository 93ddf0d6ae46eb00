from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yrkesresan.accounts import access
from yrkesresan.accounts.privacy import may_erase
from yrkesresan.catalog.models import Journey
from yrkesresan.core.models import log_view
from yrkesresan.enrolment.models import Placement
from yrkesresan.enrolment.placement import (
    PlacementError,
    current_placement,
    enter_directly,
    override_placement,
    set_work_role,
)

from .forms import ChooseStepForm, SetPlacementForm, StaffFilterForm, WorkRoleForm
from .record import needing_a_place, published_journeys, record_of, staff_rows

STAFF_PER_PAGE = 50


def _published_journey(slug):
    return get_object_or_404(
        Journey.objects.prefetch_related("steps"), slug=slug, status=Journey.Status.PUBLISHED
    )


@login_required
def staff_list(request):
    access.require_staff_viewer(request.user)
    form = StaffFilterForm(request.GET or None)
    journey = published_journeys().first()
    staff = access.staff_visible_to(request.user).select_related("municipality", "unit")
    people = staff
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            people = people.filter(
                Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(email__icontains=query)
            )
        if form.cleaned_data["unit"]:
            people = people.filter(unit_id=form.cleaned_data["unit"])
        if form.cleaned_data["municipality"]:
            people = people.filter(municipality_id=form.cleaned_data["municipality"])
        if form.cleaned_data["needs_place"] and journey:
            people = needing_a_place(people, journey)
    people = people.order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch("placements", queryset=Placement.objects.select_related("step"))
    )
    page = Paginator(people, STAFF_PER_PAGE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "learning/staff_list.html",
        {
            "form": form,
            "page": page,
            "rows": staff_rows(page, journey),
            "journey": journey,
            "needing_a_place": needing_a_place(staff, journey).count() if journey else 0,
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def person_detail(request, pk):
    person = access.get_person_for_user(request.user, pk)
    log_view(request.user, [person], "person_detail")
    # Whoever records a move also sets the role at work (access.get_person_for_work_role).
    can_move = access.can_move_person(request.user, person)
    return render(
        request,
        "learning/person_detail.html",
        {
            "person": person,
            "record": record_of(person),
            "can_set_placement": access.can_set_placement(request.user, person),
            "can_move": can_move,
            "can_erase": may_erase(request.user, person),
            "work_role_form": (
                WorkRoleForm(initial={"work_role": person.work_role}) if can_move else None
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_role(request, pk):
    person = access.get_person_for_work_role(request.user, pk)
    form = WorkRoleForm(request.POST or None, initial={"work_role": person.work_role})
    if request.method == "POST" and form.is_valid():
        try:
            set_work_role(person, form.cleaned_data["work_role"], by=request.user)
        except PlacementError as error:
            form.add_error("work_role", str(error))
        else:
            messages.success(request, _("The role at work has been saved."))
            return redirect("learning:person", pk=person.pk)
    return render(
        request,
        "learning/work_role.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_placement(request, pk, journey):
    person = access.get_person_for_placement(request.user, pk)
    journey = _published_journey(journey)
    placement = current_placement(person, journey)
    form = SetPlacementForm(request.POST or None, journey=journey, initial={"step": placement.step})
    if request.method == "POST" and form.is_valid():
        try:
            override_placement(
                person,
                journey,
                form.cleaned_data["step"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except PlacementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The step has been changed."))
            return redirect("learning:person", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/set_placement.html",
        {"person": person, "journey": journey, "placement": placement, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def choose_step(request, journey):
    journey = _published_journey(journey)
    placement = current_placement(request.user, journey)
    form = ChooseStepForm(request.POST or None, journey=journey, initial={"step": placement.step})
    if request.method == "POST" and form.is_valid():
        try:
            enter_directly(request.user, journey, form.cleaned_data["step"])
        except PlacementError as error:
            form.add_error("step", str(error))
        else:
            messages.success(request, _("Your step has been saved."))
            return redirect("catalog:journey", slug=journey.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/choose_step.html",
        {"journey": journey, "placement": placement, "form": form},
        status=status,
    )
