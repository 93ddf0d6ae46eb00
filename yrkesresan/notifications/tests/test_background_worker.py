"""Nothing is sent inside a request: the request queues a task, the worker sends the e-mail."""

import io
import json
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from yrkesresan.accounts.models import ApiToken
from yrkesresan.enrolment.services import register

from .helpers import RoundTestCase, events, sent_to

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE)
class DatabaseQueueTests(RoundTestCase):
    def register_over_the_api(self, run_on_commit=True):
        token = ApiToken.issue(self.manager_a)
        with self.captureOnCommitCallbacks(execute=run_on_commit):
            response = self.client.post(
                reverse("api:round_registrations", args=[self.round.pk]),
                json.dumps({"email": self.participant.email}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        self.assertEqual(response.status_code, 201)

    def test_the_e_mail_is_queued_in_the_registrations_transaction_not_after_it(self):
        # An application node killed between its commit and its on-commit callbacks: none of
        # them run, and a client that retries is told the registration exists.
        self.register_over_the_api(run_on_commit=False)
        [queued] = DBTaskResult.objects.all()
        self.assertEqual(
            queued.task_path, "yrkesresan.notifications.tasks.send_registration_message"
        )

    def test_a_registration_rolled_back_leaves_no_e_mail_queued(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            register(self.participant, self.round, by=self.manager_a)
            self.assertEqual(DBTaskResult.objects.count(), 1)
            raise RuntimeError("the request fails after the registration")
        self.assertEqual(DBTaskResult.objects.count(), 0)

    def test_a_registration_request_queues_the_e_mail_and_sends_nothing(self):
        self.register_over_the_api()
        self.assertEqual(mail.outbox, [])
        [queued] = DBTaskResult.objects.all()
        self.assertEqual(
            queued.task_path, "yrkesresan.notifications.tasks.send_registration_message"
        )
        self.assertEqual(queued.status, "READY")
        # Primary keys, not objects, travel through the queue.
        self.assertEqual(queued.args_kwargs["args"][1:], ["registered", 1])

    def test_the_worker_sends_what_the_request_queued(self):
        self.register_over_the_api()
        # The worker closes connections it thinks are stale between tasks; inside a test's
        # transaction that would close the test's own connection (on PostgreSQL).
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO()
            )
        # The registration's task, then one delivery per message (participant and manager).
        self.assertEqual(
            sorted(DBTaskResult.objects.values_list("task_path", "status")),
            [
                ("yrkesresan.core.mail.deliver", "SUCCESSFUL"),
                ("yrkesresan.core.mail.deliver", "SUCCESSFUL"),
                ("yrkesresan.notifications.tasks.send_registration_message", "SUCCESSFUL"),
            ],
        )
        [message] = sent_to(self.participant.email)
        self.assertEqual(len(events(message)), 4)
        self.assertEqual(len(sent_to(self.manager_a.email)), 1)
