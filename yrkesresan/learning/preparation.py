"""Preparation: the course's modules, worked through by each participant before day 1."""

from django.db.models import Count

from yrkesresan.catalog.models import PreparationTask

from .models import PreparationProgress


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
