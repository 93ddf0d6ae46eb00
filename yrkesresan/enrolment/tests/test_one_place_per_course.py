"""One person, one place per course: at most one live registration (registered or waiting, in a
round that is neither completed nor cancelled) per person and course, no new place in a course
the person has completed, and no place in a round the person trains in or leads.

The rule is services.check_can_register's; the form, the import and the API each have their
own test of it (test_registration_pages, test_import_rows, test_api_registrations).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.enrolment.services import (
    RegistrationError,
    RuleFacts,
    cancel_registration,
    change_status,
    register,
)
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.services import create_team, set_course_leader


class OnePlacePerCourseTestCase(PersonaTestCase):
    """The participant has a seat in `first` (Region X); `later` is a later round of the same
    course in Region X, `elsewhere` one in Region Y."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.first = make_round(cls.course, cls.region_x, name="Omgång 1")
        cls.later = make_round(
            cls.course,
            cls.region_x,
            name="Omgång 2",
            first_day=today + datetime.timedelta(days=120),
        )
        cls.elsewhere = make_round(cls.course, cls.region_y, name="Stockholm 1")

    def setUp(self):
        self.seat = register(self.participant, self.first, by=self.manager_a)

    def assert_refused(self, person, round, *, by, code, naming=None):
        before = Registration.objects.count()
        with self.assertRaises(RegistrationError) as caught:
            register(person, round, by=by, step_mismatch_reason="Skäl.")
        self.assertEqual(caught.exception.code, code)
        if naming is not None:
            self.assertEqual(caught.exception.round_id, naming.pk)
            self.assertIn(naming.name, str(caught.exception))
        self.assertEqual(Registration.objects.count(), before)
        return caught.exception


class LiveRegistrationTests(OnePlacePerCourseTestCase):
    def test_a_registered_person_cannot_take_a_second_round_of_the_course(self):
        self.assert_refused(
            self.participant,
            self.later,
            by=self.manager_a,
            code=RegistrationError.BOOKED_ON_COURSE,
            naming=self.first,
        )

    def test_nor_a_round_of_another_region(self):
        register(self.solna_participant, self.elsewhere, by=self.admin, step_mismatch_reason="S")
        self.assert_refused(
            self.solna_participant,
            self.later,
            by=self.admin,
            code=RegistrationError.BOOKED_ON_COURSE,
            naming=self.elsewhere,
        )

    def test_a_place_on_a_waiting_list_holds_the_course_too(self):
        Round.objects.filter(pk=self.later.pk).update(seats=0)
        waiting = register(self.kumla_participant, self.later, by=self.manager_kumla)
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)
        self.assert_refused(
            self.kumla_participant,
            self.first,
            by=self.coordinator_x,
            code=RegistrationError.BOOKED_ON_COURSE,
            naming=self.later,
        )

    def test_a_participant_half_way_through_a_running_round_is_not_booked_again(self):
        for status in [Round.Status.CLOSED, Round.Status.RUNNING]:
            change_status(self.first, status, by=self.coordinator_x)
        self.assert_refused(
            self.participant,
            self.later,
            by=self.coordinator_x,
            code=RegistrationError.BOOKED_ON_COURSE,
            naming=self.first,
        )

    def test_registering_again_into_the_same_round_answers_with_the_place(self):
        self.assertEqual(register(self.participant, self.first, by=self.manager_a), self.seat)

    def test_a_cancelled_registration_frees_the_course(self):
        cancel_registration(self.seat, by=self.manager_a, reason="Byter till en senare omgång.")
        moved = register(self.participant, self.later, by=self.manager_a)
        self.assertEqual(moved.status, Registration.Status.REGISTERED)
        # The old round is now the one held: the way back is refused.
        self.assert_refused(
            self.participant,
            self.first,
            by=self.manager_a,
            code=RegistrationError.BOOKED_ON_COURSE,
            naming=self.later,
        )

    def test_a_cancelled_round_frees_its_participants(self):
        change_status(self.first, Round.Status.CANCELLED, by=self.coordinator_x)
        self.assertEqual(
            register(self.participant, self.later, by=self.manager_a).status, "registered"
        )

    def test_a_completed_round_without_completion_lets_the_person_book_again(self):
        for status in ["closed", "running", "completed"]:
            change_status(self.first, status, by=self.coordinator_x)
        self.assertEqual(
            register(self.participant, self.later, by=self.manager_a).status, "registered"
        )

    def test_rounds_of_other_courses_are_not_affected(self):
        other_course = Course.objects.create(
            step=self.steps["ny"], slug="samtal-med-barn", title="Samtal med barn", course_days=2
        )
        other = make_round(other_course, self.region_x, name="Omgång 1")
        self.assertEqual(register(self.participant, other, by=self.manager_a).status, "registered")


class CompletedCourseTests(OnePlacePerCourseTestCase):
    def complete_first_round(self):
        for status in ["closed", "running"]:
            change_status(self.first, status, by=self.coordinator_x)
        Completion.objects.create(
            registration=self.seat,
            person=self.participant,
            course=self.course,
            completed_on=timezone.localdate(),
            verification_code="KLAR-1",
        )

    def test_a_completed_course_is_not_booked_again(self):
        self.complete_first_round()
        change_status(self.first, Round.Status.COMPLETED, by=self.coordinator_x)
        self.assert_refused(
            self.participant,
            self.later,
            by=self.manager_a,
            code=RegistrationError.COURSE_COMPLETED,
            naming=self.first,
        )

    def test_nor_while_the_round_it_was_completed_in_still_runs(self):
        self.complete_first_round()
        self.assert_refused(
            self.participant,
            self.elsewhere,
            by=self.admin,
            code=RegistrationError.COURSE_COMPLETED,
            naming=self.first,
        )


class OwnStaffTests(OnePlacePerCourseTestCase):
    def test_the_course_leader_of_a_round_cannot_be_registered_into_it(self):
        set_course_leader(self.later, self.course_leader_x, by=self.coordinator_x)
        self.assert_refused(
            self.course_leader_x,
            self.later,
            by=self.coordinator_x,
            code=RegistrationError.STAFF_OF_ROUND,
        )
        # Another round of the course, which they do not lead, takes them.
        register(self.course_leader_x, self.elsewhere, by=self.admin, step_mismatch_reason="S")

    def test_a_trainer_in_a_team_of_a_round_cannot_be_registered_into_it(self):
        create_team(self.later, "Team 1", [self.trainer_x], by=self.coordinator_x)
        error = self.assert_refused(
            self.trainer_x, self.later, by=self.coordinator_x, code=RegistrationError.STAFF_OF_ROUND
        )
        self.assertIn(str(self.trainer_x), str(error))
        register(self.trainer_x, self.elsewhere, by=self.admin, step_mismatch_reason="S")


class DatabaseGuardTests(OnePlacePerCourseTestCase):
    def test_the_database_refuses_a_second_live_registration_for_a_course(self):
        # What register() writes, written past its checks (as two requests at once would).
        with self.assertRaises(IntegrityError), transaction.atomic():
            Registration.objects.create(
                round=self.later,
                person=self.participant,
                status=Registration.Status.WAITLISTED,
                live_course=self.course,
            )

    def test_a_registration_holds_the_course_only_while_it_is_live(self):
        self.assertEqual(self.seat.live_course, self.course)
        cancel_registration(self.seat, by=self.manager_a, reason="Sjuk.")
        self.seat.refresh_from_db()
        self.assertIsNone(self.seat.live_course)
        renewed = register(self.participant, self.first, by=self.manager_a)
        self.assertEqual(renewed.live_course, self.course)
        for status in ["closed", "running", "completed"]:
            change_status(self.first, status, by=self.coordinator_x)
        renewed.refresh_from_db()
        self.assertIsNone(renewed.live_course)
        seat = register(self.participant, self.later, by=self.manager_a)
        change_status(self.later, Round.Status.CANCELLED, by=self.coordinator_x)
        seat.refresh_from_db()
        self.assertIsNone(seat.live_course)

    def test_a_place_taken_since_the_rules_were_read_is_refused_with_the_other_round(self):
        # The API reads the rules' facts before the round's lock; these were read before the
        # participant's seat in the first round was committed, by another request.
        facts = RuleFacts(
            is_member=True,
            step_id=self.steps["ny"].pk,
            live_round_id=None,
            completed=False,
            in_team=False,
        )
        later = Round.objects.select_related("course__step").get(pk=self.later.pk)
        with self.assertRaises(RegistrationError) as caught:
            register(self.participant, later, by=self.manager_a, facts=facts)
        self.assertEqual(caught.exception.code, RegistrationError.BOOKED_ON_COURSE)
        self.assertEqual(caught.exception.round_id, self.first.pk)
        self.assertFalse(Registration.objects.filter(round=self.later).exists())
