"""Writing a course's content through versions.

Editors work on the course's one draft (start_draft, save_draft); publish_draft makes it a
new published version and copies it to the course's own rows, which the pages read.

Locking: publish_draft locks the Course row first, then the draft; save_draft locks the draft
row. Two editors publishing the same course are serialised on the course row, and the second
finds the draft already published (or the course on a newer version than the draft was based
on) and is refused with a VersionConflict: nothing the first published is lost or overwritten.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from . import signals
from .models import (
    Course,
    CourseDayPlan,
    CourseVersion,
    DeepDiveTask,
    KnowledgeGoal,
    LegalReference,
    PreparationTask,
)
from .versions import COURSE_FIELDS, PARTS, snapshot

VERSION_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3}){1,2}$")
MODELS = {
    "goals": KnowledgeGoal,
    "preparation": PreparationTask,
    "day_plans": CourseDayPlan,
    "deep_dive_tasks": DeepDiveTask,
}


class VersionConflict(DomainError):
    status = 409
    code = "version_conflict"


class ContentError(DomainError):
    pass


def current_version(course):
    """The course's latest published CourseVersion, or None before the first. One query."""
    return (
        course.versions.filter(status=CourseVersion.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def draft_of(course):
    """The course's draft, or None. One query."""
    return course.versions.filter(status=CourseVersion.Status.DRAFT).first()


def next_number(number):
    """The number after `number` in its last part: "2.0" -> "2.1"; "" -> "1.0"."""
    if not VERSION_NUMBER.match(number or ""):
        return "1.0"
    head, _dot, last = number.rpartition(".")
    return f"{head}.{int(last) + 1}"


def _number_key(number):
    return tuple(int(part) for part in number.split("."))


@transaction.atomic
def start_draft(course, *, by):
    """The course's draft: the one there is, or a new one holding the course as it is now
    (based on the course's current version)."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    draft = locked.versions.filter(status=CourseVersion.Status.DRAFT).first()
    if draft is None:
        draft = CourseVersion.objects.create(
            course=locked, based_on=locked.version, content=snapshot(locked)
        )
        log_action(by, "course.draft_started", draft, course=locked.pk, based_on=locked.version)
    return draft


@transaction.atomic
def save_draft(draft, content, *, by, revision):
    """Store `content` (a whole document, see catalog.versions) in the draft. `revision` is
    the draft's revision the editor started from: a save over a newer one is refused, so that
    one editor never silently overwrites another. Returns the draft, locked."""
    locked = CourseVersion.objects.select_for_update().get(pk=draft.pk)
    if locked.is_published:
        raise VersionConflict(
            _("The draft has been published as version %(number)s. Start a new draft.")
            % {"number": locked.number}
        )
    if locked.revision != revision:
        raise VersionConflict(
            _("Someone else has saved the draft since you opened it. Open it again.")
        )
    _check_content(content)
    locked.content = content
    locked.revision += 1
    locked.save(update_fields=["content", "revision"])
    log_action(by, "course.draft_saved", locked, revision=locked.revision)
    return locked


def _check_content(content):
    """Every row of the document as its model would accept it; ContentError otherwise."""
    course = Course(step_id=0, slug="x", **{k: content.get(k) for k in COURSE_FIELDS})
    _clean(course, _("Course"), exclude=["step", "slug"])
    for key, _related, fields, heading in PARTS:
        for number, row in enumerate(content.get(key, []), start=1):
            obj = MODELS[key](**{name: row.get(name) for name in fields})
            _clean(obj, f"{heading} {number}", exclude=["course", "order"])
    days = [row.get("number") for row in content.get("day_plans", [])]
    if len(days) != len(set(days)):
        raise ContentError(_("Two day plans have the same day number."))
    sizes = {}
    for row in content.get("day_plans", []):
        sizes.setdefault(row.get("team"), set()).add(row.get("trainers"))
    mixed = sorted(team for team, asked in sizes.items() if len(asked) > 1)
    if mixed:
        raise ContentError(
            _(
                "The days of team %(team)s ask for different numbers of trainers; a team takes "
                "its days together."
            )
            % {"team": mixed[0]}
        )


def _clean(obj, where, exclude):
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise ContentError(
            _("%(where)s: %(problems)s") % {"where": where, "problems": problems}
        ) from error


@transaction.atomic
def publish_draft(draft, *, by, number, change_note, legal_reference=None):
    """Publish the draft as version `number` with its change note (what changed and why) and
    optionally the law or regulation that caused it, and copy it to the course's rows.

    Refused with a VersionConflict when the draft has been published meanwhile or the course
    has a newer version than the one the draft was started from; with a ContentError when the
    number is not new and greater (the first may keep the course's label), the note empty or
    the content invalid. Tells the layers
    above through signals.version_published, inside the transaction."""
    course = Course.objects.select_for_update().get(pk=draft.course_id)
    locked = CourseVersion.objects.select_for_update().get(pk=draft.pk)
    if locked.is_published:
        raise VersionConflict(
            _("Another editor has already published this draft as version %(number)s.")
            % {"number": locked.number}
        )
    if locked.based_on != course.version:
        raise VersionConflict(
            _(
                "Version %(current)s was published after this draft was started from "
                "%(based_on)s. Compare them and start again from %(current)s."
            )
            % {"current": course.version, "based_on": locked.based_on}
        )
    number = number.strip()
    change_note = change_note.strip()
    if not VERSION_NUMBER.match(number):
        raise ContentError(_("Give the version as numbers with dots, such as 2.1."))
    previous = current_version(course)
    taken = set(course.versions.filter(status="published").values_list("number", flat=True))
    # The first published version may keep the number the course was labelled with.
    too_low = VERSION_NUMBER.match(course.version) and (
        _number_key(number) < _number_key(course.version)
        or (previous is not None and _number_key(number) == _number_key(course.version))
    )
    if number in taken or too_low:
        raise ContentError(
            _("The new version must be greater than %(current)s.") % {"current": course.version}
        )
    if not change_note:
        raise ContentError(_("Say what changed and why in the change note."))
    if legal_reference is not None and not isinstance(legal_reference, LegalReference):
        raise TypeError("legal_reference must be a LegalReference")
    _check_content(locked.content)
    content = _apply(course, locked.content)
    CourseVersion.objects.filter(pk=locked.pk).update(
        status=CourseVersion.Status.PUBLISHED,
        number=number,
        content=content,
        change_note=change_note,
        legal_reference=legal_reference,
        published_at=timezone.now(),
        published_by=by if by and by.is_authenticated else None,
    )
    Course.objects.filter(pk=course.pk).update(version=number)
    locked.refresh_from_db()
    log_action(
        by,
        "course.version_published",
        locked,
        course=course.pk,
        number=number,
        previous=course.version,
        legal_reference=getattr(legal_reference, "pk", None),
    )
    signals.version_published.send(
        sender=CourseVersion, version=locked, previous=getattr(previous, "number", "")
    )
    return locked


def _apply(course, content):
    """Make the course's rows what `content` says, updating rows in place by their ids,
    adding rows without one and deleting rows left out. Returns the content with the ids of
    the rows as they now are."""
    for name in COURSE_FIELDS:
        setattr(course, name, content[name])
    course.save(update_fields=list(COURSE_FIELDS))
    result = dict(content)
    for key, related, fields, _heading in PARTS:
        model = MODELS[key]
        existing = {obj.pk: obj for obj in getattr(course, related).all()}
        rows = []
        # Day plans are unique per (course, number): delete those left out first, and move the
        # kept ones out of the way before renumbering.
        wanted = {row.get("id") for row in content.get(key, []) if row.get("id") in existing}
        model.objects.filter(pk__in=set(existing) - wanted).delete()
        if key == "day_plans":
            for pk in wanted:
                model.objects.filter(pk=pk).update(number=1000 + existing[pk].number)
        for order, row in enumerate(content.get(key, [])):
            values = {name: row[name] for name in fields}
            if key != "day_plans":
                values["order"] = order
            obj = existing.get(row.get("id"))
            if obj is None:
                obj = model.objects.create(course=course, **values)
            else:
                model.objects.filter(pk=obj.pk).update(**values)
            rows.append({"id": obj.pk, **{name: row[name] for name in fields}})
        result[key] = rows
    laws = content.get("legal_references", [])
    course.legal_references.set(LegalReference.objects.filter(pk__in=laws))
    return result
