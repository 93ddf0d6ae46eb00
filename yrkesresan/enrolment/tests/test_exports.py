"""The Excel exports: the attendance list and what each municipality owes."""

import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment.services import cancel_registration, register
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.tests.test_support import RoundsTestCase, add_participants


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def cells(sheet):
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def flat(sheet):
    return {value for row in cells(sheet) for value in row if value is not None}


class AttendanceExportTests(RoundsTestCase):
    def export(self, persona):
        self.client.force_login(persona)
        return workbook(
            self.client.get(reverse("enrolment:attendance_xlsx", args=[self.round.pk]))
        ).active

    def test_the_coordinator_gets_everyone_with_a_seat_emails_and_needs(self):
        sheet = self.export(self.coordinator_x)
        values = flat(sheet)
        self.assertIn("Testsson, Deltagare", values)
        self.assertIn("Testsson, Kumla", values)
        self.assertNotIn("Testsson, Kollega", values)  # on the waiting list
        self.assertIn("deltagare@example.com", values)
        self.assertIn("Vegansk kost", values)
        self.assertIn("Hörslinga", values)
        header = cells(sheet)[3]  # after the title, the structure and a blank row
        self.assertEqual(len([v for v in header if v]), 3 + 1 + 4 + 2)  # e-mail, days, needs

    def test_the_course_leader_gets_needs_and_a_trainer_neither_needs_nor_emails(self):
        self.assertIn("Vegansk kost", flat(self.export(self.course_leader_x)))
        values = flat(self.export(self.trainer_x))
        self.assertNotIn("Vegansk kost", values)
        self.assertNotIn("deltagare@example.com", values)
        self.assertIn("Testsson, Deltagare", values)

    def test_text_that_looks_like_a_formula_stays_text(self):
        person = make_person(
            "formel@example.com", unit=self.unit_a, started=years_ago(1), first_name="=1+1"
        )
        Round.objects.filter(pk=self.round.pk).update(seats=10)
        register(person, self.round, by=self.manager_a)
        sheet = self.export(self.coordinator_x)
        cell = next(
            c for row in sheet.iter_rows() for c in row if c.value and "=1+1" in str(c.value)
        )
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, "Testsson, =1+1")

    def test_the_query_count_does_not_grow_with_participants(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("enrolment:attendance_xlsx", args=[self.round.pk])
        before = count_queries(self.client, url)
        Round.objects.filter(pk=self.round.pk).update(seats=20)
        add_participants(self, Round.objects.get(pk=self.round.pk), 10)
        with self.assertNumQueries(before):
            self.client.get(url)

    def test_the_printable_list(self):
        self.client.force_login(self.course_leader_x)
        response = self.client.get(reverse("enrolment:attendance_list", args=[self.round.pk]))
        self.assertEqual(len(response.context["registrations"]), 3)
        self.assertContains(response, "Vegansk kost")
        self.assertContains(response, "css/rounds.css")
        self.client.force_login(self.trainer_x)
        response = self.client.get(reverse("enrolment:attendance_list", args=[self.round.pk]))
        self.assertNotContains(response, "Vegansk kost")
        self.assertNotContains(response, "deltagare@example.com")


class FeeExportTests(RoundsTestCase):
    def test_per_participant_fees_by_municipality_with_late_cancellations(self):
        Round.objects.filter(pk=self.round.pk).update(
            fee_model=Round.FeeModel.PER_PARTICIPANT, fee_amount=Decimal("1500.00")
        )
        cancel_registration(self.kumla_registration, by=self.coordinator_x, reason="Sjuk")
        self.kumla_registration.refresh_from_db()
        self.kumla_registration.cancelled_late = True
        self.kumla_registration.save()
        self.client.force_login(self.coordinator_x)
        book = workbook(self.client.get(reverse("reports:fees_xlsx", args=[self.round.pk])))
        rows = {row[0]: row for row in cells(book.worksheets[0]) if row and row[0]}
        # Eskilstuna: two seats and the colleague promoted from the waiting list.
        self.assertEqual(rows["Eskilstuna"][1:], (3, 0, 3, 1500, 4500))
        self.assertEqual(rows["Kumla"][1:], (0, 1, 1, 1500, 1500))
        total = cells(book.worksheets[0])[-1]
        self.assertEqual(total[1:4], (3, 1, 4))
        self.assertEqual(total[5], 6000)
        people = flat(book.worksheets[1])
        self.assertIn("Testsson, Kumla", people)

    def test_per_day_fees_multiply_by_the_course_days(self):
        Round.objects.filter(pk=self.round.pk).update(
            fee_model=Round.FeeModel.PER_DAY, fee_amount=Decimal("400")
        )
        self.client.force_login(self.coordinator_x)
        book = workbook(self.client.get(reverse("reports:fees_xlsx", args=[self.round.pk])))
        rows = {row[0]: row for row in cells(book.worksheets[0]) if row and row[0]}
        self.assertEqual(rows["Eskilstuna"][4:], (1600, 3200))

    def test_no_fee_exports_zeros(self):
        self.client.force_login(self.coordinator_x)
        book = workbook(self.client.get(reverse("reports:fees_xlsx", args=[self.round.pk])))
        rows = {row[0]: row for row in cells(book.worksheets[0]) if row and row[0]}
        self.assertEqual(rows["Kumla"][5], 0)

    def test_the_waiting_list_is_not_billed(self):
        Round.objects.filter(pk=self.round.pk).update(
            fee_model=Round.FeeModel.PER_PARTICIPANT,
            fee_amount=Decimal("100"),
            registration_closes_on=timezone.localdate(),
        )
        self.client.force_login(self.coordinator_x)
        book = workbook(self.client.get(reverse("reports:fees_xlsx", args=[self.round.pk])))
        self.assertNotIn("Testsson, Kollega", flat(book.worksheets[1]))
