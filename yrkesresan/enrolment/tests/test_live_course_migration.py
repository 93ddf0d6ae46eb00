"""The data migration that gives each live registration its course (enrolment 0006)."""

import importlib

from django.apps import apps

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

fill = importlib.import_module(
    "yrkesresan.enrolment.migrations.0006_fill_registration_live_course"
).fill


class FillLiveCourseTests(PersonaTestCase):
    def registration(self, round, person, status=Registration.Status.REGISTERED):
        return Registration.objects.create(round=round, person=person, status=status)

    def test_live_registrations_hold_their_course_and_earlier_duplicates_win(self):
        first = make_round(self.course, self.region_x, name="Omgång 1")
        second = make_round(self.course, self.region_y, name="Stockholm 1")
        done = make_round(self.course, self.region_x, name="Omgång 0", status="completed")
        booked_twice = [
            self.registration(first, self.participant),
            self.registration(second, self.participant, Registration.Status.WAITLISTED),
        ]
        cancelled = self.registration(second, self.colleague, Registration.Status.CANCELLED)
        history = self.registration(done, self.colleague)
        waiting = self.registration(first, self.colleague, Registration.Status.WAITLISTED)
        Round.objects.filter(pk=first.pk).update(status=Round.Status.RUNNING)

        fill(apps, None)

        held = dict(Registration.objects.values_list("pk", "live_course"))
        self.assertEqual(held[booked_twice[0].pk], self.course.pk)
        self.assertIsNone(held[booked_twice[1].pk])  # left for the coordinator to cancel
        self.assertIsNone(held[cancelled.pk])
        self.assertIsNone(held[history.pk])
        self.assertEqual(held[waiting.pk], self.course.pk)
