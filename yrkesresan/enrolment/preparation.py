"""Preparation: the course's modules, worked through by each participant before day 1."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.catalog.models import Course, PreparationTask
from yrkesresan.core.errors import DomainError

from .models import Completion, PreparationProgress, Registration


def preparation_done_counts(person_ids, course):
    """{person id: number of the course's preparation modules they have marked done}, in one
    query; people who have done none are missing from the dict."""
    rows = (
        PreparationProgress.objects.filter(
            person_id__in=person_ids, task__course=course, done_at__isnull=False
        )
        .values("person_id")
        .annotate(done=Count("pk"))
        .order_by()
    )
    return {row["person_id"]: row["done"] for row in rows}


def preparation_total(course):
    return PreparationTask.objects.filter(course=course).count()


# The participant's own preparation -----------------------------------------------------------

NOTES_MAX_LENGTH = 10000


class PreparationError(DomainError):
    """A refused change; the message is a complete, translated sentence for the participant."""


def may_prepare(person, course):
    """A person works on a course's preparation while they have a place or a waiting-list
    place in one of its rounds, and keeps it once they have completed the course.

    (An access rule: to move to accounts/access.py.)
    """
    if not person.is_authenticated:
        return False
    return (
        Registration.objects.filter(
            person=person,
            round__course=course,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        ).exists()
        or Completion.objects.filter(person=person, course=course).exists()
    )


def get_course_for_preparation(user, slug):
    """The course if the user may work on its preparation; 404 otherwise (nothing revealed)."""
    course = get_object_or_404(Course.objects.select_related("step__journey"), slug=slug)
    if not may_prepare(user, course):
        raise Http404
    return course


def version_taught(person, course):
    """The content version the person's round of the course teaches (kept by their
    completion once they have completed it), else the course's current version. One query."""
    registration = (
        Registration.objects.filter(
            person=person,
            round__course=course,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        )
        .select_related("round__course_version", "completion")
        .order_by("-pk")
        .first()
    )
    if registration is None:
        return course.version
    completion = getattr(registration, "completion", None)
    if completion is not None and completion.course_version:
        return completion.course_version
    if registration.round.course_version_id:
        return registration.round.course_version.number
    return course.version


def modules_of(person, course):
    """The course's preparation modules in order, each with `progress` set to the person's
    PreparationProgress as `mine` (or None), `is_done` and `number` (1, 2, …): two queries."""
    modules = list(
        PreparationTask.objects.filter(course=course)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=PreparationProgress.objects.filter(person=person),
                to_attr="own_progress",
            )
        )
    )
    for number, module in enumerate(modules, start=1):
        module.number = number
        module.mine = module.own_progress[0] if module.own_progress else None
        module.is_done = bool(module.mine and module.mine.is_done)
    return modules


@dataclass(frozen=True)
class PreparationSummary:
    done: int
    total: int
    minutes_left: int
    minutes_total: int

    @property
    def is_complete(self):
        return self.total > 0 and self.done == self.total


def summary_of(modules):
    return PreparationSummary(
        done=sum(1 for m in modules if m.is_done),
        total=len(modules),
        minutes_left=sum(m.estimated_minutes for m in modules if not m.is_done),
        minutes_total=sum(m.estimated_minutes for m in modules),
    )


@transaction.atomic
def set_done(person, task, done):
    """Mark the module done (now) or not done for the person; marking it twice changes
    nothing. Returns the person's PreparationProgress."""
    progress, _created = PreparationProgress.objects.select_for_update().get_or_create(
        person=person, task=task
    )
    if done and progress.done_at is None:
        progress.done_at = timezone.now()
        progress.save(update_fields=["done_at", "updated_at"])
    elif not done and progress.done_at is not None:
        progress.done_at = None
        progress.save(update_fields=["done_at", "updated_at"])
    return progress


@transaction.atomic
def save_notes(person, task, notes):
    """Save the person's private notes on a reflection module. Nobody else ever reads them."""
    if task.kind != PreparationTask.Kind.REFLECTION:
        raise PreparationError(_("Only reflection modules have notes."))
    notes = notes.strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise PreparationError(
            _("Your notes can be at most %(limit)s characters long.") % {"limit": NOTES_MAX_LENGTH}
        )
    progress, _created = PreparationProgress.objects.select_for_update().get_or_create(
        person=person, task=task
    )
    progress.notes = notes
    progress.save(update_fields=["notes", "updated_at"])
    return progress
