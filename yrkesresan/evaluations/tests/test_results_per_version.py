"""Evaluation results of a course read per course version: the comparison page filtered to
the rounds that taught one version."""

from django.test import override_settings
from django.urls import reverse

from ..services import move_sealed_answers, submit_evaluation
from .helpers import TwoVersionsTestCase, answers_for, complete_many


@override_settings(LANGUAGE_CODE="en")
class ResultsPerVersionTests(TwoVersionsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for invitation in [cls.invitation, *complete_many(cls.round, 5, cls.unit_a)]:
            submit_evaluation(invitation, answers_for(cls.round, form=2))
        for invitation in complete_many(cls.later, 6, cls.unit_a2):
            submit_evaluation(invitation, answers_for(cls.later, form=5))
        # The answers reach the results in batches, after the answering (services.py).
        for round in [cls.round, cls.later]:
            move_sealed_answers(round.pk, force=True)
        cls.url = reverse("evaluations:course_comparison", args=[cls.course.slug])

    def test_the_results_can_be_read_for_one_version(self):
        self.login(self.editor)
        every = self.client.get(self.url).context["comparison"]
        self.assertEqual(every.responses, 12)
        only = self.client.get(self.url, {"version": self.v21.pk})
        self.assertEqual(only.context["comparison"].responses, 6)
        self.assertContains(only, f'<option value="{self.v21.pk}" selected>2.1</option>', html=True)
        self.assertEqual(
            self.client.get(self.url, {"version": self.v20.pk}).context["comparison"].responses, 6
        )

    def test_an_unknown_version_shows_every_round(self):
        self.login(self.editor)
        self.assertEqual(
            self.client.get(self.url, {"version": "x"}).context["comparison"].responses, 12
        )
