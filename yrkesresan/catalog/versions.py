"""A course's content as one document, and a readable comparison of two versions.

The document (`snapshot`) is what CourseVersion.content keeps: the course's texts and its
goals, preparation, day plans, deep-dive tasks and laws, each row with the id of the live row
it came from ("id": None for a row a draft adds), so that publishing can update rows in place
(enrolment's preparation progress and deep-dive answers point at them).
"""

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COURSE_FIELDS = ("title", "summary", "target_group", "course_days")
GOAL_FIELDS = ("kind", "text")
PREPARATION_FIELDS = (
    "title",
    "kind",
    "goal",
    "motivation",
    "estimated_minutes",
    "body",
    "url",
)
DAY_PLAN_FIELDS = ("number", "title", "themes", "trainers", "team")
DEEP_DIVE_FIELDS = ("title", "instructions")

# (key in the document, related name on Course, fields, heading): the parts in reading order.
PARTS = (
    ("goals", "goals", GOAL_FIELDS, _("Knowledge goals")),
    ("preparation", "preparation_tasks", PREPARATION_FIELDS, _("Preparation")),
    ("day_plans", "day_plans", DAY_PLAN_FIELDS, _("Day plans")),
    ("deep_dive_tasks", "deep_dive_tasks", DEEP_DIVE_FIELDS, _("Deep-dive tasks")),
)
FIELDS = {key: fields for key, _related, fields, _heading in PARTS}


def _row(obj, fields):
    return {"id": obj.pk, **{name: getattr(obj, name) for name in fields}}


def snapshot(course):
    """The document of `course` as its rows are now. Six queries."""
    document = {name: getattr(course, name) for name in COURSE_FIELDS}
    for key, related, fields, _heading in PARTS:
        rows = getattr(course, related).order_by("number" if key == "day_plans" else "order", "pk")
        document[key] = [_row(obj, fields) for obj in rows]
    document["legal_references"] = sorted(course.legal_references.values_list("pk", flat=True))
    return document


def as_of(rows, document, key, *, keep_gone=False, model=None):
    """The live rows of one part (`key`: "goals", "preparation", "day_plans" or
    "deep_dive_tasks") as the version `document` has them, in its order: each live row the
    document names gets the document's texts (in memory only, never saved), so that what
    points at the live rows (a participant's progress, their answers) still finds them. Live
    rows the document does not have (added by a later version) are left out. A row of the
    document whose live row a later version removed is left out too, unless `keep_gone`:
    then it comes as an unsaved `model` instance (pk None) to be read, not worked on."""
    fields = FIELDS[key]
    live = {obj.pk: obj for obj in rows}
    result = []
    for row in document.get(key, []):
        obj = live.get(row.get("id"))
        if obj is None:
            if not keep_gone:
                continue
            obj = model(**{name: row.get(name) for name in fields})
        else:
            for name in fields:
                setattr(obj, name, row.get(name))
        result.append(obj)
    return result


def kept_staffing(number):
    """(trainers, team) of day `number` in a document kept from before day plans said how the
    day is staffed: what every course had then, four trainers and a team for each two days
    (1–2, 3–4)."""
    return 4, (number + 1) // 2


def day_staffing(document):
    """{day number: (trainers, team)} of the day plans of a course document: the trainers each
    day needs and the team that takes it (see CourseDayPlan)."""
    staffing = {}
    for row in document.get("day_plans", []):
        number = row.get("number")
        trainers, team = kept_staffing(number)
        staffing[number] = (row.get("trainers") or trainers, row.get("team") or team)
    return staffing


# The comparison ----------------------------------------------------------------------------


@dataclass
class PartDiff:
    heading: str
    lines: list  # [(kind, text)]: kind is "+", "-" or " "

    @property
    def changed(self):
        return any(kind != " " for kind, _text in self.lines)


def _as_text(document, key, fields, laws):
    if key == "course":
        return [f"{name}: {document.get(name, '')}" for name in COURSE_FIELDS]
    if key == "legal_references":
        return [laws.get(pk, str(pk)) for pk in document.get("legal_references", [])]
    lines = []
    for number, row in enumerate(document.get(key, []), start=1):
        lines.append(f"{number}.")
        for name in fields:
            for line in str(row.get(name, "")).splitlines() or [""]:
                lines.append(f"    {name}: {line}")
    return lines


def compare(old, new, laws=None):
    """[PartDiff] of every part of two documents, in reading order, each a line diff of the
    part's text (difflib). `laws`: {id: name} of the laws the documents name."""
    laws = laws or {}
    parts = [("course", None, _("Course"))]
    parts += [(key, fields, heading) for key, _related, fields, heading in PARTS]
    parts.append(("legal_references", None, _("Laws and regulations")))
    diffs = []
    for key, fields, heading in parts:
        before = _as_text(old, key, fields, laws)
        after = _as_text(new, key, fields, laws)
        lines = []
        for line in difflib.ndiff(before, after):
            kind = line[0]
            if kind in "+- ":
                lines.append((kind, line[2:]))
        diffs.append(PartDiff(str(heading), lines))
    return diffs
