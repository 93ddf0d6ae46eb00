"""Anonymity by construction: nothing stored with an answer, nor written when answering, nor
shown in the admin, links an answer to the person who gave it."""

import re

from django.contrib import admin
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesresan.core.models import AuditEvent
from yrkesresan.rounds.models import CourseDay, Round

from ..models import Answer, Invitation, Question, Response
from ..services import submit_evaluation
from .helpers import EvaluationTestCase, answers_for, usefulness

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


def related_models(model):
    return {f.related_model for f in model._meta.get_fields() if f.is_relation}


def written_tables(queries):
    return {m.group(1) for q in queries if (m := WRITE.match(q["sql"]))}


class StoredAnswersTests(EvaluationTestCase):
    def test_a_response_relates_only_to_its_round_and_its_answers(self):
        self.assertEqual(related_models(Response), {Round, Answer})

    def test_an_answer_relates_only_to_its_response_question_and_course_day(self):
        self.assertEqual(related_models(Answer), {Response, Question, CourseDay})

    def test_no_field_of_a_response_or_answer_holds_a_time(self):
        for model in [Response, Answer]:
            for field in model._meta.get_fields():
                self.assertNotIsInstance(field, TIME_FIELDS, f"{model.__name__}.{field.name}")

    def test_ids_are_random_so_their_order_is_not_the_order_of_answering(self):
        self.assertIsInstance(Response._meta.pk, models.UUIDField)
        self.assertIsInstance(Answer._meta.pk, models.UUIDField)

    def test_an_invitation_has_no_link_to_any_response(self):
        self.assertFalse(related_models(Invitation) & {Response, Answer})
        field_names = {f.name for f in Invitation._meta.get_fields()}
        self.assertNotIn("answered_at", field_names)


class AnsweringWritesTests(EvaluationTestCase):
    def test_answering_writes_the_response_its_answers_and_the_flag_and_nothing_else(self):
        audit_before = AuditEvent.objects.count()
        with CaptureQueriesContext(connection) as context:
            submit_evaluation(self.invitation, answers_for(self.round, words="Bra kurs."))
        self.assertEqual(
            written_tables(context.captured_queries),
            {"evaluations_sealedanswers", "evaluations_invitation"},
        )
        self.assertEqual(AuditEvent.objects.count(), audit_before)

    def test_answering_through_the_page_writes_no_audit_event_or_other_row(self):
        self.client.force_login(self.participant)
        url = reverse("evaluations:answer", args=[self.round.pk])
        day = self.round.days.get(number=1)
        with CaptureQueriesContext(connection) as context:
            response = self.client.post(url, {f"day-{day.pk}-q{usefulness().pk}": "4"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            written_tables(context.captured_queries),
            {"evaluations_sealedanswers", "evaluations_invitation"},
        )
        self.assertFalse(AuditEvent.objects.filter(object_type__startswith="evaluations").exists())

    def test_the_invitation_keeps_no_trace_of_when_it_was_answered(self):
        before = Invitation.objects.filter(pk=self.invitation.pk).values().get()
        submit_evaluation(self.invitation, answers_for(self.round))
        after = Invitation.objects.filter(pk=self.invitation.pk).values().get()
        self.assertEqual({k: v for k, v in after.items() if before[k] != v}, {"answered": True})


class AdminTests(EvaluationTestCase):
    def test_only_the_questions_are_in_the_admin(self):
        self.assertTrue(admin.site.is_registered(Question))
        for model in [Response, Answer, Invitation]:
            self.assertFalse(admin.site.is_registered(model), model.__name__)

    def test_no_admin_page_shows_responses_or_answers_inline(self):
        for model_admin in admin.site._registry.values():
            for inline in model_admin.inlines:
                self.assertNotIn(inline.model, {Response, Answer, Invitation}, model_admin)

    def test_an_administrator_finds_no_admin_page_for_answers(self):
        submit_evaluation(self.invitation, answers_for(self.round))
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get("/admin/evaluations/response/").status_code, 404)
        self.assertEqual(self.client.get("/admin/evaluations/answer/").status_code, 404)
        self.assertEqual(self.client.get("/admin/evaluations/invitation/").status_code, 404)
        self.assertEqual(self.client.get("/admin/evaluations/question/").status_code, 200)
