"""Shared set-up for the tests of the course leader's pages (this module holds no tests).

`LeaderTestCase` adds to the personas a running round in Region X whose first three days are
over and whose fourth is today (`cls.round`, course leader course_leader_x), with the
participant, the Kumla participant and the other-unit participant registered (the last with
diet and accessibility needs), and the colleague's registration cancelled.
"""

import datetime

from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago
from yrkesresan.enrolment.models import (
    Attendance,
    DeepDiveAnswer,
    PreparationProgress,
    Registration,
)
from yrkesresan.rounds.models import CourseDay, Round, term_of

# Who sees a round of Region X, and who runs it: the default statuses of its pages.
RUNS_THE_ROUND = {"coordinator_x": 200, "trainer_x": 200, "course_leader_x": 200, "admin": 200}
SEES_THE_ROUND = {
    # Registered (or once registered) in the round, or registrars of the region.
    "participant": 403,
    "colleague": 403,
    "kumla_participant": 403,
    "manager_a": 403,
    "manager_kumla": 403,
    "contact_eskilstuna": 403,
}
OUTSIDE = {"solna_participant": 404, "coordinator_y": 404, "editor": 404}


def expected_statuses(**overrides):
    return {"anonymous": 302, **SEES_THE_ROUND, **OUTSIDE, **RUNS_THE_ROUND, **overrides}


def make_round(
    course, structure, *, first_day=None, status=Round.Status.OPEN, name="Omgång 1", days=4
):
    """A round with `days` course days a week apart from `first_day` (which may have passed),
    the first physical and the others digital; registration closed two weeks before."""
    first_day = first_day or timezone.localdate() + datetime.timedelta(days=60)
    round = Round.objects.create(
        course=course,
        structure=structure,
        term=term_of(first_day),
        name=name,
        seats=30,
        status=status,
        registration_opens_on=first_day - datetime.timedelta(days=60),
        registration_closes_on=first_day - datetime.timedelta(days=14),
    )
    CourseDay.objects.bulk_create(
        CourseDay(
            round=round,
            number=number,
            date=first_day + datetime.timedelta(days=7 * (number - 1)),
            mode=CourseDay.Mode.PHYSICAL if number == 1 else CourseDay.Mode.DIGITAL,
            meeting_url="" if number == 1 else "https://meet.example.se/yrkesresan",
        )
        for number in range(1, days + 1)
    )
    return round


def register(round, person, **fields):
    return Registration.objects.create(
        round=round, person=person, status=Registration.Status.REGISTERED, **fields
    )


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def mark_all(registration, status=Attendance.Status.PRESENT, by=None, days=None):
    for day in days if days is not None else registration.round.days.all():
        Attendance.objects.update_or_create(
            registration=registration, day=day, defaults={"status": status, "marked_by": by}
        )


def prepare_all(person, course):
    now = timezone.now()
    for task in course.preparation_tasks.all():
        PreparationProgress.objects.update_or_create(
            person=person, task=task, defaults={"done_at": now}
        )


def answer_all(registration, status=DeepDiveAnswer.Status.APPROVED):
    for task in registration.round.course.deep_dive_tasks.all():
        DeepDiveAnswer.objects.update_or_create(
            registration=registration,
            task=task,
            defaults={"text": "Mitt svar.", "status": status, "submitted_at": timezone.now()},
        )


def add_people(round, count, *, prefix, unit):
    """`count` new social workers registered in `round`."""
    return [
        register(
            round,
            make_person(f"{prefix}{round.pk}-{n}@example.com", unit=unit, started=years_ago(1)),
        )
        for n in range(count)
    ]


class LeaderTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = make_round(
            cls.course, cls.region_x, status=Round.Status.RUNNING, first_day=days_ago(21)
        )
        cls.round.course_leader = cls.course_leader_x
        cls.round.save()
        cls.days = list(cls.round.days.order_by("number"))
        cls.reg = register(cls.round, cls.participant)
        cls.kumla_reg = register(cls.round, cls.kumla_participant)
        cls.other_reg = register(
            cls.round,
            cls.other_unit_participant,
            special_diet="Vegetarisk",
            accessibility_needs="Hörslinga",
            needs_consent=True,
        )
        cls.cancelled_reg = Registration.objects.create(
            round=cls.round, person=cls.colleague, status=Registration.Status.CANCELLED
        )

    def login(self, person):
        self.client.force_login(person)

    def statuses(self, method, url, expected, data=None):
        """Assert each persona's status for `method` on `url`."""
        for persona, status in expected.items():
            with self.subTest(persona=persona, url=url):
                self.client.logout()
                if persona != "anonymous":
                    self.client.force_login(getattr(self, persona))
                if method == "post":
                    response = self.client.post(url, data or {})
                else:
                    response = self.client.get(url)
                self.assertEqual(response.status_code, status, f"{persona} {method} {url}")
