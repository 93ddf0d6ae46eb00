"""manage.py send_evaluation_reminders: one reminder per unanswered invitation, never two."""

import datetime
import io

from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ..management.commands.send_evaluation_reminders import Command
from ..models import Invitation
from ..services import remind_unanswered, submit_evaluation
from ..tasks import send_evaluation_reminder
from .helpers import EvaluationTestCase, answers_for, complete, completed_round


def run(*args):
    out = io.StringIO()
    call_command("send_evaluation_reminders", *args, stdout=out)
    return out.getvalue()


def opened(invitation, days_ago):
    Invitation.objects.filter(pk=invitation.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


class SendEvaluationRemindersTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.recent = complete(cls.colleague, cls.round)
        cls.done = complete(cls.other_unit_participant, cls.round)
        round_2 = completed_round(cls.course, cls.region_x, name="Omgång 2")
        cls.kumla = complete(cls.kumla_participant, round_2)

    def setUp(self):
        opened(self.invitation, 8)
        opened(self.recent, 3)
        opened(self.done, 20)
        opened(self.kumla, 7)
        submit_evaluation(self.done, answers_for(self.round))

    def run_command(self, *args):
        with self.captureOnCommitCallbacks(execute=True):
            return run(*args)

    def test_the_help_states_the_rule(self):
        self.assertIn("once", Command.help)
        self.assertIn("7", Command.help)
        self.assertIn("never", Command.help)

    def test_unanswered_invitations_a_week_old_are_reminded(self):
        output = self.run_command()
        self.assertIn("2", output)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.participant.email, self.kumla_participant.email]),
        )
        message = next(m for m in mail.outbox if m.to == [self.participant.email])
        self.assertIn(self.course.title, message.subject)
        self.assertIn(reverse("evaluations:answer", args=[self.round.pk]), message.body)
        self.assertIn("anonymt", message.body)
        self.assertIn("enda påminnelsen", message.body)
        reminded = set(Invitation.objects.filter(reminded=True).values_list("pk", flat=True))
        self.assertEqual(reminded, {self.invitation.pk, self.kumla.pk})

    def test_a_second_run_sends_nothing(self):
        self.run_command()
        mail.outbox.clear()
        output = self.run_command()
        self.assertEqual(mail.outbox, [])
        self.assertIn("0", output)

    def test_never_again_even_weeks_later(self):
        self.run_command()
        opened(self.invitation, 40)
        mail.outbox.clear()
        self.run_command()
        self.assertNotIn([self.participant.email], [m.to for m in mail.outbox])

    def test_a_newer_invitation_is_reminded_once_it_is_old_enough(self):
        self.run_command()
        mail.outbox.clear()
        opened(self.recent, 7)
        self.run_command()
        self.assertEqual([m.to for m in mail.outbox], [[self.colleague.email]])

    def test_the_number_of_days_can_be_given(self):
        self.run_command("--days", "2")
        self.assertIn([self.colleague.email], [m.to for m in mail.outbox])
        with self.assertRaises(CommandError):
            run("--days", "-1")

    def test_answered_and_inactive_people_are_not_reminded(self):
        self.kumla_participant.is_active = False
        self.kumla_participant.save()
        self.run_command()
        self.assertEqual([m.to for m in mail.outbox], [[self.participant.email]])
        self.assertFalse(Invitation.objects.get(pk=self.done.pk).reminded)

    def test_an_invitation_answered_before_its_reminder_goes_gets_none(self):
        remind_unanswered()  # queued, not run: the on-commit callbacks are not executed
        submit_evaluation(self.invitation, answers_for(self.round))
        self.assertEqual(send_evaluation_reminder.call(self.invitation.pk), 0)
        self.assertEqual(send_evaluation_reminder.call(999999), 0)
        self.assertEqual(mail.outbox, [])
