"""Helpers for tests that need rounds.

make_round writes the round and its days directly, in any state and at any date: the planning
services (rounds.services.create_round) refuse days in the past and physical days without a
venue, which many tests need. The tests of planning itself go through the services.
"""

import datetime

from django.utils import timezone

from .models import CourseDay, Round, term_of


def make_round(
    course,
    structure,
    *,
    seats=20,
    status=Round.Status.OPEN,
    first_day=None,
    name="Omgång 1",
    days=4,
    venue=None,
):
    """A round with `days` course days a week apart, the first physical, the others digital."""
    today = timezone.localdate()
    first_day = first_day or today + datetime.timedelta(days=60)
    round = Round.objects.create(
        course=course,
        structure=structure,
        term=term_of(first_day),
        name=name,
        seats=seats,
        status=status,
        registration_opens_on=today - datetime.timedelta(days=10),
        registration_closes_on=first_day - datetime.timedelta(days=14),
    )
    for number in range(1, days + 1):
        CourseDay.objects.create(
            round=round,
            number=number,
            date=first_day + datetime.timedelta(days=7 * (number - 1)),
            mode=CourseDay.Mode.PHYSICAL if number == 1 else CourseDay.Mode.DIGITAL,
            venue=venue if number == 1 else None,
            meeting_url="" if number == 1 else "https://meet.example.se/yrkesresan",
        )
    return round
