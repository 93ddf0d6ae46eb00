"""move_evaluation_answers: sealed answers move in batches of five, the last few once a round
has stopped inviting."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from ..models import Invitation, Response, SealedAnswers
from ..services import BATCH_SIZE, CLOSE_AFTER_DAYS, move_sealed_answers, submit_evaluation
from .helpers import EvaluationTestCase, answers_for, complete_many


class MoveTests(EvaluationTestCase):
    def answer(self, invitations):
        for invitation in invitations:
            submit_evaluation(invitation, answers_for(self.round, words="Bra."))

    def test_answers_wait_sealed_until_a_batch_of_five_is_there(self):
        invitations = complete_many(self.round, BATCH_SIZE, self.unit_a)
        self.answer(invitations[:4])
        self.assertEqual(move_sealed_answers(self.round.pk), 0)
        self.assertEqual(Response.objects.count(), 0)
        self.answer(invitations[4:])
        self.assertEqual(move_sealed_answers(self.round.pk), BATCH_SIZE)
        self.assertEqual(Response.objects.filter(round=self.round).count(), BATCH_SIZE)
        self.assertFalse(SealedAnswers.objects.exists())

    def test_the_command_moves_the_last_few_once_the_round_stopped_inviting(self):
        self.answer([self.invitation, *complete_many(self.round, 1, self.unit_a)])
        out = StringIO()
        call_command("move_evaluation_answers", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Moved 0 evaluation responses.")
        Invitation.objects.filter(round=self.round).update(
            opened_at=timezone.now() - datetime.timedelta(days=CLOSE_AFTER_DAYS + 1)
        )
        call_command("move_evaluation_answers", stdout=out)
        self.assertIn("Moved 2 evaluation responses.", out.getvalue())
        self.assertEqual(Response.objects.filter(round=self.round).count(), 2)
