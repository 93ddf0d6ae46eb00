"""Who writes the catalog, over the scope of accounts.access.

A national editor writes the courses of the journeys they edit; administrators write all.
The editors' workspace does not reveal another journey's drafts: a course outside the
caller's journeys is a 404, whoever the caller is.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.accounts.access import editable_journey_ids, scope_for

from .models import Course


def may_use_workspace(user):
    """Editors of at least one journey, and administrators."""
    return scope_for(user).may_edit_catalog


def require_workspace(user):
    if not may_use_workspace(user):
        raise PermissionDenied


def editable_courses(user):
    """The courses the user writes (none for those who edit no journey)."""
    if not may_use_workspace(user):
        return Course.objects.none()
    ids = editable_journey_ids(user)
    courses = Course.objects.all()
    if ids is not None:
        courses = courses.filter(step__journey_id__in=ids)
    return courses


def get_course_for_editor(user, slug):
    """The course if the user writes it; 404 otherwise."""
    course = get_object_or_404(Course.objects.select_related("step__journey"), slug=slug)
    if not may_edit_course(user, course):
        raise Http404
    return course


def may_edit_course(user, course):
    """Whether the user writes `course` (with its step loaded)."""
    if not may_use_workspace(user):
        return False
    ids = editable_journey_ids(user)
    return ids is None or course.step.journey_id in ids
