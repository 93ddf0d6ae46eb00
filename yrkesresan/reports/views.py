"""Reports: the organisation dashboards, the term overview, capacity planning, the fees of a
round and the manager's staff in the rounds. Reads only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from yrkesresan.accounts import access
from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment import exports
from yrkesresan.enrolment.exports import xlsx_response
from yrkesresan.organisations.models import County, Municipality
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds.access import planned_structures_or_403
from yrkesresan.rounds.forms import TermForm
from yrkesresan.rounds.models import Round

from . import comparison, dashboards, services
from . import exports as report_exports
from . import planning as report_planning
from .disclosure import THRESHOLD
from .forms import CapacityForm, MyStaffForm, TimelineForm
from .models import ExportJob
from .queries import counties_with_counts, municipalities_with_counts


@login_required
def county_list(request):
    counties = list(counties_with_counts())
    totals = {
        "municipalities": sum(c.municipality_count for c in counties),
        "members": sum(c.member_count for c in counties),
        "staff": sum(c.staff_count for c in counties),
    }
    return render(request, "reports/county_list.html", {"counties": counties, "totals": totals})


@login_required
def county_detail(request, code):
    county = get_object_or_404(County.objects.prefetch_related("support_structures"), code=code)
    return render(
        request,
        "reports/county_detail.html",
        {
            "county": county,
            "municipalities": municipalities_with_counts(county),
            "sees_figures": scope_for(request.user).may_see_county_figures(county),
        },
    )


@login_required
def municipality_detail(request, code):
    municipality = get_object_or_404(
        Municipality.objects.select_related("county").prefetch_related(
            "memberships", "county__support_structures"
        ),
        code=code,
    )
    units = municipality.units.annotate(staff_count=Count("staff")).order_by("name")
    scope = scope_for(request.user)
    return render(
        request,
        "reports/municipality_detail.html",
        {
            "municipality": municipality,
            "membership": municipality.membership_on(timezone.localdate()),
            "units": units,
            "scope": scope,
            # Staff lists are linked only for those whose scope covers this municipality.
            "sees_municipality_staff": scope.may_see_municipality_staff(municipality),
        },
    )


@login_required
def term_overview(request):
    user = request.user
    scope = access.scope_for(user)
    structures_ids = scope.work_structure_ids
    if not scope.may_see_term_overview:
        raise PermissionDenied
    form = TermForm(request.GET)
    visible = round_access.rounds_visible_to(user)
    if not scope.is_admin:
        # Drafts are for the structure's own people until the round is published.
        visible = visible.filter(~Q(status=Round.Status.DRAFT) | Q(structure_id__in=structures_ids))
    terms = set(visible.values_list("term", flat=True).distinct())
    term = (form.is_valid() and form.cleaned_data["termin"]) or round_queries.default_term(terms)
    terms.add(term)
    rows, matrix = report_planning.term_overview(
        visible.filter(term=term),
        staff=access.own_staff(user) if scope.may_register_staff else None,
        breakdown_structure_ids=None if scope.is_admin else scope.coordinated_structure_ids,
    )
    return render(
        request,
        "reports/term_overview.html",
        {
            "form": form,
            "term": term,
            "terms": sorted(terms, key=lambda t: (t.split()[1], t.split()[0] == "HT")),
            "rows": rows,
            "matrix": matrix,
            "breakdown_rows": [row for row in rows if row.breakdown],
            "scope": scope,
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
def fees_xlsx(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    rows, billable = report_planning.fee_rows(round)
    content = exports.fees_workbook(round, rows, billable)
    return xlsx_response(content, f"avgifter-omgang-{round.pk}.xlsx")


@login_required
def capacity(request):
    structures = planned_structures_or_403(request.user)
    form = CapacityForm(request.GET, structures=structures)
    if not form.is_valid():
        return render(request, "reports/capacity.html", {"form": form, "needs": None}, status=400)
    structure = form.cleaned_data["structure"]
    needs = report_planning.capacity_plan(
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
        "reports/capacity.html",
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
                round.register_url = reverse("enrolment:register", args=[round.pk])
                date = formats.date_format(round.first_day, "j N") if round.first_day else ""
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
    if not scope_for(request.user).may_register_staff:
        raise PermissionDenied
    form = MyStaffForm(request.GET)
    form.is_valid()
    open_rounds = round_access.rounds_visible_to(request.user).filter(status=Round.Status.OPEN)
    rows = report_planning.staff_places(
        access.own_staff(request.user).filter(is_active=True), open_rounds
    )
    if form.cleaned_data.get("behover"):
        rows = [row for row in rows if row.needs_place]
    label_offered_rounds(rows)
    return render(
        request,
        "reports/my_staff.html",
        {
            "form": form,
            "rows": rows,
            "journeys": report_planning.published_journeys(),
        },
    )


@login_required
def mode_comparison(request):
    form, rows = report_exports.comparison_for(request.user, request.GET)
    context = {"form": form, "rows": rows, "threshold": THRESHOLD, "query": request.GET.urlencode()}
    return render(
        request, "reports/mode_comparison.html", context, status=200 if form.is_valid() else 400
    )


@login_required
def mode_comparison_xlsx(request):
    form, rows = report_exports.comparison_for(request.user, request.GET, charts=False)
    content = comparison.comparison_workbook(rows, form.description())
    return xlsx_response(content, "fysiskt-digitalt.xlsx")


def _term_key(term):
    half, year = term.split()
    return (year, half == "HT")


@login_required
def timeline(request):
    """The term as a picture: the coordinator's rounds in rows, their days on the weeks."""
    structures = planned_structures_or_403(request.user)
    rounds = Round.objects.filter(structure__in=structures)
    terms = set(rounds.values_list("term", flat=True).distinct())
    default = round_queries.default_term(terms)
    courses = Course.objects.filter(pk__in=rounds.values("course_id")).order_by("title")
    form = TimelineForm(
        request.GET, terms=sorted(terms | {default}, key=_term_key, reverse=True), courses=courses
    )
    term = (form.is_valid() and form.cleaned_data["termin"]) or default
    picture = report_planning.term_timeline(form.filter(rounds.filter(term=term)), term)
    return render(
        request,
        "reports/timeline.html",
        {"form": form, "timeline": picture, "term": term, "today": timezone.localdate()},
        status=200 if form.is_valid() else 400,
    )


@login_required
def region_dashboard(request):
    form, figures = report_exports.region_for(request.user, request.GET)
    context = {"form": form, "figures": figures, "query": request.GET.urlencode()}
    status = 200 if form.is_valid() else 400
    return render(request, "reports/region_dashboard.html", context, status=status)


@login_required
def region_dashboard_xlsx(request):
    _form, figures = report_exports.region_for(request.user, request.GET)
    content = dashboards.figures_workbook(_("The region in figures"), figures)
    return xlsx_response(content, "region.xlsx")


@login_required
def municipality_dashboard(request, code):
    municipality, figures = report_exports.municipality_for(request.user, code)
    return render(
        request,
        "reports/municipality_dashboard.html",
        {"municipality": municipality, "figures": figures},
    )


@login_required
def municipality_dashboard_xlsx(request, code):
    municipality, figures = report_exports.municipality_for(request.user, code)
    title = _("%(municipality)s in figures") % {"municipality": municipality.name}
    return xlsx_response(dashboards.figures_workbook(title, figures), f"kommun-{code}.xlsx")


@login_required
def county_dashboard(request, code):
    county, figures = report_exports.county_for(request.user, code)
    return render(request, "reports/county_dashboard.html", {"county": county, "figures": figures})


@login_required
def county_dashboard_xlsx(request, code):
    county, figures = report_exports.county_for(request.user, code)
    title = _("%(county)s in figures") % {"county": county.name}
    return xlsx_response(dashboards.figures_workbook(title, figures), f"lan-{code}.xlsx")


@login_required
def nation_dashboard(request):
    return render(
        request,
        "reports/nation_dashboard.html",
        {"figures": report_exports.nation_for(request.user)},
    )


@login_required
def nation_dashboard_xlsx(request):
    content = dashboards.figures_workbook(
        _("The nation in figures"), report_exports.nation_for(request.user)
    )
    return xlsx_response(content, "nationellt.xlsx")


@login_required
@require_POST
def export_start(request):
    """Start an export in the background and follow it on its page."""
    job = services.start_export(request.user, request.POST.get("kind", ""), request.POST)
    return redirect("reports:export", pk=job.pk)


@login_required
@require_GET
def export(request, pk):
    """An export's progress, polled by htmx every second until it is ready; then the link."""
    job = get_object_or_404(ExportJob.objects.defer("content"), pk=pk, owner=request.user)
    template = "reports/_export_status.html" if request.htmx else "reports/export.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def export_file(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, owner=request.user, status=ExportJob.Status.DONE)
    return xlsx_response(bytes(job.content), job.filename)
