"""The content a participant is taught: their round's course version, not the latest.

Publishing copies a version onto the course's own rows in place (catalog.services), so the
live rows are the latest version's content. A round planned on an older version keeps that
version's texts: they are read from its snapshot (catalog.versions) and laid over the live
rows, which the participant's progress and answers keep pointing at.
"""

from yrkesresan.catalog import versions
from yrkesresan.catalog.models import (
    CourseDayPlan,
    CourseVersion,
    DeepDiveTask,
    KnowledgeGoal,
    LegalReference,
    PreparationTask,
)
from yrkesresan.enrolment import preparation


def older_version(course, version):
    """`version` (a published CourseVersion or None) when its content is not the live rows'
    (an older version than the course's current one), else None."""
    if version is None or not version.is_published or version.number == course.version:
        return None
    return version


def taught_version(person, course):
    """(number, CourseVersion or None): the version the person's round of the course teaches
    (preparation.version_taught) and, when it is older than the live content, that version.
    One query, two when the version is an older one."""
    number = preparation.version_taught(person, course)
    if number == course.version:
        return number, None
    version = CourseVersion.objects.filter(
        course=course, status=CourseVersion.Status.PUBLISHED, number=number
    ).first()
    return number, version


def course_as_of(course, version):
    """`course` with the texts (title, summary, target group) `version` has, in memory only;
    unchanged when `version` is None. Returns `course`."""
    if version is not None:
        for name in ("title", "summary", "target_group", "course_days"):
            setattr(course, name, version.content.get(name, getattr(course, name)))
    return course


def has_module(version, task):
    """Whether the preparation module `task` is in `version` (None: the live content)."""
    if version is None:
        return True
    return any(row.get("id") == task.pk for row in version.content.get("preparation", []))


def modules_as_of(modules, version):
    """The person's preparation modules (preparation.modules_of) as `version` has them,
    numbered again; unchanged when `version` is None."""
    if version is None:
        return modules
    modules = versions.as_of(modules, version.content, "preparation")
    for number, module in enumerate(modules, start=1):
        module.number = number
    return modules


def taught_modules(person, course):
    """(modules, version number): the person's preparation modules with the texts of the
    version they are taught (the course's own texts, too)."""
    number, version = taught_version(person, course)
    course_as_of(course, version)
    return modules_as_of(preparation.modules_of(person, course), version), number


def day_plans_as_of(plans, version):
    """The course's day plans as `version` has them (plans a later version removed are kept
    to be read); unchanged when `version` is None."""
    if version is None:
        return list(plans)
    return versions.as_of(plans, version.content, "day_plans", keep_gone=True, model=CourseDayPlan)


def deep_dive_tasks_as_of(tasks, version):
    """The course's deep-dive tasks as `version` has them; unchanged when `version` is None."""
    if version is None:
        return list(tasks)
    return versions.as_of(tasks, version.content, "deep_dive_tasks")


def course_page_content(course, version):
    """{"goals", "preparation", "day_plans", "deep_dive_tasks", "legal_references"}: the
    course's content as `version` has it, to be read (rows a later version removed included),
    or the course's own rows (its latest published version) when `version` is None. Reads the
    rows prefetched on `course`; one more query for an older version's laws."""
    parts = {
        "goals": (course.goals.all(), KnowledgeGoal),
        "preparation": (course.preparation_tasks.all(), PreparationTask),
        "day_plans": (course.day_plans.all(), CourseDayPlan),
        "deep_dive_tasks": (course.deep_dive_tasks.all(), DeepDiveTask),
    }
    if version is None:
        content = {key: list(rows) for key, (rows, _model) in parts.items()}
        content["legal_references"] = list(course.legal_references.all())
        return content
    content = {
        key: versions.as_of(rows, version.content, key, keep_gone=True, model=model)
        for key, (rows, model) in parts.items()
    }
    content["legal_references"] = list(
        LegalReference.objects.filter(pk__in=version.content.get("legal_references", []))
        .select_related("replaced_by")
        .order_by("short_name")
    )
    return content
