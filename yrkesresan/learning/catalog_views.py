"""The national catalog is public: it holds no personal data."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from yrkesresan.catalog.models import Course, Journey, LegalReference, Step
from yrkesresan.enrolment.placement import current_placement

from . import knowledge, taught


def journey_list(request):
    journeys = Journey.objects.annotate(course_count=Count("steps__courses")).prefetch_related(
        "steps"
    )
    return render(request, "catalog/journey_list.html", {"journeys": journeys})


def journey_detail(request, slug):
    steps = Step.objects.prefetch_related(
        Prefetch("courses", queryset=Course.objects.order_by("order", "title"))
    )
    journey = get_object_or_404(
        Journey.objects.prefetch_related(Prefetch("steps", queryset=steps)), slug=slug
    )
    placement = None
    if request.user.is_authenticated and journey.is_published:
        placement = current_placement(request.user, journey)
    return render(
        request, "catalog/journey_detail.html", {"journey": journey, "placement": placement}
    )


def course_detail(request, slug):
    """The course as published; for a participant whose round teaches an older version (kept
    by their completion once done), that version's content."""
    course = get_object_or_404(
        Course.objects.select_related("step__journey").prefetch_related(
            "goals",
            "preparation_tasks",
            "day_plans",
            "deep_dive_tasks",
            Prefetch(
                "legal_references",
                queryset=LegalReference.objects.select_related("replaced_by").order_by(
                    "short_name"
                ),
            ),
        ),
        slug=slug,
    )
    latest = course.version
    my_version, version = course.version, None
    if request.user.is_authenticated:
        my_version, version = taught.taught_version(request.user, course)
    content = taught.course_page_content(course, version)
    taught.course_as_of(course, version)
    today = timezone.localdate()
    references = content["legal_references"]
    return render(
        request,
        "catalog/course_detail.html",
        {
            "course": course,
            "content": content,
            "latest": latest,
            "shown_version": version.number if version else latest,
            "references_in_force": [r for r in references if r.in_force(today)],
            "references_past": [r for r in references if not r.in_force(today)],
            "preparation_minutes": sum(t.estimated_minutes for t in content["preparation"]),
            "my_version": my_version,
        },
    )


@login_required
def knowledge_bank(request):
    text = request.GET.get("q", "")
    hits = knowledge.search(request.user, text)
    return render(request, "catalog/knowledge_bank.html", {"q": text.strip(), "hits": hits})
