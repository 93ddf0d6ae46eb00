"""Registering staff and cancelling registrations through the pages."""

from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.tests.test_support import RoundsTestCase, create_round, open_round
from yrkesresan.staffing.services import change_team_members, create_team, set_course_leader


class RegisterPageTests(RoundsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second = create_round(cls, name="Omgång 2", seats=1)
        open_round(cls.second, cls.coordinator_x)
        cls.new_person = make_person("ny@example.com", unit=cls.unit_a, started=years_ago(0, 30))

    def url(self, round=None):
        return reverse("enrolment:register", args=[(round or self.second).pk])

    def choices(self, persona, round=None):
        self.client.force_login(persona)
        response = self.client.get(self.url(round))
        self.assertEqual(response.status_code, 200)
        return set(
            response.context["form"].fields["person"].queryset.values_list("email", flat=True)
        )

    def test_each_registrar_chooses_among_their_own_staff(self):
        self.assertEqual(
            self.choices(self.manager_a),
            {
                "deltagare@example.com",
                "kollega@example.com",
                "chef.a@example.com",
                "ny@example.com",
            },
        )
        self.assertEqual(
            self.choices(self.manager_kumla), {"kumla@example.com", "chef.kumla@example.com"}
        )
        contact = self.choices(self.contact_eskilstuna)
        self.assertIn("familjehem@example.com", contact)
        self.assertNotIn("kumla@example.com", contact)
        coordinator = self.choices(self.coordinator_x)
        self.assertLessEqual({"kumla@example.com", "utbildare@example.com"}, coordinator)
        self.assertNotIn("solna@example.com", coordinator)

    def test_people_already_in_the_round_and_non_members_are_not_offered(self):
        self.assertNotIn("deltagare@example.com", self.choices(self.manager_a, self.round))
        self.eskilstuna.memberships.update(left_on=timezone.localdate())
        self.assertEqual(self.choices(self.manager_a), set())

    def test_a_manager_registers_and_the_next_goes_on_the_waiting_list(self):
        newer = make_person("nyare@example.com", unit=self.unit_a, started=years_ago(0, 60))
        self.client.force_login(self.manager_a)
        response = self.client.post(self.url(), {"person": self.new_person.pk})
        self.assertRedirects(response, reverse("enrolment:round", args=[self.second.pk]))
        response = self.client.post(self.url(), {"person": newer.pk})
        statuses = dict(
            Registration.objects.filter(round=self.second).values_list("person__email", "status")
        )
        self.assertEqual(
            statuses,
            {"ny@example.com": "registered", "nyare@example.com": "waitlisted"},
        )
        self.assertEqual(
            Registration.objects.get(round=self.second, person=self.new_person).registered_by,
            self.manager_a,
        )

    def test_needs_are_saved_only_with_consent(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(
            self.url(), {"person": self.new_person.pk, "special_diet": "Glutenfritt"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("needs_consent", response.context["form"].errors)
        self.assertContains(response, "Glutenfritt", status_code=400)
        self.client.post(
            self.url(),
            {"person": self.new_person.pk, "special_diet": "Glutenfritt", "needs_consent": "on"},
        )
        registration = Registration.objects.get(round=self.second, person=self.new_person)
        self.assertEqual(
            (registration.special_diet, registration.needs_consent), ("Glutenfritt", True)
        )

    def test_another_step_needs_a_reason(self):
        experienced = make_person("erfaren@example.com", unit=self.unit_a, started=years_ago(6))
        self.client.force_login(self.manager_a)
        response = self.client.post(self.url(), {"person": experienced.pk})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Registration.objects.filter(round=self.second, person=experienced))
        self.client.post(
            self.url(), {"person": experienced.pk, "step_mismatch_reason": "Byter område."}
        )
        self.assertTrue(Registration.objects.filter(round=self.second, person=experienced))

    def test_a_person_with_a_place_in_another_round_of_the_course_is_refused_naming_it(self):
        # The participant has a seat in Omgång 1, the colleague waits for one there.
        self.client.force_login(self.manager_a)
        for person, held in [
            (self.participant, "har redan en plats"),
            (self.colleague, "reservlistan"),
        ]:
            with self.subTest(person=person.email):
                response = self.client.post(
                    self.url(), {"person": person.pk, "step_mismatch_reason": "Skäl."}
                )
                self.assertEqual(response.status_code, 400)
                [error] = response.context["form"].non_field_errors()
                self.assertIn(held, error)
                self.assertIn("Omgång 1", error)
        self.assertFalse(Registration.objects.filter(round=self.second).exists())

    def test_the_rounds_own_trainer_or_course_leader_is_refused(self):
        team = create_team(self.second, "Team 1", [self.trainer_x], by=self.coordinator_x)
        set_course_leader(self.second, self.course_leader_x, by=self.coordinator_x)
        self.client.force_login(self.coordinator_x)
        for person in [self.trainer_x, self.course_leader_x]:
            with self.subTest(person=person.email):
                response = self.client.post(self.url(), {"person": person.pk})
                self.assertEqual(response.status_code, 400)
                [error] = response.context["form"].non_field_errors()
                self.assertIn("kan inte också delta", error)
        self.assertFalse(Registration.objects.filter(round=self.second).exists())
        # Out of the team, the trainer may take part.
        change_team_members(team, [], by=self.coordinator_x)
        response = self.client.post(self.url(), {"person": self.trainer_x.pk})
        self.assertEqual(response.status_code, 302)

    def test_bad_registrations_answer_400(self):
        self.client.force_login(self.manager_a)
        for data in [
            {},
            {"person": "x"},
            {"person": self.kumla_participant.pk},  # not their staff
            {"person": self.solna_participant.pk},
        ]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url(), data).status_code, 400)
        self.assertFalse(Registration.objects.filter(round=self.second).exists())

    def test_a_closed_round_refuses_managers_but_not_the_coordinator(self):
        Round.objects.filter(pk=self.second.pk).update(status=Round.Status.CLOSED)
        self.client.force_login(self.manager_a)
        response = self.client.post(self.url(), {"person": self.new_person.pk})
        self.assertEqual(response.status_code, 400)
        self.client.force_login(self.coordinator_x)
        response = self.client.post(self.url(), {"person": self.new_person.pk})
        self.assertEqual(response.status_code, 302)

    def test_the_query_count_does_not_grow_with_the_staff(self):
        self.client.force_login(self.contact_eskilstuna)
        before = count_queries(self.client, self.url())
        for n in range(20):
            make_person(f"fler{n}@example.com", unit=self.unit_a2, started=years_ago(n % 7))
        with self.assertNumQueries(before):
            self.client.get(self.url())


class CancelPageTests(RoundsTestCase):
    def url(self, registration=None):
        return reverse("enrolment:cancel", args=[(registration or self.registration).pk])

    def test_cancelling_a_seat_moves_the_first_waiting_up(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(self.url(), {"reason": "Slutat sin tjänst."})
        self.assertRedirects(response, reverse("enrolment:round", args=[self.round.pk]))
        self.registration.refresh_from_db()
        self.waiting.refresh_from_db()
        self.assertEqual(self.registration.status, Registration.Status.CANCELLED)
        self.assertEqual(self.registration.cancel_reason, "Slutat sin tjänst.")
        self.assertFalse(self.registration.cancelled_late)
        self.assertEqual(self.waiting.status, Registration.Status.REGISTERED)

    def test_a_cancellation_after_the_deadline_is_late(self):
        Round.objects.filter(pk=self.round.pk).update(
            registration_opens_on=timezone.localdate().replace(year=2020),
            registration_closes_on=timezone.localdate().replace(year=2021),
        )
        self.client.force_login(self.coordinator_x)
        self.client.post(self.url(self.kumla_registration), {"reason": "Sjuk"})
        self.kumla_registration.refresh_from_db()
        self.assertTrue(self.kumla_registration.cancelled_late)

    def test_a_participant_cancels_their_own_and_goes_home(self):
        self.client.force_login(self.participant)
        response = self.client.post(self.url(), {"reason": "Föräldraledig."})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)

    def test_bad_cancellations_answer_400(self):
        self.client.force_login(self.manager_a)
        self.assertEqual(self.client.post(self.url(), {"reason": "  "}).status_code, 400)
        self.assertEqual(self.client.post(self.url(), {}).status_code, 400)
        self.client.post(self.url(), {"reason": "Sjuk"})
        response = self.client.post(self.url(), {"reason": "Igen"})
        self.assertEqual(response.status_code, 400)
        self.registration.refresh_from_db()
        self.assertEqual(self.registration.cancel_reason, "Sjuk")

    def test_others_cannot_cancel(self):
        for persona, status in [
            (self.manager_kumla, 404),
            (self.trainer_x, 403),
            (self.coordinator_y, 404),
            (self.colleague, 404),
        ]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                response = self.client.post(self.url(), {"reason": "Nej"})
                self.assertEqual(response.status_code, status)
        self.registration.refresh_from_db()
        self.assertEqual(self.registration.status, Registration.Status.REGISTERED)
