"""manage.py send_reminders: each registered participant, once per day, N days before."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesresan.core.mail import resend
from yrkesresan.core.models import OutboundEmail
from yrkesresan.core.testing import make_person, years_ago
from yrkesresan.enrolment.services import cancel_registration, register
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

from ..models import SentReminder
from ..reminders import due_reminders, send_due_reminders
from .helpers import RoundTestCase, sent_to


def run():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


@override_settings(REMINDER_DAYS_BEFORE=2)
class SendRemindersTests(RoundTestCase):
    def setUp(self):
        today = timezone.localdate()
        # Day 1 is in two days, day 2 nine days later.
        self.round.days.update(date=today)
        for day in self.round.days.all():
            day.date = today + datetime.timedelta(days=2 + 7 * (day.number - 1))
            day.save()
        self.round.seats = 2
        self.round.save()
        self.seated = register(self.participant, self.round, by=self.manager_a)
        self.kumla = register(self.kumla_participant, self.round, by=self.manager_kumla)
        self.waiting = register(self.other_unit_participant, self.round, by=self.contact_eskilstuna)

    def test_the_help_states_the_rule(self):
        from ..management.commands.send_reminders import Command

        self.assertIn("REMINDER_DAYS_BEFORE", Command.help)
        self.assertIn("once", Command.help)

    def test_everyone_with_a_seat_but_not_the_waiting_list_is_reminded_in_two_days(self):
        output = run()
        self.assertIn("2", output)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.participant.email, self.kumla_participant.email]),
        )
        [message] = sent_to(self.participant.email)
        day = self.round.days.get(number=1)
        self.assertIn("Påminnelse", message.subject)
        self.assertIn(self.course.title, message.subject)
        self.assertIn(f"{day.date.day} ", message.subject)
        self.assertIn("Om 2 dagar är det dag 1", message.body)
        self.assertIn("Stadshuset, Sal 3", message.body)
        self.assertEqual(SentReminder.objects.filter(day=day).count(), 2)

    def test_running_again_the_same_day_sends_nothing_twice(self):
        run()
        mail.outbox.clear()
        output = run()
        self.assertEqual(mail.outbox, [])
        self.assertIn("0", output)
        self.assertEqual(SentReminder.objects.count(), 2)

    def test_a_seat_given_after_the_run_is_reminded_on_the_next_run(self):
        run()
        cancel_registration(self.kumla, by=self.manager_kumla, reason="Sjuk")  # promotes
        mail.outbox.clear()
        run()
        self.assertEqual([m.to[0] for m in mail.outbox], [self.other_unit_participant.email])

    def test_cancelled_registrations_are_not_reminded(self):
        cancel_registration(self.waiting, by=self.contact_eskilstuna, reason="Byter kurs")
        cancel_registration(self.kumla, by=self.manager_kumla, reason="Sjuk")
        run()
        self.assertEqual([m.to[0] for m in mail.outbox], [self.participant.email])

    def test_days_at_another_distance_are_not_reminded(self):
        with override_settings(REMINDER_DAYS_BEFORE=3):
            run()
        self.assertEqual(mail.outbox, [])

    def test_a_digital_day_reminder_has_the_link(self):
        with override_settings(REMINDER_DAYS_BEFORE=9):
            run()
        [message] = sent_to(self.participant.email)
        self.assertIn("https://meet.example.se/yrkesresan", message.body)
        self.assertIn("dag 2", message.subject)

    def test_cancelled_and_draft_rounds_send_no_reminders(self):
        for status in [Round.Status.CANCELLED, Round.Status.DRAFT]:
            Round.objects.filter(pk=self.round.pk).update(status=status)
            with self.subTest(status=status):
                run()
                self.assertEqual(mail.outbox, [])

    def test_a_failed_send_waits_in_the_outbox_and_is_not_queued_twice(self):
        with (
            override_settings(
                EMAIL_BACKEND="yrkesresan.notifications.tests.test_send_reminders.FailingBackend"
            ),
            self.assertLogs("yrkesresan.core.mail", "WARNING"),
        ):
            self.assertEqual(send_due_reminders(), 2)
        self.assertEqual(mail.outbox, [])
        waiting = OutboundEmail.objects.filter(sent_at__isnull=True)
        self.assertEqual(waiting.count(), 2)
        self.assertEqual(set(waiting.values_list("round_id", flat=True)), {self.round.pk})
        # The next run queues nothing again; the outbox delivers what waits.
        self.assertEqual(send_due_reminders(), 0)
        self.assertEqual(resend(waiting), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_finding_the_due_reminders_does_not_grow_with_rounds_or_people(self):
        today = timezone.localdate()
        with CaptureQueriesContext(connection) as first:
            self.assertEqual(len(due_reminders(today)), 2)
        other = make_round(self.course, self.region_x, name="Omgång 9")
        other.days.filter(number=1).update(date=self.round.days.get(number=1).date)
        register(self.colleague, other, by=self.manager_a, step_mismatch_reason="Ny.")
        # Someone not waiting in the first round: one place per course.
        newcomer = make_person("ny@example.com", unit=self.unit_a2, started=years_ago(1))
        register(newcomer, other, by=self.contact_eskilstuna)
        with self.assertNumQueries(len(first.captured_queries)):
            self.assertEqual(len(due_reminders(today)), 4)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")
