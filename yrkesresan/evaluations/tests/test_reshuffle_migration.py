"""The data migration that writes the responses saved before sealing again (evaluations 0006):
the same answers, under new random ids."""

import importlib

from django.apps import apps

from ..models import Answer, Response
from .helpers import EvaluationTestCase, answers_for, complete_many, submit_and_move

reshuffle = importlib.import_module(
    "yrkesresan.evaluations.migrations.0006_reshuffle_existing_responses"
).reshuffle


def answers():
    return sorted(
        Answer.objects.values_list(
            "response__round", "question", "day", "day_mode", "score", "text"
        )
    )


class ReshuffleTests(EvaluationTestCase):
    def test_every_answer_is_kept_under_new_ids(self):
        for n, invitation in enumerate(
            [self.invitation, *complete_many(self.round, 3, self.unit_a)]
        ):
            submit_and_move(invitation, answers_for(self.round, useful=n + 1, words=f"Svar {n}"))
        before = answers()
        old_ids = set(Response.objects.values_list("pk", flat=True)) | set(
            Answer.objects.values_list("pk", flat=True)
        )
        per_response = sorted(
            tuple(sorted(r.answers.values_list("question", "day", "score", "text")))
            for r in Response.objects.all()
        )

        reshuffle(apps, None)

        self.assertEqual(answers(), before)
        self.assertEqual(Response.objects.filter(round=self.round).count(), 4)
        new_ids = set(Response.objects.values_list("pk", flat=True)) | set(
            Answer.objects.values_list("pk", flat=True)
        )
        self.assertFalse(old_ids & new_ids)
        # Each response keeps its own answers together.
        self.assertEqual(
            sorted(
                tuple(sorted(r.answers.values_list("question", "day", "score", "text")))
                for r in Response.objects.all()
            ),
            per_response,
        )
