from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from yrkesresan.accounts.access import scope_for
from yrkesresan.organisations.models import County, Municipality

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
        {"county": county, "municipalities": municipalities_with_counts(county)},
    )


@login_required
def municipality_detail(request, code):
    municipality = get_object_or_404(
        Municipality.objects.select_related("county").prefetch_related(
            "memberships", "county__support_structures"
        ),
        code=code,
    )
    scope = scope_for(request.user)
    units = municipality.units.annotate(staff_count=Count("staff")).order_by("name")
    # Staff lists are linked only for those whose scope covers this municipality.
    sees_staff = (
        scope.is_admin
        or municipality.pk in scope.contact_municipality_ids
        or (municipality.county_id in scope.coordinated_county_ids)
    )
    return render(
        request,
        "reports/municipality_detail.html",
        {
            "municipality": municipality,
            "membership": municipality.membership_on(timezone.localdate()),
            "units": units,
            "managed_unit_ids": scope.managed_unit_ids,
            "sees_staff": sees_staff,
        },
    )
