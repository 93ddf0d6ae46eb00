"""Course material pages: participant material, trainer material, and one item.

Participant material is for those registered in a round of the course, for good after they
complete it, and for those who read trainer material; anyone else gets a 404 (the page does not
reveal what a course holds). Trainer material is for trainers, course leaders, coordinators,
editors and administrators; anyone else gets a 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.models import Course

from . import access as material_access
from .models import Material
from .shelves import shelves_of


def _course(slug):
    return get_object_or_404(Course.objects.select_related("step__journey"), slug=slug)


def _check_audience(user, course, audience):
    if audience == Material.Audience.TRAINER:
        if not material_access.sees_trainer_material(user):
            raise PermissionDenied
    elif not material_access.can_read_participant_material(user, course):
        raise Http404


def _list(request, slug, audience):
    course = _course(slug)
    _check_audience(request.user, course, audience)
    return render(
        request,
        "materials/course.html",
        {
            "course": course,
            "audience": audience,
            "shelves": shelves_of(course, audience),
            "scope": scope_for(request.user),
        },
    )


@login_required
def participant_material(request, slug):
    return _list(request, slug, Material.Audience.PARTICIPANT)


@login_required
def trainer_material(request, slug):
    return _list(request, slug, Material.Audience.TRAINER)


@login_required
def material_item(request, slug, pk):
    course = _course(slug)
    material = get_object_or_404(Material, pk=pk, course=course)
    _check_audience(request.user, course, material.audience)
    latest = (
        Material.objects.filter(
            course=course,
            audience=material.audience,
            day_number=material.day_number,
            title=material.title,
        )
        .order_by("-published_on", "-pk")
        .first()
    )
    day = course.day_plans.filter(number=material.day_number).first()
    return render(
        request,
        "materials/item.html",
        {
            "course": course,
            "material": material,
            "day": day,
            "newer": latest if latest.pk != material.pk else None,
        },
    )
