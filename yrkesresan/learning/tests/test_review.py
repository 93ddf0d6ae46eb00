"""Deep-dive review: approve, or ask for more with feedback."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries
from yrkesresan.enrolment.models import DeepDiveAnswer
from yrkesresan.enrolment.review import ReviewError, review_answer

from .leader_helpers import (
    LeaderTestCase,
    add_people,
    answer_all,
    days_ago,
    expected_statuses,
    make_round,
    register,
)

Status = DeepDiveAnswer.Status


class ReviewTestCase(LeaderTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task = cls.course.deep_dive_tasks.get()
        cls.answer = DeepDiveAnswer.objects.create(
            registration=cls.reg,
            task=cls.task,
            text="Barnets röst syns i utredningen.",
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ReviewServiceTests(ReviewTestCase):
    def review(self, **kwargs):
        kwargs.setdefault("by", self.trainer_x)
        with self.captureOnCommitCallbacks(execute=True):
            return review_answer(self.answer, **kwargs)

    def test_approving(self):
        answer = self.review(approve=True, feedback=" Bra! ")
        self.assertEqual(answer.status, Status.APPROVED)
        self.assertEqual(answer.feedback, "Bra!")
        self.assertEqual(answer.reviewed_by, self.trainer_x)
        self.assertIsNotNone(answer.reviewed_at)
        self.assertTrue(AuditEvent.objects.filter(action="deep_dive.approved").exists())
        [message] = mail.outbox
        self.assertEqual(message.to, [self.participant.email])
        self.assertIn("godkänd", message.subject)
        self.assertNotIn("Bra!", message.body)  # the feedback is read in the platform

    def test_asking_for_more_needs_feedback(self):
        with self.assertRaisesMessage(ReviewError, "Write what more is needed"):
            self.review(approve=False, feedback="   ")
        self.answer.refresh_from_db()
        self.assertEqual(self.answer.status, Status.SUBMITTED)
        answer = self.review(approve=False, feedback="Beskriv barnets återkoppling.")
        self.assertEqual(answer.status, Status.NEEDS_MORE)
        self.assertIn("kompletteras", mail.outbox[0].subject)
        self.assertTrue(AuditEvent.objects.filter(action="deep_dive.needs_more").exists())

    def test_only_answers_waiting_for_review(self):
        self.review(approve=True)
        with self.assertRaisesMessage(ReviewError, "no longer waiting for review"):
            self.review(approve=False, feedback="Mer")
        DeepDiveAnswer.objects.filter(pk=self.answer.pk).update(status=Status.DRAFT)
        with self.assertRaisesMessage(ReviewError, "no longer waiting for review"):
            self.review(approve=True)

    def test_only_those_who_run_the_round_review(self):
        for person in [self.coordinator_y, self.participant, self.manager_a, self.editor]:
            with (
                self.subTest(person=person.email),
                self.assertRaisesMessage(ReviewError, "may not review"),
            ):
                self.review(approve=True, by=person)
        self.review(approve=True, by=self.course_leader_x)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ReviewPageTests(ReviewTestCase):
    def url(self):
        return reverse("leader:review", args=[self.round.pk])

    def post_url(self, answer=None):
        return reverse("leader:review_answer", args=[self.round.pk, (answer or self.answer).pk])

    def test_who_may_open_the_page(self):
        self.statuses("get", self.url(), expected_statuses())

    def test_who_may_review(self):
        expected = expected_statuses(coordinator_x=302)
        for persona in ["trainer_x", "course_leader_x", "admin"]:
            del expected[persona]  # the first 302 approves; the others are covered above
        self.statuses(
            "post", self.post_url(), expected, {f"svar-{self.answer.pk}-decision": "approve"}
        )
        self.answer.refresh_from_db()
        self.assertEqual(self.answer.status, Status.APPROVED)

    def test_the_page_lists_the_answers_waiting(self):
        answer_all(self.kumla_reg, Status.APPROVED)
        self.login(self.trainer_x)
        response = self.client.get(self.url())
        self.assertContains(response, "Barnets röst syns i utredningen.")
        self.assertEqual(list(response.context["answers"]), [self.answer])
        self.assertEqual(response.context["counts"]["approved"], 1)

    def test_approve_from_the_page(self):
        self.login(self.course_leader_x)
        prefix = f"svar-{self.answer.pk}"
        response = self.client.post(
            self.post_url(), {f"{prefix}-decision": "approve", f"{prefix}-feedback": ""}
        )
        self.assertRedirects(response, self.url())
        self.answer.refresh_from_db()
        self.assertEqual(self.answer.status, Status.APPROVED)

    def test_ask_for_more_without_feedback_is_400(self):
        self.login(self.course_leader_x)
        prefix = f"svar-{self.answer.pk}"
        response = self.client.post(
            self.post_url(), {f"{prefix}-decision": "more", f"{prefix}-feedback": " "}
        )
        self.assertContains(response, "Write what more is needed", status_code=400)
        self.answer.refresh_from_db()
        self.assertEqual(self.answer.status, Status.SUBMITTED)
        response = self.client.post(
            self.post_url(), {f"{prefix}-decision": "more", f"{prefix}-feedback": "Utveckla."}
        )
        self.assertEqual(response.status_code, 302)
        self.answer.refresh_from_db()
        self.assertEqual(self.answer.status, Status.NEEDS_MORE)
        self.assertEqual(self.answer.feedback, "Utveckla.")

    def test_an_answer_already_reviewed_is_400_with_the_reason(self):
        DeepDiveAnswer.objects.filter(pk=self.answer.pk).update(status=Status.APPROVED)
        self.login(self.trainer_x)
        prefix = f"svar-{self.answer.pk}"
        response = self.client.post(self.post_url(), {f"{prefix}-decision": "approve"})
        self.assertContains(response, "no longer waiting for review", status_code=400)

    def test_a_bad_decision_is_400(self):
        self.login(self.trainer_x)
        response = self.client.post(self.post_url(), {f"svar-{self.answer.pk}-decision": "x"})
        self.assertEqual(response.status_code, 400)

    def test_an_answer_of_another_round_is_404(self):
        other = make_round(self.course, self.region_x, name="Annan", first_day=days_ago(40))
        registration = register(other, self.colleague)
        answer = DeepDiveAnswer.objects.create(
            registration=registration, task=self.task, text="x", status=Status.SUBMITTED
        )
        self.login(self.trainer_x)
        response = self.client.post(
            self.post_url(answer), {f"svar-{answer.pk}-decision": "approve"}
        )
        self.assertEqual(response.status_code, 404)

    def test_queries_do_not_grow_with_the_answers(self):
        self.login(self.trainer_x)
        small = count_queries(self.client, self.url())
        for registration in add_people(self.round, 15, prefix="svar", unit=self.unit_kumla):
            answer_all(registration, Status.SUBMITTED)
        large = count_queries(self.client, self.url())
        self.assertEqual(small, large)
        self.assertLessEqual(large, 10)
        self.assertEqual(len(self.client.get(self.url()).context["answers"]), 16)
