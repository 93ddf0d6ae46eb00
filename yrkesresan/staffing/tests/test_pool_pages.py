"""The pool's pages: a trainer's availability as a month calendar (and as a list), the manager's
view of their staff's availability with a date withdrawn, and the coordinator removing a trainer
from the pool and recording trainer training."""

import datetime

from django.core import mail
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase, make_person
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing import pool, queries
from yrkesresan.staffing.models import (
    Availability,
    Plan,
    PlanAssignment,
    PoolMembership,
    TrainerTraining,
)

AVAILABILITY = reverse("staffing:availability")
STAFF = reverse("staffing:staff_availability")


class PoolPageTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = make_round(cls.course, cls.region_x, name="Omgång 5")
        cls.days = list(cls.round.days.order_by("number"))
        cls.anna = cls.pool_member("anna@example.com", "Anna")

    @classmethod
    def pool_member(cls, email, first_name, unit=None):
        person = make_person(email, unit=unit or cls.unit_a, first_name=first_name)
        return PoolMembership.objects.create(
            person=person, structure=cls.region_x, motivation="m", experience="e",
            status=PoolMembership.Status.ACCEPTED, days_per_term=6,
        )  # fmt: skip

    def answer(self, person, date):
        a = Availability.objects.filter(person=person, date=date).first()
        return None if a is None else a.available


class MonthCalendarTests(SimpleTestCase):
    def test_the_dates_are_laid_out_in_weeks_from_monday_one_table_a_month(self):
        rows = [
            {"date": datetime.date(2027, 1, 25), "answer": "yes", "withdrawn": ""},
            {"date": datetime.date(2027, 2, 1), "answer": "", "withdrawn": ""},
        ]
        january, february = queries.month_calendar(rows)
        self.assertEqual(january["month"], datetime.date(2027, 1, 1))
        # 1 January 2027 is a Friday: the first week starts with four empty cells.
        self.assertEqual(january["weeks"][0][:4], [None] * 4)
        self.assertEqual(january["weeks"][0][4]["date"], datetime.date(2027, 1, 1))
        [monday] = [c for week in january["weeks"] for c in week if c and c["row"]]
        self.assertEqual((monday["date"], monday["row"]["answer"]), (rows[0]["date"], "yes"))
        self.assertEqual(february["weeks"][0][0]["date"], datetime.date(2027, 2, 1))

    def test_a_month_without_a_course_date_is_left_out(self):
        rows = [
            {"date": datetime.date(2027, 1, 25), "answer": "", "withdrawn": ""},
            {"date": datetime.date(2027, 3, 1), "answer": "", "withdrawn": ""},
        ]
        self.assertEqual([m["month"].month for m in queries.month_calendar(rows)], [1, 3])


class AvailabilityCalendarTests(PoolPageTestCase):
    def test_every_course_date_is_a_button_that_says_its_state(self):
        pool.set_availability(self.anna.person, self.days[0].date, available=True)
        pool.set_availability(self.anna.person, self.days[1].date, available=False)
        self.client.force_login(self.anna.person)
        response = self.client.get(AVAILABILITY)
        self.assertContains(response, 'name="toggle"', count=4)
        self.assertContains(response, '<table class="month">')
        self.assertContains(response, 'class="day-toggle__state">Ja</span>')
        self.assertContains(response, 'class="day-toggle__state">Nej</span>')
        self.assertContains(
            response, '<span class="visually-hidden"> inte markerat</span>', count=2
        )

    def test_pressing_a_date_makes_it_yes_and_pressing_again_no(self):
        date = self.days[2].date
        self.client.force_login(self.anna.person)
        response = self.client.post(AVAILABILITY, {"toggle": date.isoformat()})
        self.assertRedirects(response, f"{AVAILABILITY}#dag-{date.isoformat()}")
        self.assertIs(self.answer(self.anna.person, date), True)
        self.client.post(AVAILABILITY, {"toggle": date.isoformat()})
        self.assertIs(self.answer(self.anna.person, date), False)
        self.client.post(AVAILABILITY, {"toggle": date.isoformat()})
        self.assertIs(self.answer(self.anna.person, date), True)

    def test_a_date_without_a_course_is_refused_and_nothing_written(self):
        self.client.force_login(self.anna.person)
        other = self.days[0].date + datetime.timedelta(days=1)
        response = self.client.post(AVAILABILITY, {"toggle": other.isoformat()}, follow=True)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Välj ett av dina kursdatum.", status_code=400)
        self.assertFalse(Availability.objects.filter(person=self.anna.person).exists())

    def test_a_withdrawn_date_is_no_button_and_pressing_it_is_refused(self):
        date = self.days[0].date
        pool.withdraw_date(self.anna.person, date, reason="Tillsyn", by=self.manager_a)
        self.client.force_login(self.anna.person)
        response = self.client.get(AVAILABILITY)
        self.assertContains(response, 'name="toggle"', count=3)
        self.assertContains(response, "Tillsyn")
        response = self.client.post(AVAILABILITY, {"toggle": date.isoformat()})
        self.assertEqual(response.status_code, 400)
        self.assertIs(self.answer(self.anna.person, date), False)

    def test_the_list_is_the_alternative(self):
        self.client.force_login(self.anna.person)
        response = self.client.get(AVAILABILITY + "?visa=lista")
        self.assertContains(response, 'type="radio"', count=8)
        self.assertNotContains(response, 'name="toggle"')


class ManagerAvailabilityTests(PoolPageTestCase):
    def test_the_manager_sees_their_staffs_dates_and_answers(self):
        pool.set_availability(self.anna.person, self.days[0].date, available=True)
        self.pool_member("kumla.tranare@example.com", "Kim", unit=self.unit_kumla)
        self.client.force_login(self.manager_a)
        response = self.client.get(STAFF)
        self.assertContains(response, "Anna Testsson")
        self.assertNotContains(response, "Kim Testsson")
        self.assertContains(response, "<td>Ja</td>", count=1)
        self.assertContains(response, "<td>Inte markerat än</td>", count=3)

    def test_withdrawing_a_date_tells_the_coordinator(self):
        date = self.days[1].date
        pool.set_availability(self.anna.person, date, available=True)
        self.client.force_login(self.manager_a)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("staffing:withdraw_date", args=[self.anna.pk]),
                {"date": date.isoformat(), "reason": "Tillsyn i enheten"},
            )
        self.assertRedirects(response, STAFF)
        withdrawn = Availability.objects.get(person=self.anna.person, date=date)
        self.assertEqual((withdrawn.available, withdrawn.withdrawn_reason),
                         (False, "Tillsyn i enheten"))  # fmt: skip
        [told] = mail.outbox
        self.assertEqual(told.to, [self.coordinator_x.email])
        self.assertIn("Tillsyn i enheten", told.body)

    def test_no_reason_or_a_date_without_a_course_is_refused_and_nothing_written(self):
        self.client.force_login(self.manager_a)
        url = reverse("staffing:withdraw_date", args=[self.anna.pk])
        response = self.client.post(url, {"date": self.days[0].date.isoformat(), "reason": " "})
        self.assertContains(response, "Ange ett skäl", status_code=400)
        other = self.days[0].date + datetime.timedelta(days=1)
        response = self.client.post(url, {"date": other.isoformat(), "reason": "Tillsyn"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Availability.objects.exists())

    def test_another_units_manager_does_not_find_the_trainer(self):
        self.client.force_login(self.manager_kumla)
        response = self.client.post(
            reverse("staffing:withdraw_date", args=[self.anna.pk]),
            {"date": self.days[0].date.isoformat(), "reason": "Tillsyn"},
        )
        self.assertEqual(response.status_code, 404)

    def test_query_count_does_not_grow_with_the_staff(self):
        self.client.force_login(self.manager_a)
        with CaptureQueriesContext(connection) as one:
            self.client.get(STAFF)
        for n in range(3):
            member = self.pool_member(f"fler{n}@example.com", f"Fler{n}")
            pool.set_availability(member.person, self.days[0].date, available=True)
        with CaptureQueriesContext(connection) as four:
            response = self.client.get(STAFF)
        self.assertContains(response, "Fler2 Testsson")
        self.assertEqual(len(four), len(one))


class CoordinatorPoolActionTests(PoolPageTestCase):
    def test_removing_a_planned_trainer_names_the_days_to_plan_again(self):
        plan = Plan.objects.create(
            structure=self.region_x, term=self.round.term, status=Plan.Status.ACCEPTED
        )
        for day in self.days[:2]:
            PlanAssignment.objects.create(
                plan=plan, day=day, person=self.anna.person, team=1, date=day.date
            )
        self.client.force_login(self.coordinator_x)
        response = self.client.post(
            reverse("staffing:remove_from_pool", args=[self.anna.pk]), follow=True
        )
        self.assertContains(response, "Anna Testsson är borttagen ur poolen.")
        self.assertContains(response, "dag 1 i Omgång 5")
        self.assertContains(response, "dag 2 i Omgång 5")
        self.anna.refresh_from_db()
        self.assertEqual(self.anna.status, PoolMembership.Status.REMOVED)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.ACCEPTED)

    def test_recording_trainer_training_for_a_course(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.post(
            reverse("staffing:record_training", args=[self.anna.pk]),
            {"course": self.course.pk, "trained_on": "2026-03-02"},
        )
        self.assertRedirects(response, reverse("staffing:pool", args=[self.region_x.pk]))
        training = TrainerTraining.objects.get(person=self.anna.person, course=self.course)
        self.assertEqual(training.trained_on, datetime.date(2026, 3, 2))
        page = self.client.get(reverse("staffing:pool", args=[self.region_x.pk]))
        self.assertContains(page, f"{self.course.title} (2 mars 2026)")

    def test_a_training_in_the_future_or_without_a_date_is_refused(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("staffing:record_training", args=[self.anna.pk])
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.client.post(url, {"course": self.course.pk, "trained_on": tomorrow})
        self.assertContains(response, "framtiden", status_code=400)
        response = self.client.post(url, {"course": self.course.pk, "trained_on": ""})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(TrainerTraining.objects.exists())

    def test_another_structures_coordinator_does_not_find_the_member(self):
        self.client.force_login(self.coordinator_y)
        response = self.client.post(reverse("staffing:remove_from_pool", args=[self.anna.pk]))
        self.assertEqual(response.status_code, 404)
        self.anna.refresh_from_db()
        self.assertEqual(self.anna.status, PoolMembership.Status.ACCEPTED)
