"""The outbox (core.mail) and the worker's lease (core.worker), one behaviour at a time."""

import datetime
from unittest import mock

from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yrkesresan.core.mail import backoff, deliver, resend, send
from yrkesresan.core.models import OutboundEmail, WorkerHeartbeat
from yrkesresan.core.worker import beat, prune_sent_email, recover_stale_tasks

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMTP_DOWN = mock.patch(
    "django.core.mail.backends.locmem.EmailBackend.send_messages",
    side_effect=ConnectionRefusedError("mail server down"),
)


def message(subject="Välkommen", to="ny@example.se"):
    return EmailMessage(subject, "Hej!", to=[to])


class OutboxTests(TestCase):
    def test_a_line_break_in_a_subject_becomes_a_space(self):
        send([message("Omgång 3\r\nBcc: alla@example.se\n  i Eskilstuna")], key="k")
        [sent] = mail.outbox
        self.assertEqual(sent.subject, "Omgång 3 Bcc: alla@example.se i Eskilstuna")
        self.assertNotIn("Bcc", sent.message().keys())

    def test_the_same_key_stores_and_sends_a_message_once(self):
        self.assertEqual(send([message(), message(to="b@example.se")], key="task:1"), 2)
        self.assertEqual(send([message(), message(to="b@example.se")], key="task:1"), 0)
        self.assertEqual(OutboundEmail.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_batch_written_again_with_one_more_recipient_adds_only_that_message(self):
        send([message(to="a@example.se"), message(to="b@example.se")], key="task:2")
        again = [message(to="a@example.se"), message(to="c@example.se"), message(to="b@example.se")]
        self.assertEqual(send(again, key="task:2"), 1)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["a@example.se", "b@example.se", "c@example.se"]
        )

    def test_attachments_and_headers_survive_the_outbox(self):
        original = message()
        original.extra_headers["Auto-Submitted"] = "auto-generated"
        original.attach("lista.csv", "namn\nÅsa\n", "text/csv")
        original.attach("bild.png", b"\x89PNG\x00\xff", "image/png")
        send([original], key="k", round_id=7)
        [sent] = mail.outbox
        self.assertEqual(sent.extra_headers["Auto-Submitted"], "auto-generated")
        self.assertEqual(
            [(a.filename, a.content) for a in sent.attachments],
            [("lista.csv", "namn\nÅsa\n"), ("bild.png", b"\x89PNG\x00\xff")],
        )
        row = OutboundEmail.objects.get()
        self.assertEqual((row.round_id, row.recipients), (7, "ny@example.se"))
        self.assertEqual(sent.message()["Message-ID"], row.content["headers"]["Message-ID"])

    def test_a_message_already_sent_is_not_sent_again(self):
        send([message()], key="k")
        row = OutboundEmail.objects.get()
        self.assertEqual(deliver.call(row.pk), "skipped")
        self.assertEqual(resend([row]), 0)
        self.assertEqual(len(mail.outbox), 1)


@override_settings(TASKS=DATABASE_QUEUE, EMAIL_RETRY_BASE_SECONDS=60, EMAIL_MAX_ATTEMPTS=3)
class RetryTests(TestCase):
    def test_a_message_is_stored_with_its_delivery_task_and_nothing_is_sent_yet(self):
        send([message()], key="k")
        self.assertEqual(mail.outbox, [])
        row = OutboundEmail.objects.get()
        [queued] = DBTaskResult.objects.all()
        self.assertEqual(queued.task_path, "yrkesresan.core.mail.deliver")
        self.assertEqual(queued.args_kwargs["args"], [row.pk])

    def test_a_mail_server_outage_is_retried_with_growing_back_off_then_given_up(self):
        send([message()], key="k")
        row = OutboundEmail.objects.get()
        DBTaskResult.objects.all().delete()
        with SMTP_DOWN, self.assertLogs("yrkesresan.core.mail", "WARNING"):
            for _attempt in range(3):
                self.assertEqual(deliver.call(row.pk), "failed")
        row.refresh_from_db()
        self.assertEqual(row.attempts, 3)
        self.assertIn("mail server down", row.last_error)
        self.assertIsNotNone(row.gave_up_at)
        # Two retries were queued, the second later than the first; none after giving up.
        delays = [
            (run_after - row.created_at).total_seconds()
            for run_after in DBTaskResult.objects.order_by("run_after").values_list(
                "run_after", flat=True
            )
        ]
        self.assertEqual(len(delays), 2)
        self.assertLess(delays[0], delays[1])
        self.assertEqual([backoff(1), backoff(2), backoff(3)], [60, 120, 240])
        # A resend starts over and delivers it.
        self.assertEqual(resend([row]), 1)
        deliver.call(row.pk)
        row.refresh_from_db()
        self.assertIsNotNone(row.sent_at)
        self.assertEqual(len(mail.outbox), 1)


@override_settings(TASKS=DATABASE_QUEUE, TASK_WORKER_LEASE_SECONDS=60)
class LeaseTests(TestCase):
    def running_task(self, worker_id, started_minutes_ago):
        send([message(to=f"{worker_id}@example.se")], key=worker_id)
        task = DBTaskResult.objects.get(args_kwargs__args=[OutboundEmail.objects.latest("pk").pk])
        task.claim(worker_id)
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
        )
        return task

    def test_the_task_of_a_worker_that_stopped_beating_is_queued_again(self):
        dead = self.running_task("dead", started_minutes_ago=5)
        WorkerHeartbeat.objects.create(
            worker_id="dead", seen_at=timezone.now() - datetime.timedelta(minutes=4)
        )
        self.assertEqual(recover_stale_tasks(), 1)
        dead.refresh_from_db()
        self.assertEqual(dead.status, "READY")
        self.assertIn(dead, DBTaskResult.objects.ready())

    def test_a_beating_worker_keeps_its_long_task_and_a_fresh_claim_is_left_alone(self):
        slow = self.running_task("alive", started_minutes_ago=30)
        beat("alive")
        fresh = self.running_task("new", started_minutes_ago=0)
        self.assertEqual(recover_stale_tasks(), 0)
        for task in (slow, fresh):
            task.refresh_from_db()
            self.assertEqual(task.status, "RUNNING")

    def test_a_worker_started_again_under_its_old_id_runs_what_its_killed_predecessor_held(self):
        held = self.running_task("worker1", started_minutes_ago=0)
        other = self.running_task("worker2", started_minutes_ago=0)
        beat("worker1")  # the new worker1 beats at once: to the lease, worker1 is alive
        beat("worker2")
        self.assertEqual(recover_stale_tasks(), 0)

        # The worker closes connections it thinks stale between tasks: in a test's transaction
        # that would close the test's own (on PostgreSQL).
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--worker-id", "worker1", "--batch", "--no-startup-delay")

        held.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((held.status, held.worker_ids), ("SUCCESSFUL", ["worker1", "worker1"]))
        self.assertEqual(other.status, "RUNNING")
        self.assertEqual([m.to for m in mail.outbox], [["worker1@example.se"]])


@override_settings(EMAIL_KEEP_DAYS=30)
class PruneTests(TestCase):
    def test_sent_messages_are_deleted_after_the_keeping_time_and_undelivered_ones_kept(self):
        send([message(to="a@example.se"), message(to="b@example.se")], key="k")
        with SMTP_DOWN, self.assertLogs("yrkesresan.core.mail", "WARNING"):
            send([message(to="c@example.se")], key="down")
        old = timezone.now() - datetime.timedelta(days=31)
        OutboundEmail.objects.filter(recipients="a@example.se").update(sent_at=old)
        OutboundEmail.objects.filter(recipients="c@example.se").update(created_at=old)
        self.assertEqual(prune_sent_email(), 1)
        self.assertEqual(
            sorted(OutboundEmail.objects.values_list("recipients", flat=True)),
            ["b@example.se", "c@example.se"],
        )
