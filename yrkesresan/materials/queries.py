"""Reads for the material pages: what changed for a trainer, and who has read a round's
version."""

from django.db.models import Q
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import LegalReference
from yrkesresan.catalog.versions import compare
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.rounds.models import Round
from yrkesresan.staffing.models import TeamDay

from .models import LinkCheck, VersionReading


def latest_versions(course):
    """(current, previous): the course's two latest published versions, or None. One query."""
    versions = list(
        course.versions.filter(status="published")
        .select_related("legal_reference")
        .order_by("-published_at", "-pk")[:2]
    )
    return (versions + [None, None])[0], (versions + [None, None])[1]


def own_round_versions(person, course):
    """The version numbers the person's rounds of the course teach: the round they have a place
    or a waiting-list place in, those their completions kept, and the rounds with a day ahead
    they lead or train in. Two queries."""
    numbers = set(
        Completion.objects.filter(person=person, course=course)
        .exclude(course_version="")
        .values_list("course_version", flat=True)
    )
    today = timezone.localdate()
    rounds = (
        Round.objects.filter(course=course)
        .filter(
            Q(
                registrations__person=person,
                registrations__status__in=[
                    Registration.Status.REGISTERED,
                    Registration.Status.WAITLISTED,
                ],
            )
            | Q(course_leader=person, days__date__gte=today)
            | Q(days__team_assignment__team__members=person, days__date__gte=today)
        )
        .select_related("course_version")
        .distinct()
    )
    for round in rounds:
        numbers.add(round.course_version.number if round.course_version_id else course.version)
    return numbers


def read_up_to(reading):
    """The newest version the trainer has read: acknowledged, else first opened."""
    if reading is None:
        return None
    return reading.acknowledged or reading.opened


def changes_for_trainer(reading, current):
    """{"base", "parts", "changed"}: what changed from the version the trainer last read to
    `current`, or no parts when they are up to date."""
    base = read_up_to(reading)
    if base is None or current is None or base.published_at >= current.published_at:
        return {"base": base, "parts": [], "changed": False}
    ids = set(base.content.get("legal_references", [])) | set(
        current.content.get("legal_references", [])
    )
    laws = {law.pk: str(law) for law in LegalReference.objects.filter(pk__in=ids)}
    parts = compare(base.content, current.content, laws)
    return {"base": base, "parts": parts, "changed": any(p.changed for p in parts)}


def readers_of(round):
    """[(trainer, read: bool)] for the trainers with a day ahead in the round and its course
    leader: whether they have read the version the round teaches."""
    ids = set(
        TeamDay.objects.filter(
            day__round=round, day__date__gte=timezone.localdate(), team__members__isnull=False
        ).values_list("team__members", flat=True)
    )
    if round.course_leader_id:
        ids.add(round.course_leader_id)
    people = User.objects.in_bulk(ids)
    readings = {
        r.person_id: r
        for r in VersionReading.objects.filter(
            course=round.course_id, person__in=people
        ).select_related("opened", "acknowledged")
    }
    version = round.course_version
    rows = []
    for pk, person in sorted(people.items(), key=lambda item: item[1].get_full_name()):
        base = read_up_to(readings.get(pk))
        read = version is None or (base is not None and base.published_at >= version.published_at)
        rows.append((person, read))
    return rows


def broken_links_for(courses):
    """The broken links found in `courses` (a queryset) and in the laws, by course."""
    return list(
        LinkCheck.objects.filter(ok=False)
        .filter(Q(course__in=courses) | Q(course__isnull=True))
        .select_related("course")
        .order_by("course__title", "found_in", "url")
    )
