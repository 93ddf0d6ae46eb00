"""The knowledge bank: one search over courses, preparation modules, course material, laws and
the links in them, returning only what the person may see.

On PostgreSQL it is full-text search with the `swedish` configuration (Snowball stemming, with
each word of the query also cut to its stem and matched as a prefix, so that "barnet", "barnen"
and "barns" find each other), ranked, with highlighted snippets from ts_headline. On SQLite
(the demo) each word is cut to a crude Swedish stem and matched as a
substring; no ranking beyond the number of fields that match.

Who sees what (the rules of the pages the hits link to):
- courses and laws: everyone (the catalog is public);
- preparation modules: those with a place or a waiting place in a round of the course, those
  who have completed it (for good), and those who read trainer material;
- participant material: as materials.access.can_read_participant_material (a place, not a
  waiting place, or a completion);
- trainer material: those who read trainer material;
- material only as published: never material tied to a draft course version. Courses and
  preparation are the course's own rows, which hold its latest published version (a draft
  lives in CourseVersion.content until it is published).
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from yrkesresan.catalog.models import Course, LegalReference, PreparationTask
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.materials.access import sees_trainer_material
from yrkesresan.materials.models import Material

CONFIG = "swedish"
PER_KIND = 10
MAX_QUERY_LENGTH = 200
START, STOP = "\ue000", "\ue001"  # marks ts_headline puts around hits, escaped to <mark> later


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around the hits
    rank: float
    course: str = ""


def _visible_course_ids(user):
    """(courses whose preparation the user may read, courses whose participant material they
    may read; each None for all, when they read trainer material; whether they do). The rules
    of the pages the hits link to: preparation with a place or a waiting place, or once
    completed (enrolment.preparation.may_prepare); participant material with a place, or once
    completed (materials.access.can_read_participant_material)."""
    if not user.is_authenticated:
        return set(), set(), False
    if sees_trainer_material(user):
        return None, None, True
    live = {}
    for status, course_id in Registration.objects.filter(
        person=user, status__in=Registration.LIVE_STATUSES
    ).values_list("status", "round__course_id"):
        live.setdefault(status, set()).add(course_id)
    done = set(Completion.objects.filter(person=user).values_list("course_id", flat=True))
    registered = live.get(Registration.Status.REGISTERED, set())
    waiting = live.get(Registration.Status.WAITLISTED, set())
    return registered | waiting | done, registered | done, False


# (kind label, queryset builder, fields searched, title field, url of an object)
def _sources(user):
    prepares, reads, trainer = _visible_course_ids(user)
    prep = PreparationTask.objects.select_related("course")
    if prepares is not None:
        prep = prep.filter(course_id__in=prepares)
    published = Material.objects.published()
    participant = published.filter(audience=Material.Audience.PARTICIPANT)
    if reads is not None:
        participant = participant.filter(course_id__in=reads)
    audiences = Q(pk__in=participant.values("pk"))
    if trainer:
        audiences |= Q(audience=Material.Audience.TRAINER)
    material = published.filter(audiences).select_related("course")
    return [
        (_("Course"), Course.objects.all(), ("title", "summary", "target_group"), "title",
         lambda c: reverse("catalog:course", args=[c.slug]), None),
        (_("Preparation"), prep, ("title", "goal", "motivation", "body", "url"), "title",
         lambda t: reverse("participant:preparation_module", args=[t.course.slug, t.pk]),
         "course"),
        (_("Material"), material, ("title", "description", "body", "url"), "title",
         lambda m: reverse("materials:item", args=[m.course.slug, m.pk]), "course"),
        (_("Law or regulation"), LegalReference.objects.all(),
         ("short_name", "title", "sfs_number", "url"), "title",
         lambda law: law.url or reverse("catalog:journeys"), None),
    ]  # fmt: skip


def search(user, text):
    """[Hit] for `text`, best first, at most PER_KIND of each kind; [] for an empty query.
    Four queries (one per kind) plus the person's scope and the two reads of their courses,
    however much content there is."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return []
    postgres = connection.vendor == "postgresql"
    hits = []
    for kind, queryset, fields, title, url, course in _sources(user):
        found = _postgres(queryset, fields, text) if postgres else _fallback(queryset, fields, text)
        for obj in found:
            hits.append(
                Hit(
                    kind=str(kind),
                    title=getattr(obj, title),
                    url=url(obj),
                    snippet=_snippet(obj),
                    rank=float(obj.rank),
                    course=getattr(obj, course).title if course else "",
                )
            )
    return sorted(hits, key=lambda hit: -hit.rank)


def _document(fields):
    return SearchVector(*fields, config=CONFIG)


def _postgres(queryset, fields, text):
    return list(_postgres_queryset(queryset, fields, text)[:PER_KIND])


def _postgres_queryset(queryset, fields, text):
    """The matches of `text`, best first, with `rank` and `headline` (none, without a query,
    for no words).

    The filter is the very expression of the GIN indexes that catalog's and materials'
    migrations make (0009_knowledge_bank_search_indexes, 0005_knowledge_bank_search_index):
    change the fields here and there together."""
    # Snowball's Swedish stemmer keeps "barnet" apart from "barn" (barnen, barns): each word is
    # cut to its crude stem and matched as a prefix of the stemmed lexemes, so that all meet.
    words = [stem(word) for word in re.findall(r"\w+", text)]
    if not words:
        return queryset.none()
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), config=CONFIG,
                        search_type="raw")  # fmt: skip
    vector = _document(fields)
    concatenated = _concat(fields)
    return (
        queryset.annotate(rank=SearchRank(vector, query), document=vector)
        .filter(document=query)
        .annotate(
            headline=SearchHeadline(
                concatenated,
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=10,
            )
        )
        .order_by("-rank", "pk")
    )


def _concat(fields):
    parts = []
    for name in fields:
        parts += [F(name), Value(" · ")]
    return Concat(*parts[:-1], output_field=TextField())


# Crude Swedish endings for the SQLite fallback, longest first.
ENDINGS = sorted(
    ["arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "ans", "ar", "er", "or",
     "en", "et", "na", "ns", "a", "e", "n", "s", "t"],
    key=len, reverse=True,
)  # fmt: skip


def stem(word):
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _fallback(queryset, fields, text):
    stems = [stem(word) for word in re.findall(r"\w+", text)]
    if not stems:
        return []
    condition = Q()
    for word in stems:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    found = list(queryset.filter(condition).order_by("pk")[: PER_KIND * 5])
    for obj in found:
        haystack = " · ".join(str(getattr(obj, name) or "") for name in fields)
        obj.rank = sum(haystack.lower().count(word) for word in stems) / (1 + len(haystack) / 500)
        obj.headline = _mark(haystack, stems)
    found.sort(key=lambda obj: -obj.rank)
    return found[:PER_KIND]


def _mark(text, stems):
    """A piece of `text` around the first hit, the hits' words between START and STOP."""
    lower = text.lower()
    first = min((lower.find(w) for w in stems if w in lower), default=0)
    start = max(0, first - 80)
    piece = Truncator(text[start:]).words(30)
    pattern = re.compile(r"\b(\w*(?:" + "|".join(map(re.escape, stems)) + r")\w*)", re.I)
    return ("…" if start else "") + pattern.sub(START + r"\1" + STOP, piece)


def _snippet(obj):
    return mark_safe(  # noqa: S308 - escaped first, then only our marks become <mark>
        escape(obj.headline).replace(START, "<mark>").replace(STOP, "</mark>")
    )
