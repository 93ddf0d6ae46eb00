"""Registering several people at once: the plan says who gets a seat and who waits, the
confirmation does exactly that, and when the seats change in between nothing is registered."""

from django.urls import reverse
from django.utils import translation

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago
from yrkesresan.enrolment import bulk
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.testing import make_round


class BulkRegistrationTests(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=3)
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.hires = [
            make_person(
                f"ny{n}@example.com",
                unit=self.unit_a,
                started=years_ago(1),
                last_name=f"Nyanställd {n}",
            )
            for n in range(1, 6)
        ]

    def plan(self, people=None):
        return bulk.plan_registrations(people or self.hires, self.round, by=self.manager_a)

    def test_the_plan_gives_the_free_seats_in_order_and_the_rest_wait(self):
        plan = self.plan()
        self.assertEqual(plan.free_seats, 3)
        self.assertEqual([line.person for line in plan.seated], self.hires[:3])
        self.assertEqual([line.person for line in plan.waiting], self.hires[3:])
        self.assertFalse(Registration.objects.exists())

    def test_the_confirmation_does_what_the_plan_showed(self):
        plan = self.plan()
        registrations = bulk.register_many(
            self.hires, self.round, by=self.manager_a, token=plan.token
        )
        statuses = {r.person_id: r.status for r in registrations}
        for line in plan.lines:
            self.assertEqual(statuses[line.person.pk], line.outcome)
        self.assertEqual(
            Registration.objects.filter(status=Registration.Status.WAITLISTED).count(), 2
        )
        self.assertTrue(AuditEvent.objects.filter(action="registration.bulk").exists())

    def test_a_seat_taken_between_plan_and_confirmation_registers_nobody(self):
        plan = self.plan()
        register(self.participant, self.round, by=self.manager_a)  # someone else was quicker
        with self.assertRaises(bulk.PlanChanged) as caught:
            bulk.register_many(self.hires, self.round, by=self.manager_a, token=plan.token)
        self.assertEqual(Registration.objects.exclude(person=self.participant).count(), 0)
        new_plan = caught.exception.plan
        self.assertEqual(len(new_plan.seated), 2)
        self.assertEqual(len(new_plan.waiting), 3)
        self.assertIn("nothing was registered", str(caught.exception))

    def test_the_new_plan_can_be_confirmed(self):
        plan = self.plan()
        register(self.participant, self.round, by=self.manager_a)
        with self.assertRaises(bulk.PlanChanged) as caught:
            bulk.register_many(self.hires, self.round, by=self.manager_a, token=plan.token)
        bulk.register_many(
            self.hires, self.round, by=self.manager_a, token=caught.exception.plan.token
        )
        self.assertEqual(Registration.objects.filter(person__in=self.hires).count(), 5)

    def test_people_the_rules_refuse_are_shown_with_the_reason_and_left_out(self):
        # Manager A may not register Kumla's staff.
        people = [self.hires[0], self.kumla_participant]
        plan = bulk.plan_registrations(people, self.round, by=self.manager_a)
        self.assertEqual([line.person for line in plan.seated], [self.hires[0]])
        (refused,) = plan.refused
        self.assertIn("may not register", refused.reason)
        bulk.register_many(people, self.round, by=self.manager_a, token=plan.token)
        self.assertFalse(Registration.objects.filter(person=self.kumla_participant).exists())

    def test_someone_already_in_the_round_is_not_registered_again(self):
        register(self.hires[0], self.round, by=self.manager_a)
        plan = self.plan()
        self.assertEqual(plan.refused[0].person, self.hires[0])
        self.assertIn("already registered", plan.refused[0].reason)


class BulkRegistrationPageTests(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=1)
        self.hires = [
            make_person(f"ny{n}@example.com", unit=self.unit_a, started=years_ago(1))
            for n in range(1, 4)
        ]
        self.client.force_login(self.manager_a)
        self.url = reverse("enrolment:register_many")
        self.query = {"round": self.round.pk, "people": [p.pk for p in self.hires]}

    def test_the_plan_page_shows_seats_and_waiting_list_and_writes_nothing(self):
        response = self.client.get(self.url, self.query)
        self.assertContains(response, 'data-outcome="registered"', count=1)
        self.assertContains(response, 'data-outcome="waitlisted"', count=2)
        self.assertFalse(Registration.objects.exists())

    def test_confirming_registers_and_returns_to_the_start_page(self):
        plan = self.client.get(self.url, self.query).context["plan"]
        response = self.client.post(self.url, {**self.query, "plan": plan.token})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertEqual(Registration.objects.count(), 3)

    def test_a_changed_round_answers_409_with_the_new_plan(self):
        plan = self.client.get(self.url, self.query).context["plan"]
        self.round.seats = 0
        self.round.save()
        response = self.client.post(self.url, {**self.query, "plan": plan.token})
        self.assertEqual(response.status_code, 409)
        self.assertTrue(response.context["changed"])
        self.assertContains(response, 'data-outcome="waitlisted"', count=3, status_code=409)
        self.assertFalse(Registration.objects.exists())

    def test_people_outside_the_scope_are_ignored(self):
        response = self.client.get(self.url, {**self.query, "people": [self.solna_participant.pk]})
        self.assertEqual(response.status_code, 400)
