"""Moving to another municipality: the record follows the person, the managers change."""

import datetime
import json

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import EmployerChange, RoleAssignment
from yrkesresan.accounts.moves import MoveError, move_person
from yrkesresan.core.models import AuditEvent
from yrkesresan.enrolment.models import Completion, Placement, Registration
from yrkesresan.enrolment.placement import override_placement
from yrkesresan.organisations.models import Municipality, Unit

from .test_record import ENGLISH, RecordTestCase

TODAY = timezone.localdate


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class MovePersonTests(RecordTestCase):
    def test_the_move_changes_the_employer_and_nothing_of_the_record(self):
        override_placement(
            self.participant, self.journey, self.steps["van"], reason="Erfaren", by=self.manager_a
        )
        before = (
            list(Placement.objects.filter(person=self.participant).values()),
            list(Registration.objects.filter(person=self.participant).values()),
            list(Completion.objects.filter(person=self.participant).values()),
        )
        moved_on = TODAY() - datetime.timedelta(days=3)
        change = move_person(
            self.participant,
            municipality=self.kumla,
            unit=self.unit_kumla,
            moved_on=moved_on,
            by=self.manager_a,
        )
        self.participant.refresh_from_db()
        self.assertEqual(
            (self.participant.municipality, self.participant.unit), (self.kumla, self.unit_kumla)
        )
        self.assertEqual(
            (change.from_municipality, change.from_unit, change.to_municipality, change.to_unit),
            (self.eskilstuna, self.unit_a, self.kumla, self.unit_kumla),
        )
        self.assertEqual((change.moved_on, change.recorded_by), (moved_on, self.manager_a))
        after = (
            list(Placement.objects.filter(person=self.participant).values()),
            list(Registration.objects.filter(person=self.participant).values()),
            list(Completion.objects.filter(person=self.participant).values()),
        )
        self.assertEqual(before, after)
        event = AuditEvent.objects.get(action="person.move")
        self.assertEqual(event.actor, self.manager_a)
        self.assertEqual(event.object_id, str(self.participant.pk))
        self.assertEqual(
            (event.data["from_municipality"], event.data["to_municipality"]),
            (self.eskilstuna.pk, self.kumla.pk),
        )

    def test_a_move_without_a_unit(self):
        move_person(
            self.participant, municipality=self.solna, unit=None, moved_on=TODAY(), by=self.admin
        )
        self.participant.refresh_from_db()
        self.assertEqual((self.participant.municipality, self.participant.unit), (self.solna, None))

    def test_roles_at_the_old_employer_end(self):
        move_person(
            self.manager_a, municipality=self.kumla, unit=None, moved_on=TODAY(), by=self.admin
        )
        move_person(
            self.contact_eskilstuna,
            municipality=self.kumla,
            unit=None,
            moved_on=TODAY(),
            by=self.admin,
        )
        move_person(
            self.course_leader_x,
            municipality=self.kumla,
            unit=None,
            moved_on=TODAY(),
            by=self.admin,
        )
        self.assertFalse(RoleAssignment.objects.filter(user=self.manager_a).exists())
        self.assertFalse(RoleAssignment.objects.filter(user=self.contact_eskilstuna).exists())
        # Roles in the region's support structure are not the employer's: they stay.
        self.assertEqual(
            set(
                RoleAssignment.objects.filter(user=self.course_leader_x).values_list(
                    "role", flat=True
                )
            ),
            {"course_leader", "trainer"},
        )

    def refused(self, message, **changes):
        arguments = {
            "municipality": self.kumla,
            "unit": self.unit_kumla,
            "moved_on": TODAY(),
            "by": self.manager_a,
            **changes,
        }
        with self.assertRaisesMessage(MoveError, message):
            move_person(self.participant, **arguments)
        self.participant.refresh_from_db()
        self.assertEqual(self.participant.municipality, self.eskilstuna)
        self.assertFalse(EmployerChange.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="person.move").exists())

    def test_the_unit_must_belong_to_the_municipality(self):
        self.refused("does not belong to Kumla", unit=self.unit_solna)

    def test_the_municipality_must_exist(self):
        gone = Municipality(pk=999999, code="9999", name="Påhittad", county=self.stockholm)
        self.refused("Choose a municipality that exists.", municipality=gone, unit=None)

    def test_the_municipality_must_be_another_one(self):
        self.refused("already works in Eskilstuna", municipality=self.eskilstuna, unit=self.unit_a2)

    def test_the_date_may_not_be_in_the_future(self):
        self.refused("on or after the day", moved_on=TODAY() + datetime.timedelta(days=1))

    def test_a_move_may_not_predate_the_last_one(self):
        move_person(
            self.participant,
            municipality=self.solna,
            unit=None,
            moved_on=TODAY() - datetime.timedelta(days=10),
            by=self.admin,
        )
        with self.assertRaisesMessage(MoveError, "cannot be earlier"):
            move_person(
                self.participant,
                municipality=self.kumla,
                unit=None,
                moved_on=TODAY() - datetime.timedelta(days=20),
                by=self.admin,
            )
        self.assertEqual(EmployerChange.objects.count(), 1)


class MovePageTests(RecordTestCase):
    def url(self, person=None):
        return reverse("record:move", args=[(person or self.participant).pk])

    def test_who_may_record_a_move(self):
        expected = {
            "participant": 403,  # sees themself, may not move themself
            "colleague": 404,
            "kumla_participant": 404,
            "manager_a": 200,
            "manager_kumla": 404,
            "contact_eskilstuna": 200,
            "coordinator_x": 403,  # sees the person, is not their employer
            "coordinator_y": 404,
            "trainer_x": 404,
            "course_leader_x": 404,
            "editor": 404,
            "admin": 200,
        }
        for persona, status in expected.items():
            self.login(getattr(self, persona))
            self.assertEqual(self.client.get(self.url()).status_code, status, persona)
            response = self.client.post(
                self.url(), {"municipality": self.kumla.pk, "moved_on": TODAY().isoformat()}
            )
            self.assertEqual(response.status_code, 302 if status == 200 else status, persona)
            if status == 200:
                # Undo so that the next persona finds the person where they were.
                self.participant.refresh_from_db()
                self.participant.municipality, self.participant.unit = self.eskilstuna, self.unit_a
                self.participant.save()
                EmployerChange.objects.all().delete()
        self.client.logout()
        self.assertEqual(self.client.get(self.url()).status_code, 302)

    def test_the_manager_records_a_move(self):
        self.login(self.manager_a)
        response = self.client.post(
            self.url(),
            {
                "municipality": self.kumla.pk,
                "unit": self.unit_kumla.pk,
                "moved_on": TODAY().isoformat(),
            },
            follow=True,
        )
        # The old manager no longer sees the person: back to the staff list.
        self.assertRedirects(response, reverse("learning:staff"))
        self.assertContains(response, "Kumla")
        self.participant.refresh_from_db()
        self.assertEqual(self.participant.unit, self.unit_kumla)

    def test_an_administrator_lands_on_the_person_page(self):
        self.login(self.admin)
        response = self.client.post(
            self.url(), {"municipality": self.solna.pk, "moved_on": TODAY().isoformat()}
        )
        self.assertRedirects(response, reverse("learning:person", args=[self.participant.pk]))

    def test_bad_input_is_refused_with_a_message(self):
        self.login(self.manager_a)
        cases = [
            ({"moved_on": TODAY().isoformat()}, "Choose the municipality the person moves to."),
            ({"municipality": 999999, "moved_on": TODAY().isoformat()}, "Choose a municipality"),
            ({"municipality": self.kumla.pk}, "Give the date of the move."),
            (
                {
                    "municipality": self.kumla.pk,
                    "unit": self.unit_solna.pk,
                    "moved_on": TODAY().isoformat(),
                },
                "Choose a unit in the municipality you chose",
            ),
            (
                {"municipality": self.eskilstuna.pk, "moved_on": TODAY().isoformat()},
                "already works in Eskilstuna",
            ),
            (
                {
                    "municipality": self.kumla.pk,
                    "moved_on": (TODAY() + datetime.timedelta(days=5)).isoformat(),
                },
                "on or after the day",
            ),
        ]
        for data, message in cases:
            response = self.client.post(self.url(), data, headers=ENGLISH)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(EmployerChange.objects.exists())

    def test_the_form_is_in_swedish_by_default(self):
        self.login(self.manager_a)
        response = self.client.get(self.url())
        self.assertContains(response, '<html lang="sv">')
        self.assertContains(response, "Eskilstuna")

    def test_units_follow_the_municipality_with_htmx(self):
        self.login(self.manager_a)
        Unit.objects.create(municipality=self.kumla, name="Mottagningen")
        response = self.client.get(
            self.url(), {"municipality": self.kumla.pk}, headers={"hx-request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(html.startswith('<div id="unit-field">'))
        self.assertIn("Barn och familj", html)
        self.assertIn("Mottagningen", html)
        self.assertNotIn("Familjehemsenheten", html)
        self.assertNotIn("<html", html)

    def test_units_follow_the_municipality_without_javascript(self):
        self.login(self.manager_a)
        response = self.client.post(
            self.url(),
            {"municipality": self.kumla.pk, "moved_on": TODAY().isoformat(), "show_units": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'<option value="{self.unit_kumla.pk}">Barn och familj')
        self.assertContains(response, f'<option value="{self.kumla.pk}" selected>')
        self.assertFalse(EmployerChange.objects.exists())


class AfterTheMoveTests(RecordTestCase):
    """The proof that the record follows the person: Eskilstuna unit A → Kumla."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        move_person(
            cls.participant,
            municipality=cls.kumla,
            unit=cls.unit_kumla,
            moved_on=TODAY() - datetime.timedelta(days=1),
            by=cls.manager_a,
        )

    def person_urls(self):
        pk = self.participant.pk
        return [
            reverse("learning:person", args=[pk]),
            reverse("record:person_pdf", args=[pk]),
            reverse("record:person_json", args=[pk]),
            reverse("record:move", args=[pk]),
            reverse("leader:certificate", args=[self.completion.pk]),
        ]

    def test_the_old_manager_and_contact_no_longer_see_the_person(self):
        for old in [self.manager_a, self.contact_eskilstuna]:
            self.login(old)
            for url in self.person_urls():
                self.assertEqual(self.client.get(url).status_code, 404, f"{old.email} {url}")
            response = self.client.get(reverse("learning:staff"))
            self.assertNotIn(self.participant, [row.person for row in response.context["rows"]])
            self.assertNotContains(response, "deltagare@example.com")

    def test_the_new_manager_sees_the_whole_record(self):
        self.login(self.manager_kumla)
        response = self.client.get(reverse("learning:staff"))
        self.assertIn(self.participant, [row.person for row in response.context["rows"]])
        response = self.client.get(reverse("learning:person", args=[self.participant.pk]))
        # The completion from the old employer, with its certificate.
        self.assertContains(response, "Handläggning med barnet i centrum")
        self.assertContains(response, "ABCD-EFGH-JKLM")
        self.assertContains(response, "Samtal med barn")
        self.assertContains(response, reverse("leader:certificate", args=[self.completion.pk]))
        data = json.loads(
            self.client.get(reverse("record:person_json", args=[self.participant.pk])).content
        )
        self.assertEqual([c["verification_code"] for c in data["completions"]], ["ABCD-EFGH-JKLM"])
        self.assertEqual(data["person"]["employer"]["municipality"], "Kumla")
        self.assertEqual(data["employer_changes"][0]["from_municipality"], "Eskilstuna")
        for url in self.person_urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_the_person_keeps_their_record_certificates_and_material(self):
        self.login(self.participant)
        response = self.client.get(reverse("record:mine"))
        self.assertContains(response, "ABCD-EFGH-JKLM")
        self.assertContains(response, "Kumla")
        certificate = self.client.get(reverse("leader:certificate", args=[self.completion.pk]))
        self.assertEqual(certificate.status_code, 200)
        self.assertEqual(certificate["Content-Type"], "application/pdf")
        data = json.loads(self.client.get(reverse("record:mine_json")).content)
        self.assertEqual(data["completions"][0]["verification_code"], "ABCD-EFGH-JKLM")
        material = self.client.get(reverse("materials:course", args=[self.course.slug]))
        self.assertEqual(material.status_code, 200)

    def test_the_coordinator_of_the_region_still_sees_the_person(self):
        # Kumla is in Region X too; the Stockholm coordinator still does not see them.
        self.login(self.coordinator_x)
        url = reverse("learning:person", args=[self.participant.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.coordinator_y)
        self.assertEqual(self.client.get(url).status_code, 404)
