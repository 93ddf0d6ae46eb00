"""The reports' figures for a user and a set of filters, as their pages and their Excel files
use them, and the building of an export in the background (reports.tasks)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from yrkesresan.accounts.access import scope_for
from yrkesresan.evaluations import access as evaluation_access
from yrkesresan.organisations.models import County, Municipality, SupportStructure
from yrkesresan.rounds.access import planned_structures_or_403
from yrkesresan.rounds.models import Round

from . import comparison, dashboards
from .forms import ModeComparisonForm, RegionForm
from .models import ExportJob
from .queries import mode_score_groups


def comparison_for(user, data, *, charts=True):
    """The physical/digital comparison over the rounds whose results `user` reads, narrowed
    by `data` (the page's filters): (form, rows). 403 for those who read no comparisons."""
    evaluation_access.require_course_evaluations(user)
    rounds = evaluation_access.rounds_with_results_for(user)
    form = ModeComparisonForm(data, rounds=rounds)
    return form, comparison.comparison_rows(mode_score_groups(form.filter(rounds)), charts=charts)


def region_for(user, data):
    """The region dashboard's (form, figures): coordinators their structures', administrators
    any one's or all; 403 for those who plan no rounds."""
    structures = planned_structures_or_403(user)
    form = RegionForm(data, structures=structures)
    chosen = form.cleaned_data.get("stod") if form.is_valid() else None
    rounds = Round.objects.filter(structure__in=[chosen] if chosen else structures)
    return form, dashboards.region_figures(rounds)


def municipality_for(user, code):
    """(municipality, figures) of the municipality dashboard: for its contact, the
    coordinators of its county and administrators (the rule of its staff list); 404 for an
    unknown code, 403 for anyone else."""
    municipality = get_object_or_404(Municipality.objects.select_related("county"), code=code)
    if not scope_for(user).may_see_municipality_staff(municipality):
        raise PermissionDenied
    serving = SupportStructure.objects.filter(counties=municipality.county_id)
    figures = dashboards.municipalities_figures(
        [municipality.pk], Round.objects.all(), Round.objects.filter(structure__in=serving)
    )
    return municipality, figures


def county_for(user, code):
    """(county, figures) of the county dashboard, its municipalities together: for the
    coordinators of the county and administrators; 404 for an unknown code, 403 for anyone
    else."""
    county = get_object_or_404(County, code=code)
    if not scope_for(user).may_see_county_figures(county):
        raise PermissionDenied
    serving = SupportStructure.objects.filter(counties=county)
    figures = dashboards.municipalities_figures(
        Municipality.objects.filter(county=county).values("pk"),
        Round.objects.all(),
        Round.objects.filter(structure__in=serving),
    )
    return county, figures


def require_nation(user):
    if not scope_for(user).may_see_national_dashboard:
        raise PermissionDenied


def nation_for(user):
    require_nation(user)
    return dashboards.nation_figures(Round.objects.all())


def may_export(user, kind):
    """Whether `user` may export the report `kind` at all (its page's rule)."""
    scope = scope_for(user)
    return {
        ExportJob.Kind.NATION: scope.may_see_national_dashboard,
        ExportJob.Kind.REGION: scope.may_plan_rounds,
        ExportJob.Kind.COMPARISON: scope.may_see_course_evaluations,
    }[kind]


def build(job, progress):
    """The workbook and file name of `job`, for its owner's rights now; `progress(percent)`
    is told how far it has come."""
    user, data = job.owner, job.parameters
    progress(10)
    if job.kind == ExportJob.Kind.NATION:
        figures = nation_for(user)
        progress(60)
        return dashboards.figures_workbook(_("The nation in figures"), figures), "nationellt.xlsx"
    if job.kind == ExportJob.Kind.REGION:
        _form, figures = region_for(user, data)
        progress(60)
        return dashboards.figures_workbook(_("The region in figures"), figures), "region.xlsx"
    form, rows = comparison_for(user, data, charts=False)
    progress(60)
    return comparison.comparison_workbook(rows, form.description()), "fysiskt-digitalt.xlsx"
