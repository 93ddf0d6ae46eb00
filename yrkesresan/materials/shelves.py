"""Course material arranged for reading: by course day, newest version first."""

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


def shelves_of(course, audience):
    """[Shelf] of the course's material for `audience`: the whole course first, then each day
    in order. Several versions of one title on one day are one Item, the newest current.
    Two queries."""
    plans = {plan.number: plan.title for plan in course.day_plans.all()}
    materials = Material.objects.filter(course=course, audience=audience).order_by(
        "day_number", "title", "-published_on", "-pk"
    )
    shelves = {}
    items = {}
    for material in materials:
        shelf = shelves.get(material.day_number)
        if shelf is None:
            shelf = shelves[material.day_number] = Shelf(
                material.day_number, plans.get(material.day_number, "")
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
