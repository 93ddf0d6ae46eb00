"""POST /api/v1/rounds/{id}/registrations, GET and DELETE /api/v1/registrations/{id}."""

import datetime

from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import make_person, years_ago
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.services import create_team, set_course_leader


class RegisterTests(ApiTestCase):
    def test_a_manager_registers_staff_of_their_unit(self):
        response = self.api(
            "POST",
            self.registrations_url(self.round_x),
            "manager_a",
            {"email": "Kollega@Example.com", "reason": "Ny inom barn och unga."},
        )
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        registration = Registration.objects.get(round=self.round_x, person=self.colleague)
        self.assertEqual(data["id"], registration.pk)
        self.assertEqual(data["status"], "registered")
        self.assertEqual(data["person"]["email"], self.colleague.email)
        self.assertEqual(data["round"]["id"], self.round_x.pk)
        self.assertEqual(data["step_mismatch_reason"], "Ny inom barn och unga.")
        self.assertFalse(data["late"])
        self.assertEqual(response["Location"], self.registration_url(registration))
        self.assertEqual(registration.registered_by, self.manager_a)
        self.assertTrue(AuditEvent.objects.filter(action="registration.registered").exists())

    def test_registering_the_same_person_twice_makes_one_registration(self):
        url = self.registrations_url(self.round_x)
        body = {"email": self.kumla_participant.email}
        first = self.api("POST", url, "manager_kumla", body)
        second = self.api("POST", url, "manager_kumla", body)
        third = self.api("POST", url, "coordinator_x", body)
        self.assertEqual(first.status_code, 201)
        self.assertEqual((second.status_code, third.status_code), (200, 200))
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(first.json()["id"], third.json()["id"])
        self.assertEqual(
            Registration.objects.filter(round=self.round_x, person=self.kumla_participant).count(),
            1,
        )

    def test_a_retry_answers_with_the_registration_even_after_the_round_closed(self):
        Round.objects.filter(pk=self.round_x.pk).update(status=Round.Status.CLOSED)
        body = {"email": self.participant.email}
        response = self.api("POST", self.registrations_url(self.round_x), "manager_a", body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["id"], self.registration_x.pk)

    def test_a_full_round_puts_the_person_on_the_waiting_list(self):
        url = self.registrations_url(self.round_x)
        self.round_x.seats = 1
        self.round_x.save()
        response = self.api("POST", url, "manager_kumla", {"email": self.kumla_participant.email})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["status"], "waitlisted")
        round = self.api("GET", self.round_url(self.round_x), "manager_kumla").json()
        self.assertEqual((round["registered"], round["waitlisted"]), (1, 1))

    def test_a_cancelled_registration_is_renewed_as_new(self):
        url = self.registrations_url(self.round_x)
        self.api(
            "DELETE", self.registration_url(self.registration_x), "manager_a", {"reason": "Sjuk"}
        )
        response = self.api("POST", url, "manager_a", {"email": self.participant.email})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["id"], self.registration_x.pk)
        self.assertEqual(response.json()["status"], "registered")

    def test_bad_bodies_are_400(self):
        url = self.registrations_url(self.round_x)
        for body in ["", "{not json", "[]", '"x"', {"name": "x"}, {"email": ""}, {"email": 7}]:
            with self.subTest(body=body):
                self.assert_error(self.api("POST", url, "manager_a", body), 400)
        bad_reason = {"email": self.colleague.email, "reason": ["x"]}
        self.assert_error(self.api("POST", url, "manager_a", bad_reason), 400)
        self.assertEqual(Registration.objects.filter(round=self.round_x).count(), 1)

    def test_unknown_and_out_of_scope_people_get_the_same_404(self):
        url = self.registrations_url(self.round_x)
        unknown = self.assert_error(
            self.api("POST", url, "manager_a", {"email": "ingen@example.com"}), 404
        )
        elsewhere = self.assert_error(
            self.api("POST", url, "manager_a", {"email": self.kumla_participant.email}), 404
        )
        self.assertEqual(
            unknown.replace("ingen@example.com", "X"),
            elsewhere.replace(self.kumla_participant.email, "X"),
        )

    def test_a_round_outside_the_scope_is_404(self):
        response = self.api(
            "POST",
            self.registrations_url(self.round_y),
            "manager_a",
            {"email": self.participant.email},
        )
        self.assert_error(response, 404)
        self.assertFalse(Registration.objects.filter(round=self.round_y, person=self.participant))

    def test_a_person_who_may_not_register_is_403(self):
        url = self.registrations_url(self.round_x)
        # People may name themselves, but a participant or a trainer registers nobody.
        for who, person in [("participant", self.participant), ("trainer_x", self.trainer_x)]:
            with self.subTest(who=who):
                body = {"email": person.email, "reason": "Vill gå."}
                self.assert_error(self.api("POST", url, who, body), 403)
        self.assertEqual(Registration.objects.filter(round=self.round_x).count(), 1)

    def test_the_registration_rules_refuse_with_409(self):
        url = self.registrations_url(self.round_x)
        # The course is on Ny; the colleague's six years suggest Erfaren.
        mismatch = self.assert_error(
            self.api("POST", url, "manager_a", {"email": self.colleague.email}), 409
        )
        self.assertIn("reason", mismatch)

        self.eskilstuna.memberships.update(left_on=timezone.localdate())
        body = {"email": self.other_unit_participant.email}
        not_member = self.assert_error(self.api("POST", url, "contact_eskilstuna", body), 409)
        self.assertIn("not a member", not_member)

        Round.objects.filter(pk=self.round_x.pk).update(status=Round.Status.CLOSED)
        body = {"email": self.kumla_participant.email}
        self.assert_error(self.api("POST", url, "manager_kumla", body), 409)
        self.assertEqual(Registration.objects.filter(round=self.round_x).count(), 1)


class OnePlacePerCourseTests(ApiTestCase):
    """409 with a code and the round: the rules of services.check_can_register, read in SQL."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.later_x = make_round(
            cls.course,
            cls.region_x,
            name="Omgång 2",
            first_day=timezone.localdate() + datetime.timedelta(days=120),
        )

    def refusal(self, who, email, round=None):
        url = self.registrations_url(round or self.later_x)
        response = self.api("POST", url, who, {"email": email, "reason": "Skäl."})
        message = self.assert_error(response, 409)
        return message, response.json()

    def test_a_place_in_another_round_of_the_course_is_409_naming_that_round(self):
        message, data = self.refusal("manager_a", self.participant.email)
        self.assertEqual((data["code"], data["round"]), ("booked_on_course", self.round_x.pk))
        self.assertIn("already has a place in Omgång 1", message)
        # A waiting list in another region's round holds the course too.
        Registration.objects.filter(pk=self.registration_y.pk).update(status="waitlisted")
        message, data = self.refusal("admin", self.solna_participant.email)
        self.assertEqual((data["code"], data["round"]), ("booked_on_course", self.round_y.pk))
        self.assertIn("waiting list for Omgång 1 (", message)
        self.assertIn("Region Storstockholm", message)
        self.assertFalse(Registration.objects.filter(round=self.later_x).exists())

    def test_a_completed_course_is_409_naming_the_round_it_was_completed_in(self):
        Completion.objects.create(
            registration=self.registration_x,
            person=self.participant,
            course=self.course,
            completed_on=timezone.localdate(),
            verification_code="KLAR-API",
        )
        message, data = self.refusal("manager_a", self.participant.email)
        self.assertEqual((data["code"], data["round"]), ("course_completed", self.round_x.pk))
        self.assertIn("already completed", message)

    def test_the_rounds_own_trainer_and_course_leader_are_409(self):
        create_team(self.later_x, "Team 1", [self.trainer_x], by=self.coordinator_x)
        set_course_leader(self.later_x, self.course_leader_x, by=self.coordinator_x)
        for person in [self.trainer_x, self.course_leader_x]:
            with self.subTest(person=person.email):
                message, data = self.refusal("coordinator_x", person.email)
                self.assertEqual(data["code"], "staff_of_round")
                self.assertNotIn("round", data)
                self.assertIn("cannot also take part", message)
        # In another round of the course they may take part.
        response = self.api(
            "POST",
            self.registrations_url(self.round_x),
            "coordinator_x",
            {"email": self.trainer_x.email},
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_other_refusals_have_the_general_conflict_code(self):
        Round.objects.filter(pk=self.later_x.pk).update(status=Round.Status.CLOSED)
        _message, data = self.refusal("manager_kumla", self.kumla_participant.email)
        self.assertEqual(data, {"error": data["error"], "code": "conflict"})


class ReadRegistrationTests(ApiTestCase):
    def test_reads_a_registration_without_diet_or_accessibility_needs(self):
        registration = register(
            self.kumla_participant,
            self.round_x,
            by=self.manager_kumla,
            special_diet="Glutenfri",
            accessibility_needs="Hörslinga",
            needs_consent=True,
        )
        response = self.api("GET", self.registration_url(registration), "coordinator_x")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["id"], registration.pk)
        self.assertEqual(data["status"], "registered")
        self.assertEqual(data["person"]["email"], self.kumla_participant.email)
        self.assertIsNone(data["cancelled_at"])
        self.assertNotIn(b"Glutenfri", response.content)
        self.assertNotIn(b"rslinga", response.content)

    def test_a_registration_outside_the_scope_is_404(self):
        self.assert_error(
            self.api("GET", self.registration_url(self.registration_x), "manager_kumla"), 404
        )
        self.assert_error(self.api("GET", "/api/v1/registrations/999999", "admin"), 404)


class CancelRegistrationTests(ApiTestCase):
    def test_cancelling_gives_the_seat_to_the_waiting_list(self):
        Round.objects.filter(pk=self.round_x.pk).update(seats=1)
        waiting = register(self.kumla_participant, self.round_x, by=self.manager_kumla)
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)

        response = self.api(
            "DELETE",
            self.registration_url(self.registration_x),
            "manager_a",
            {"reason": "Föräldraledig"},
        )

        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["status"], "cancelled")
        self.assertEqual(data["cancel_reason"], "Föräldraledig")
        self.assertFalse(data["late"])
        self.assertIsNotNone(data["cancelled_at"])
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Registration.Status.REGISTERED)

    def test_the_reason_may_be_a_query_parameter(self):
        url = self.registration_url(self.registration_x) + "?reason=Slutat"
        response = self.api("DELETE", url, "participant")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["cancel_reason"], "Slutat")

    def test_a_cancellation_after_the_deadline_is_late(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Round.objects.filter(pk=self.round_x.pk).update(
            registration_opens_on=yesterday - datetime.timedelta(days=5),
            registration_closes_on=yesterday,
        )
        response = self.api(
            "DELETE", self.registration_url(self.registration_x), "manager_a", {"reason": "Sjuk"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["late"])

    def test_a_missing_reason_is_400(self):
        url = self.registration_url(self.registration_x)
        for body in [None, {}, {"reason": "  "}, {"reason": 3}, "{bad"]:
            with self.subTest(body=body):
                self.assert_error(self.api("DELETE", url, "manager_a", body), 400)
        self.registration_x.refresh_from_db()
        self.assertTrue(self.registration_x.is_active)

    def test_cancelling_twice_is_409(self):
        url = self.registration_url(self.registration_x)
        self.assertEqual(self.api("DELETE", url, "manager_a", {"reason": "Sjuk"}).status_code, 200)
        message = self.assert_error(self.api("DELETE", url, "manager_a", {"reason": "Sjuk"}), 409)
        self.assertIn("already cancelled", message)

    def test_a_coordinator_who_may_see_but_not_cancel_is_403(self):
        # The administrator registered someone from Solna (Region Y) into Region X's round:
        # its coordinator sees the registration but may not act for Solna's staff.
        solna = make_person("solna.2@example.com", unit=self.unit_solna, started=years_ago(1))
        registration = register(solna, self.round_x, by=self.admin, step_mismatch_reason="Behov.")
        url = self.registration_url(registration)
        self.assertEqual(self.api("GET", url, "coordinator_x").status_code, 200)
        self.assert_error(self.api("DELETE", url, "coordinator_x", {"reason": "Nej"}), 403)
        registration.refresh_from_db()
        self.assertTrue(registration.is_active)

    def test_outside_the_scope_is_404(self):
        url = self.registration_url(self.registration_x)
        self.assert_error(self.api("DELETE", url, "coordinator_y", {"reason": "Nej"}), 404)
        self.registration_x.refresh_from_db()
        self.assertTrue(self.registration_x.is_active)
