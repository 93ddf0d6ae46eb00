"""Reads for the planning pages: terms, proposed days, the logistics checklist and fika."""

import datetime

from django.utils import timezone

from yrkesresan.catalog.models import LegalReference
from yrkesresan.catalog.versions import compare

from .models import TERM_PATTERN, CourseDay, Round, term_of

# People on a physical day besides the participants: in Region Mälardalen a team of four
# trainers takes each day and the course leader, who may belong to the other team, attends
# every day. Venue capacity and fika are planned for that many.
TRAINERS_ON_A_DAY = 5


# Seats of a round when a structure has no earlier round of the course to go by (the first
# national round had 25 participants).
DEFAULT_SEATS = 25


DEFAULT_STARTS_AT = datetime.time(9, 0)


DEFAULT_ENDS_AT = datetime.time(16, 0)


# The coordinator's checklist, per mode of the day: CourseDay fields in display order.
LOGISTICS = {
    CourseDay.Mode.PHYSICAL: ["room_booked", "fika_ordered", "material_sent"],
    CourseDay.Mode.DIGITAL: ["material_sent", "link_sent"],
}


LOGISTICS_FIELDS = tuple(dict.fromkeys(name for names in LOGISTICS.values() for name in names))


# Rounds whose seats still lie ahead: planned, open or closed for registration.
PLANNED_STATUSES = (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED)


def next_term(term):
    """The term after `term`: VT 2027 → HT 2027 → VT 2028."""
    half, year = term.split()
    return f"HT {year}" if half == "VT" else f"VT {int(year) + 1}"


def coming_terms(today=None, count=4):
    """The current term and the `count - 1` after it, for choosing a round's term."""
    term = term_of(today or timezone.localdate())
    terms = [term]
    while len(terms) < count:
        terms.append(next_term(terms[-1]))
    return terms


def is_term(value):
    return bool(TERM_PATTERN.match(value or ""))


def default_term(terms_with_rounds, today=None):
    """The term a page opens on: the current one, or the next if only that has rounds."""
    current = term_of(today or timezone.localdate())
    following = next_term(current)
    if current not in terms_with_rounds and following in terms_with_rounds:
        return following
    return current


def logistics_items(day):
    """The checklist fields that apply to the day's mode, in display order."""
    return LOGISTICS[day.mode]


def fika_count(registered_count, trainers=TRAINERS_ON_A_DAY):
    """How many to order fika for: the participants with seats and the day's trainers."""
    return registered_count + trainers


def logistics_of(day):
    return [
        {
            "name": name,
            "label": CourseDay._meta.get_field(name).verbose_name,
            "done": getattr(day, name),
        }
        for name in logistics_items(day)
    ]


def changes_since(round, newer):
    """What changed from the version the round teaches to the newest of `newer` (newest
    first): {"parts": [catalog.versions.PartDiff], "changed": bool}, empty when nothing is
    newer or the round has no version."""
    if not newer or not round.course_version_id:
        return {"parts": [], "changed": False}
    return comparison(round.course_version, newer[0])


def comparison(old, new):
    """{"parts", "changed"} of two CourseVersions, with the laws they name by name."""
    ids = set(old.content.get("legal_references", [])) | set(
        new.content.get("legal_references", [])
    )
    laws = {law.pk: str(law) for law in LegalReference.objects.filter(pk__in=ids)}
    parts = compare(old.content, new.content, laws)
    return {"parts": parts, "changed": any(part.changed for part in parts)}
