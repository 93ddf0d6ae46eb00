"""Pages for planning course rounds: creating and copying them, their days and checklist, and
venues. The round page itself, with its registrations, is enrolment's.

Views authorise through rounds.access, call one function of services.py and respond. A round
outside the caller's scope is a 404; a visible round the caller may not use this page for is a
403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access as round_access
from . import forms
from . import queries as round_queries
from . import services as planning
from .forms import CopyForm, CreateRoundForm, DayForm, LogisticsForm, VenueForm
from .models import CourseDay, Venue

# Term overview ------------------------------------------------------------------------------


# Creating and changing rounds ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    structures = round_access.planned_structures_or_403(request.user)
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
            forms.add_problems(form, error, {"date": "first_day"})
        else:
            messages.success(
                request, _("The round is saved as a draft. Check each course day below.")
            )
            return redirect("enrolment:round", pk=round.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/round_form.html", {"form": form, "round": None}, status=status)


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
            forms.add_problems(form, error, {"date": "first_day"})
        else:
            messages.success(request, _("The copy is saved as a draft. Check each course day."))
            return redirect("enrolment:round", pk=new.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/copy_form.html", {"form": form, "round": round}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def version(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    newer = planning.newer_versions(round)
    form = forms.VersionForm(request.POST or None, versions=planning.versions_of(newer))
    if request.method == "POST" and form.is_valid():
        planning.move_to_version(round, form.cleaned_data["version"], by=request.user)
        messages.success(request, _("The round now teaches the new version."))
        return redirect("enrolment:round", pk=round.pk)
    changes = round_queries.changes_since(round, newer)
    return render(
        request,
        "rounds/version.html",
        {"round": round, "newer": newer, "form": form, **changes},
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
            forms.add_problems(form, error)
        else:
            messages.success(request, _("Day %(number)s has been saved.") % {"number": day.number})
            return redirect(reverse("enrolment:round", args=[round.pk]) + f"#dag-{day.number}")
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
    if not form.is_valid():
        # htmx leaves the checklist as it was; the box keeps showing the saved state.
        return HttpResponse(
            _("That checklist item does not apply to this day."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    day = planning.set_logistics(
        day, form.cleaned_data["item"], form.cleaned_data["done"], by=request.user
    )
    if request.htmx:
        return render(
            request,
            "rounds/_logistics.html",
            {
                "round": round,
                "day": day,
                "items": round_queries.logistics_of(day),
                "editable": True,
            },
        )
    return redirect(reverse("enrolment:round", args=[round.pk]) + f"#dag-{day.number}")


# The round page ---------------------------------------------------------------------------


# Registering and cancelling ---------------------------------------------------------------


# Capacity planning and the manager's page -------------------------------------------------


# Venues -----------------------------------------------------------------------------------


@login_required
def venues(request):
    structures = round_access.planned_structures_or_403(request.user)
    return render(
        request,
        "rounds/venues.html",
        {"venues": Venue.objects.filter(structure__in=structures).select_related("structure")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_form(request, pk=None):
    structures = round_access.planned_structures_or_403(request.user)
    venue = None
    if pk is not None:
        venue = get_object_or_404(Venue, pk=pk, structure__in=structures)
    form = VenueForm(request.POST or None, structures=structures, venue=venue)
    if request.method == "POST" and form.is_valid():
        structure = venue.structure if venue else form.cleaned_data["structure"]
        try:
            planning.save_venue(structure, by=request.user, venue=venue, **form.venue_fields())
        except planning.PlanningError as error:
            forms.add_problems(form, error)
        else:
            messages.success(request, _("The venue has been saved."))
            return redirect("rounds:venues")
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/venue_form.html", {"form": form, "venue": venue}, status=status)
