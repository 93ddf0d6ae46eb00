"""Course material arranged for reading: by course version (newest first, when the course has
material for more than one), then by course day, newest version of each title first."""

from dataclasses import dataclass, field

from .models import Material


@dataclass
class Item:
    current: Material
    earlier: list = field(default_factory=list)  # older versions of the same title, newest first


@dataclass
class Shelf:
    day_number: int | None  # None: material for the whole course
    title: str  # the day plan's title, or ""
    items: list = field(default_factory=list)


@dataclass
class VersionGroup:
    """The material of one course version (`course_version` None: material tied to none)."""

    course_version: object
    shelves: list
    is_own: bool = False  # the version the reader's round teaches

    @property
    def number(self):
        return self.course_version.number if self.course_version else ""


def _day_titles(course_version, live_titles):
    """The day plans' titles as `course_version` has them (the live ones without it)."""
    if course_version is None:
        return live_titles
    plans = course_version.content.get("day_plans", [])
    return {row.get("number"): row.get("title", "") for row in plans} or live_titles


def _arrange(materials, titles):
    shelves = {}
    items = {}
    for material in materials:
        shelf = shelves.get(material.day_number)
        if shelf is None:
            shelf = shelves[material.day_number] = Shelf(
                material.day_number, titles.get(material.day_number, "")
            )
        key = (material.day_number, material.title)
        if key in items:
            items[key].earlier.append(material)
        else:
            items[key] = Item(material)
            shelf.items.append(items[key])
    for shelf in shelves.values():
        shelf.items.sort(key=lambda item: (item.current.order, item.current.title))
    return sorted(shelves.values(), key=lambda s: (s.day_number is not None, s.day_number or 0))


def version_groups(course, audience):
    """[VersionGroup] of the course's material for `audience`, one per course version the
    material was added in, the newest published first and material tied to no version last;
    each holds its [Shelf]: the whole course first, then each day in order, with the day titles
    as that version has them. Several versions of one title on one day are one Item, the
    newest current. Two queries."""
    live_titles = {plan.number: plan.title for plan in course.day_plans.all()}
    materials = (
        Material.objects.published()
        .filter(course=course, audience=audience)
        .select_related("course_version")
        .order_by("day_number", "title", "-published_on", "-pk")
    )
    by_version = {}
    for material in materials:
        by_version.setdefault(material.course_version_id, []).append(material)
    groups = []
    for rows in by_version.values():
        course_version = rows[0].course_version
        groups.append(
            VersionGroup(course_version, _arrange(rows, _day_titles(course_version, live_titles)))
        )
    groups.sort(
        key=lambda g: (
            g.course_version is not None,
            g.course_version and g.course_version.published_at,
            g.course_version and g.course_version.pk,
        ),
        reverse=True,
    )
    return groups
