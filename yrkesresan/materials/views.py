"""Course material pages: participant material, trainer material, and one item.

Participant material is for those registered in a round of the course, for good after they
complete it, and for those who read trainer material; anyone else gets a 404 (the page does not
reveal what a course holds). Trainer material is for trainers, course leaders, coordinators,
editors and administrators; anyone else gets a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesresan.accounts.access import scope_for
from yrkesresan.catalog.access import (
    editable_courses,
    get_course_for_editor,
    may_edit_course,
    require_workspace,
)
from yrkesresan.catalog.models import Course
from yrkesresan.catalog.services import current_version
from yrkesresan.core.errors import DomainError
from yrkesresan.rounds.access import get_round_for_manager

from . import access as material_access
from . import queries, services
from .forms import MaterialForm
from .models import Material
from .shelves import version_groups
from .uploads import CheckedFile


def _course(slug):
    return get_object_or_404(Course.objects.select_related("step__journey"), slug=slug)


def _check_audience(user, course, audience):
    if audience == Material.Audience.TRAINER:
        if not material_access.sees_trainer_material(user):
            raise PermissionDenied
    elif not material_access.can_read_participant_material(user, course):
        raise Http404


def _list(request, course, audience, **context):
    groups = version_groups(course, audience)
    if len(groups) > 1:  # material for several versions: mark the reader's rounds' versions
        own = queries.own_round_versions(request.user, course)
        for group in groups:
            group.is_own = group.number in own
    return render(
        request,
        "materials/course.html",
        {
            "course": course,
            "audience": audience,
            "groups": groups,
            "shelves": groups[0].shelves if len(groups) == 1 else [],
            "scope": scope_for(request.user),
            "may_add": may_edit_course(request.user, course),
            **context,
        },
    )


@login_required
def participant_material(request, slug):
    course = _course(slug)
    _check_audience(request.user, course, Material.Audience.PARTICIPANT)
    return _list(request, course, Material.Audience.PARTICIPANT)


@login_required
def trainer_material(request, slug):
    course = _course(slug)
    _check_audience(request.user, course, Material.Audience.TRAINER)
    current, previous = queries.latest_versions(course)
    reading = services.record_opened(request.user, course, current, previous)
    changes = queries.changes_for_trainer(reading, current)
    return _list(request, course, Material.Audience.TRAINER, current=current, **changes)


@login_required
@require_POST
def acknowledge(request, slug):
    course = _course(slug)
    _check_audience(request.user, course, Material.Audience.TRAINER)
    current = current_version(course)
    if current is not None:
        services.acknowledge(request.user, course, current)
        messages.success(request, _("Thank you: you have read version %(number)s.")
                         % {"number": current.number})  # fmt: skip
    return redirect("materials:trainer", slug=course.slug)


@login_required
@require_http_methods(["GET", "POST"])
def add(request, slug):
    course = get_course_for_editor(request.user, slug)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = services.add_material(course, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The material is added."))
            return redirect("materials:item", slug=course.slug, pk=material.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "materials/add.html", {"course": course, "form": form}, status=status)


@login_required
def material_file(request, slug, pk):
    course = _course(slug)
    material = get_object_or_404(
        Material.objects.published().exclude(file=""), pk=pk, course=course
    )
    _check_audience(request.user, course, material.audience)
    checked = CheckedFile(material.file_kind)
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(material.title) or 'material'}.{checked.extension}",
        content_type=checked.content_type,
    )
    # Never rendered by the browser from our origin, whatever the file holds.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def readers(request, pk):
    round = get_round_for_manager(request.user, pk)
    return render(
        request,
        "materials/readers.html",
        {"round": round, "rows": queries.readers_of(round)},
    )


@login_required
def material_item(request, slug, pk):
    course = _course(slug)
    material = get_object_or_404(Material.objects.published(), pk=pk, course=course)
    _check_audience(request.user, course, material.audience)
    latest = (
        Material.objects.published()
        .filter(
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


@login_required
def broken_links(request):
    require_workspace(request.user)
    links = queries.broken_links_for(editable_courses(request.user))
    return render(request, "materials/broken_links.html", {"links": links})
