"""Completion (klarmarkering): the proposal, marking complete, and the course leader's page."""

import re

from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries
from yrkesresan.enrolment.completion import CompletionError, complete, completion_proposal
from yrkesresan.enrolment.models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    Registration,
)
from yrkesresan.evaluations.models import Invitation

from .leader_helpers import (
    LeaderTestCase,
    add_people,
    answer_all,
    days_ago,
    expected_statuses,
    make_round,
    mark_all,
    prepare_all,
)

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


class CompletionTestCase(LeaderTestCase):
    """The participant is ready; the Kumla participant missed day 2 and has a task waiting;
    the other-unit participant has done nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        mark_all(cls.reg)
        prepare_all(cls.participant, cls.course)
        answer_all(cls.reg)
        mark_all(cls.kumla_reg)
        Attendance.objects.filter(registration=cls.kumla_reg, day=cls.days[1]).update(
            status="absent"
        )
        prepare_all(cls.kumla_participant, cls.course)
        answer_all(cls.kumla_reg, DeepDiveAnswer.Status.SUBMITTED)

    def rows(self):
        return {row.person: row for row in completion_proposal(self.round)}


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ProposalTests(CompletionTestCase):
    def test_who_is_ready_and_what_the_others_lack(self):
        rows = self.rows()
        self.assertEqual(
            set(rows), {self.participant, self.kumla_participant, self.other_unit_participant}
        )
        self.assertTrue(rows[self.participant].ready)
        self.assertEqual(rows[self.participant].missing, [])
        self.assertEqual(
            rows[self.kumla_participant].missing,
            ["Day 2: absent", "Deep-dive task “Fördjupning” waiting for review"],
        )
        self.assertEqual(
            rows[self.other_unit_participant].missing,
            [
                "Day 1: attendance not marked",
                "Day 2: attendance not marked",
                "Day 3: attendance not marked",
                "Day 4: attendance not marked",
                "Preparation: 0 of 1 modules done",
                "Deep-dive task “Fördjupning” not handed in",
            ],
        )

    def test_partly_present_and_more_asked_for_are_missing(self):
        Attendance.objects.filter(registration=self.reg, day=self.days[2]).update(
            status="partly", note="Gick 13"
        )
        DeepDiveAnswer.objects.filter(registration=self.reg).update(status="needs_more")
        self.assertEqual(
            self.rows()[self.participant].missing,
            ["Day 3: only partly present", "Deep-dive task “Fördjupning”: more asked for"],
        )

    def test_a_make_up_day_booked_and_then_attended(self):
        later = make_round(self.course, self.region_x, name="Omgång 2", first_day=days_ago(-7))
        day = later.days.get(number=2)
        MakeUpDay.objects.create(registration=self.kumla_reg, day=day)
        [first] = self.rows()[self.kumla_participant].missing[:1]
        self.assertTrue(first.startswith("Day 2: make-up day booked for"), first)
        self.assertIn("Omgång 2", first)
        Attendance.objects.create(registration=self.kumla_reg, day=day, status="present")
        self.assertEqual(
            self.rows()[self.kumla_participant].missing,
            ["Deep-dive task “Fördjupning” waiting for review"],
        )

    def test_the_proposal_takes_a_constant_number_of_queries(self):
        with CaptureQueriesContext(connection) as small:
            completion_proposal(self.round)
        for registration in add_people(self.round, 20, prefix="klar", unit=self.unit_kumla):
            mark_all(registration)
            answer_all(registration)
        with CaptureQueriesContext(connection) as large:
            rows = completion_proposal(self.round)
        self.assertEqual(len(rows), 23)
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 8)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class CompleteTests(CompletionTestCase):
    def complete(self, registrations, by=None, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return complete(registrations, by=by or self.course_leader_x, **kwargs)

    def test_marking_complete(self):
        [completion] = self.complete([self.reg])
        self.assertEqual(completion.person, self.participant)
        self.assertEqual(completion.course, self.course)
        self.assertEqual(completion.completed_on, days_ago(0))
        self.assertEqual(completion.marked_by, self.course_leader_x)
        self.assertRegex(completion.verification_code, CODE)
        invitation = Invitation.objects.get()
        self.assertEqual((invitation.completion, invitation.round), (completion, self.round))
        event = AuditEvent.objects.get(action="course.completed")
        self.assertEqual(event.object_id, str(completion.pk))
        [message] = mail.outbox
        self.assertEqual(message.to, [self.participant.email])
        self.assertIn(reverse("leader:certificate", args=[completion.pk]), message.body)
        self.assertIn(reverse("evaluations:answer", args=[self.round.pk]), message.body)
        self.assertIn(completion.verification_code, message.body)

    def test_the_date_can_be_given(self):
        [completion] = self.complete([self.reg], on=days_ago(2))
        self.assertEqual(completion.completed_on, days_ago(2))

    def test_diet_and_accessibility_needs_are_erased(self):
        mark_all(self.other_reg)
        prepare_all(self.other_unit_participant, self.course)
        answer_all(self.other_reg)
        self.complete([self.other_reg, self.reg])
        self.other_reg.refresh_from_db()
        self.assertEqual(
            (self.other_reg.special_diet, self.other_reg.accessibility_needs), ("", "")
        )
        self.assertEqual(Completion.objects.count(), 2)
        codes = set(Completion.objects.values_list("verification_code", flat=True))
        self.assertEqual(len(codes), 2)

    def test_anyone_not_ready_stops_everyone_and_is_named(self):
        with self.assertRaises(CompletionError) as refused:
            self.complete([self.reg, self.kumla_reg])
        message = str(refused.exception)
        self.assertIn("Kumla Testsson: Day 2: absent", message)
        self.assertNotIn("Deltagare Testsson", message)
        self.assertFalse(Completion.objects.exists())
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_the_course_leader_cannot_override_and_neither_can_anyone(self):
        for person in [self.course_leader_x, self.coordinator_x, self.admin]:
            with (
                self.subTest(person=person.email),
                self.assertRaisesMessage(CompletionError, "not everyone chosen is ready"),
            ):
                self.complete([self.other_reg], by=person)

    def test_who_may_mark_complete(self):
        for person in [self.trainer_x, self.coordinator_y, self.participant, self.manager_a]:
            with (
                self.subTest(person=person.email),
                self.assertRaisesMessage(CompletionError, "may not mark"),
            ):
                self.complete([self.reg], by=person)
        self.complete([self.reg], by=self.coordinator_x)

    def test_twice_is_refused(self):
        self.complete([self.reg])
        with self.assertRaisesMessage(CompletionError, "already completed the course"):
            self.complete([self.reg])

    def test_a_cancelled_registration_and_an_empty_choice_are_refused(self):
        with self.assertRaisesMessage(CompletionError, "has no place in the round"):
            self.complete([self.cancelled_reg])
        with self.assertRaisesMessage(CompletionError, "at least one"):
            self.complete([])

    def test_one_round_at_a_time(self):
        other = make_round(self.course, self.region_x, name="Annan", first_day=days_ago(60))
        registration = Registration.objects.create(
            round=other, person=self.colleague, status="registered"
        )
        with self.assertRaisesMessage(CompletionError, "one round at a time"):
            self.complete([self.reg, registration])


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class CompletionPageTests(CompletionTestCase):
    def url(self):
        return reverse("leader:completion", args=[self.round.pk])

    def test_who_may_open_the_page(self):
        self.statuses("get", self.url(), expected_statuses(trainer_x=403))

    def test_the_ready_are_chosen_and_the_others_say_what_is_missing(self):
        self.login(self.course_leader_x)
        response = self.client.get(self.url())
        self.assertContains(response, f'value="{self.reg.pk}" id="klar-{self.reg.pk}" checked')
        self.assertNotContains(response, f'id="klar-{self.kumla_reg.pk}"')
        self.assertContains(response, "Day 2: absent")
        self.assertContains(response, "Preparation: 0 of 1 modules done")

    def test_marking_complete_from_the_page(self):
        self.login(self.course_leader_x)
        response = self.client.post(self.url(), {"registrations": [self.reg.pk]}, follow=True)
        self.assertContains(response, "1 participant is marked complete")
        completion = Completion.objects.get()
        self.assertContains(response, completion.verification_code)
        self.assertNotContains(response, f'id="klar-{self.reg.pk}"')

    def test_someone_not_ready_is_400_and_nothing_is_marked(self):
        self.login(self.course_leader_x)
        response = self.client.post(self.url(), {"registrations": [self.reg.pk, self.kumla_reg.pk]})
        self.assertContains(response, "Kumla Testsson: Day 2: absent", status_code=400)
        self.assertFalse(Completion.objects.exists())

    def test_no_choice_or_a_stranger_is_400(self):
        self.login(self.course_leader_x)
        response = self.client.post(self.url(), {})
        self.assertContains(response, "Choose at least one participant", status_code=400)
        response = self.client.post(self.url(), {"registrations": [self.cancelled_reg.pk]})
        self.assertContains(response, "not a participant of this round", status_code=400)
        self.assertFalse(Completion.objects.exists())

    def test_the_coordinator_sees_certificate_links_the_course_leader_does_not(self):
        complete([self.reg], by=self.course_leader_x)
        link = reverse("leader:certificate", args=[Completion.objects.get().pk])
        self.login(self.coordinator_x)
        self.assertContains(self.client.get(self.url()), link)
        self.login(self.course_leader_x)
        self.assertNotContains(self.client.get(self.url()), link)

    def test_queries_do_not_grow_with_the_round(self):
        self.login(self.course_leader_x)
        small = count_queries(self.client, self.url())
        for registration in add_people(self.round, 20, prefix="sida", unit=self.unit_kumla):
            mark_all(registration)
        complete([self.reg], by=self.course_leader_x)
        large = count_queries(self.client, self.url())
        self.assertEqual(small, large)
        self.assertLessEqual(large, 16)
