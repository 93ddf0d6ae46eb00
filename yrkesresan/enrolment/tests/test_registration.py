import datetime

from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import (
    RegistrationError,
    cancel_registration,
    change_seats,
    change_status,
    register,
)
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round


class RegisterTests(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=2)

    def test_a_manager_registers_staff_of_their_unit(self):
        registration = register(self.participant, self.round, by=self.manager_a)
        self.assertEqual(registration.status, Registration.Status.REGISTERED)
        self.assertEqual(registration.registered_by, self.manager_a)
        self.assertTrue(AuditEvent.objects.filter(action="registration.registered").exists())

    def test_registering_twice_makes_one_registration(self):
        first = register(self.participant, self.round, by=self.manager_a)
        second = register(self.participant, self.round, by=self.contact_eskilstuna)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Registration.objects.count(), 1)

    def test_who_may_register_whom(self):
        allowed = [
            (self.manager_a, self.participant),
            (self.contact_eskilstuna, self.other_unit_participant),
            (self.coordinator_x, self.kumla_participant),
        ]
        refused = [
            (self.manager_a, self.other_unit_participant),
            (self.manager_kumla, self.participant),
            (self.contact_eskilstuna, self.kumla_participant),
            (self.coordinator_y, self.participant),
            (self.participant, self.participant),
            (self.trainer_x, self.participant),
        ]
        self.round.seats = 10
        self.round.save()
        for by, person in refused:
            with (
                self.subTest(by=by.email, person=person.email),
                self.assertRaises(RegistrationError),
            ):
                register(person, self.round, by=by)
        for by, person in allowed:
            with self.subTest(by=by.email, person=person.email):
                register(person, self.round, by=by)
        self.assertEqual(Registration.objects.count(), 3)

    def test_only_members_of_the_programme_can_be_registered(self):
        self.eskilstuna.memberships.update(left_on=timezone.localdate())
        with self.assertRaisesMessage(RegistrationError, "Eskilstuna är inte medlem i Yrkesresan."):
            register(self.participant, self.round, by=self.manager_a)

    def test_a_step_mismatch_needs_a_reason(self):
        with self.assertRaisesMessage(RegistrationError, "Ange ett skäl"):
            register(self.colleague, self.round, by=self.manager_a)
        registration = register(
            self.colleague,
            self.round,
            by=self.manager_a,
            step_mismatch_reason="Ny på barn och unga efter åren inom vuxen.",
        )
        self.assertEqual(registration.status, Registration.Status.REGISTERED)

    def test_a_round_that_is_not_open_refuses(self):
        self.round.status = Round.Status.DRAFT
        self.round.save()
        with self.assertRaisesMessage(RegistrationError, "inte öppen"):
            register(self.participant, self.round, by=self.manager_a)

    def test_needs_are_kept_only_with_consent(self):
        without = register(
            self.participant,
            self.round,
            by=self.manager_a,
            special_diet="Vegetarisk",
            needs_consent=False,
        )
        self.assertEqual(without.special_diet, "")
        with_consent = register(
            self.kumla_participant,
            self.round,
            by=self.manager_kumla,
            special_diet="Glutenfri",
            needs_consent=True,
        )
        self.assertEqual(with_consent.special_diet, "Glutenfri")


class WaitingListTests(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=1)
        self.first = register(self.participant, self.round, by=self.manager_a)
        self.second = register(self.kumla_participant, self.round, by=self.manager_kumla)
        self.third = register(self.other_unit_participant, self.round, by=self.contact_eskilstuna)

    def test_a_full_round_puts_people_on_the_waiting_list_in_order(self):
        statuses = [r.status for r in (self.first, self.second, self.third)]
        self.assertEqual(statuses, ["registered", "waitlisted", "waitlisted"])

    def test_a_cancelled_seat_goes_to_the_first_on_the_list_at_once(self):
        cancel_registration(self.first, by=self.manager_a, reason="Sjukskriven")
        self.second.refresh_from_db()
        self.third.refresh_from_db()
        self.assertEqual(self.second.status, Registration.Status.REGISTERED)
        self.assertEqual(self.third.status, Registration.Status.WAITLISTED)
        self.assertTrue(AuditEvent.objects.filter(action="registration.promoted").exists())

    def test_cancelling_from_the_waiting_list_promotes_nobody(self):
        cancel_registration(self.second, by=self.manager_kumla, reason="Byter tjänst")
        self.third.refresh_from_db()
        self.assertEqual(self.third.status, Registration.Status.WAITLISTED)

    def test_a_cancellation_needs_a_reason_and_is_late_after_the_deadline(self):
        with self.assertRaisesMessage(RegistrationError, "Ange ett skäl"):
            cancel_registration(self.first, by=self.manager_a, reason=" ")
        Round.objects.filter(pk=self.round.pk).update(
            registration_closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        cancelled = cancel_registration(self.first, by=self.manager_a, reason="Sjuk")
        self.assertTrue(cancelled.cancelled_late)

    def test_more_seats_promote_from_the_waiting_list(self):
        change_seats(self.round, 3, by=self.coordinator_x)
        statuses = set(self.round.registrations.values_list("status", flat=True))
        self.assertEqual(statuses, {"registered"})

    def test_seats_cannot_drop_below_those_taken(self):
        change_seats(self.round, 2, by=self.coordinator_x)
        with self.assertRaises(RegistrationError):
            change_seats(self.round, 1, by=self.coordinator_x)

    def test_a_renewed_registration_joins_the_end_of_the_queue(self):
        cancel_registration(self.second, by=self.manager_kumla, reason="Krock")
        again = register(self.kumla_participant, self.round, by=self.manager_kumla)
        self.assertEqual(again.pk, self.second.pk)
        order = list(
            self.round.registrations.filter(status="waitlisted")
            .order_by("queued_at", "id")
            .values_list("person__email", flat=True)
        )
        self.assertEqual(order, ["familjehem@example.com", "kumla@example.com"])


class LifecycleTests(PersonaTestCase):
    def test_status_follows_the_lifecycle_and_completion_erases_needs(self):
        round = make_round(self.course, self.region_x)
        register(
            self.participant, round, by=self.manager_a, special_diet="Vegan", needs_consent=True
        )
        with self.assertRaises(RegistrationError):
            change_status(round, Round.Status.COMPLETED, by=self.coordinator_x)
        for status in ["closed", "running", "completed"]:
            change_status(round, status, by=self.coordinator_x)
        self.assertEqual(Registration.objects.get().special_diet, "")

    def test_registering_new_staff_after_two_years_needs_no_reason_on_van(self):
        person = make_person("van@example.com", unit=self.unit_a, started=years_ago(3))
        van_course = self.course
        van_course.step = self.steps["van"]
        van_course.save()
        round = make_round(van_course, self.region_x)
        self.assertEqual(register(person, round, by=self.manager_a).status, "registered")


class CancelledRoundTests(PersonaTestCase):
    def test_cancelling_a_round_cancels_and_tells_everyone(self):
        from django.core import mail

        round = make_round(self.course, self.region_x, seats=1)
        seated = register(self.participant, round, by=self.manager_a)
        waiting = register(self.kumla_participant, round, by=self.manager_kumla)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            change_status(round, Round.Status.CANCELLED, by=self.coordinator_x)
        for registration in (seated, waiting):
            registration.refresh_from_db()
            self.assertEqual(registration.status, Registration.Status.CANCELLED)
            self.assertFalse(registration.cancelled_late)
        recipients = {address for message in mail.outbox for address in message.to}
        self.assertIn(self.participant.email, recipients)
        self.assertIn(self.kumla_participant.email, recipients)
        to_participant = [m for m in mail.outbox if self.participant.email in m.to]
        self.assertTrue(to_participant)
        self.assertIn('method="CANCEL"', to_participant[0].message().as_string())
