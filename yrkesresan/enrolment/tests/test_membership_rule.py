"""Membership in force decides registration alike at every edge: the registration form, the
JSON API, the import (preview, apply, command) and capacity planning."""

import datetime
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from yrkesresan.core.testing import rejoin
from yrkesresan.enrolment import imports
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import RegistrationError, register
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes
from yrkesresan.reports import planning as report_planning

HEADER = ["first name", "last name", "email", "municipality"]
KUMLA_ROWS = [
    ["Kumla", "Testsson", "kumla@example.com", "Kumla"],
    ["Ny", "Kumlabo", "ny.kumla@example.se", "1881"],
]


class MembershipEdgesTestCase(ApiTestCase):
    """Kumla's staff (kumla_participant, on the course's step) in round_x, registered by their
    manager (the form, the API) or by the coordinator (the import)."""

    def form_choices(self):
        self.client.force_login(self.manager_kumla)
        response = self.client.get(reverse("enrolment:register", args=[self.round_x.pk]))
        self.assertEqual(response.status_code, 200)
        people = response.context["form"].fields["person"].queryset
        return set(people.values_list("email", flat=True))

    def post_form(self):
        self.client.force_login(self.manager_kumla)
        url = reverse("enrolment:register", args=[self.round_x.pk])
        return self.client.post(url, {"person": self.kumla_participant.pk})

    def post_api(self):
        url = self.registrations_url(self.round_x)
        return self.api("POST", url, "manager_kumla", {"email": self.kumla_participant.email})

    def import_rows(self):
        data = csv_bytes([HEADER, *KUMLA_ROWS], delimiter=";")
        return imports.parse(data, "people.csv").rows

    def run_command(self, *options, stderr=None):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "people.csv"
            path.write_bytes(csv_bytes([HEADER, *KUMLA_ROWS], delimiter=";"))
            out = io.StringIO()
            call_command(
                "import_registrations",
                str(path),
                "--round",
                str(self.round_x.pk),
                "--as",
                self.coordinator_x.email,
                *options,
                stdout=out,
                stderr=stderr or io.StringIO(),
            )
        return out.getvalue()

    def registered(self):
        return set(
            self.round_x.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
                "person__email", flat=True
            )
        )


class RejoinedMunicipalityTests(MembershipEdgesTestCase):
    """Kumla left the programme in 2020 and joined again in 2022."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rejoin(cls.kumla)

    def test_the_registration_form_offers_and_registers_its_staff(self):
        self.assertIn(self.kumla_participant.email, self.form_choices())
        response = self.post_form()
        self.assertRedirects(response, reverse("enrolment:round", args=[self.round_x.pk]))
        self.assertIn(self.kumla_participant.email, self.registered())

    def test_the_api_registers_its_staff(self):
        self.assertEqual(self.post_api().status_code, 201)
        self.assertIn(self.kumla_participant.email, self.registered())

    def test_the_import_registers_its_staff(self):
        plan = imports.check(self.import_rows(), self.round_x, self.coordinator_x)
        self.assertEqual(plan.problems, [])
        imports.apply(self.import_rows(), self.round_x, self.coordinator_x)
        self.assertLessEqual({"kumla@example.com", "ny.kumla@example.se"}, self.registered())

    def test_the_import_command_registers_its_staff(self):
        self.assertIn("would register 2", self.run_command("--dry-run"))

    def test_capacity_planning_counts_its_staff(self):
        by_date = timezone.localdate() + datetime.timedelta(days=365)
        needs = {
            need.course: need
            for need in report_planning.capacity_plan(self.region_x, by_date=by_date)
        }
        # kumla_participant is on the course's step and has no seat yet.
        self.assertEqual(needs[self.course].by_municipality["Kumla"], 1)


class LeftMunicipalityTests(MembershipEdgesTestCase):
    """Kumla left the programme today (left_on is the first day out)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kumla.memberships.update(left_on=timezone.localdate())

    def test_is_refused_everywhere_with_the_same_sentence(self):
        sentence = "Kumla is not a member of the programme."
        with translation.override("en"):
            with self.assertRaises(RegistrationError) as caught:
                register(self.kumla_participant, self.round_x, by=self.manager_kumla)
            self.assertEqual(str(caught.exception), sentence)
            plan = imports.check(self.import_rows(), self.round_x, self.coordinator_x)
            self.assertEqual([p.message for p in plan.problems], [sentence, sentence])
            with self.assertRaises(imports.ImportRejected) as rejected:
                imports.apply(self.import_rows(), self.round_x, self.coordinator_x)
            problems = rejected.exception.plan.problems
            self.assertEqual([p.message for p in problems], [sentence, sentence])
        self.assertEqual(self.assert_error(self.post_api(), 409), sentence)
        err = io.StringIO()
        with self.assertRaises(CommandError):
            self.run_command("--dry-run", stderr=err)
        self.assertEqual(err.getvalue().count(sentence), 2)
        with translation.override("sv"), self.assertRaises(RegistrationError) as caught:
            register(self.kumla_participant, self.round_x, by=self.manager_kumla)
        self.assertEqual(str(caught.exception), "Kumla är inte medlem i Yrkesresan.")
        self.assertEqual(self.registered(), {self.participant.email})

    def test_the_registration_form_no_longer_offers_its_staff(self):
        self.assertNotIn(self.kumla_participant.email, self.form_choices())
        self.assertEqual(self.post_form().status_code, 400)
        self.assertEqual(self.registered(), {self.participant.email})

    def test_capacity_planning_leaves_its_staff_out(self):
        by_date = timezone.localdate() + datetime.timedelta(days=365)
        needs = {
            need.course: need
            for need in report_planning.capacity_plan(self.region_x, by_date=by_date)
        }
        self.assertNotIn("Kumla", needs[self.course].by_municipality)
