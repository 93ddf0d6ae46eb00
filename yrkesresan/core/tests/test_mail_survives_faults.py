"""The fault test: real workers, a real SMTP server, a worker killed mid-send, the server down.

Afterwards every e-mail has reached the SMTP server exactly once. The workers are separate
processes (`manage.py db_worker`) on the test database, so the test needs a database that other
processes can open: PostgreSQL. (The SQLite test database lives in the test process's memory.)
"""

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from unittest import skipUnless

from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from yrkesresan.core.mail import send
from yrkesresan.core.models import OutboundEmail
from yrkesresan.core.testing import free_port

ROOT = Path(__file__).resolve().parents[3]
SMTP_PORT = free_port()
MESSAGES = 8
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Recorder:
    """An SMTP handler that counts what it accepted, and can answer slowly before the data."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()
        self.slow = True
        self.in_conversation = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.in_conversation.set()
        if self.slow:
            await asyncio.sleep(1)  # the worker waits here, mid-send
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.received[message["Message-ID"]] += 1
        return "250 Message accepted for delivery"


def worker_env():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "HTTPS": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "3",
        "EMAIL_RETRY_BASE_SECONDS": "1",
        "EMAIL_RETRY_MAX_SECONDS": "2",
        "EMAIL_MAX_ATTEMPTS": "50",
        "TASK_HEARTBEAT_SECONDS": "1",
        "TASK_WORKER_LEASE_SECONDS": "3",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@skipUnless(
    connection.vendor == "postgresql",
    "needs a database that the worker processes can open too: the SQLite test database is "
    "in the test process's memory (run with DATABASE_URL=postgres://...)",
)
@override_settings(TASKS=DATABASE_QUEUE)
class MailSurvivesFaultsTests(TransactionTestCase):
    def start_smtp(self, recorder):
        controller = Controller(recorder, hostname="127.0.0.1", port=SMTP_PORT)
        controller.start()
        return controller

    def start_worker(self, worker_id, env):
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                worker_id,
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.addCleanup(self.stop_process, process)
        return process

    def stop_process(self, process):
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stderr.close()

    def wait_for(self, condition, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        self.fail(f"gave up waiting for {what}")

    def test_every_e_mail_arrives_exactly_once_after_a_killed_worker_and_an_outage(self):
        send(
            [
                EmailMessage(f"Meddelande {n}", "Hej!", to=[f"person{n}@example.se"])
                for n in range(MESSAGES)
            ],
            key="fault-test",
        )
        recorder = Recorder()
        smtp = self.start_smtp(recorder)
        env = worker_env()
        workers = {name: self.start_worker(name, env) for name in ("worker-a", "worker-b")}

        # Kill the worker that holds a delivery while the mail server keeps it waiting.
        self.wait_for(recorder.in_conversation.is_set, 20, "a worker to start sending")
        running = DBTaskResult.objects.running().values_list("worker_ids", flat=True)
        victim = next(ids[-1] for ids in running if ids)
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait(timeout=10)

        # The mail server goes away for a while, then comes back quick.
        smtp.stop()
        time.sleep(2)
        recorder.slow = False
        smtp = self.start_smtp(recorder)
        self.addCleanup(smtp.stop)

        self.wait_for(
            lambda: not OutboundEmail.objects.filter(sent_at__isnull=True).exists(),
            25,
            "every e-mail to be sent",
        )
        rows = list(OutboundEmail.objects.all())
        self.assertEqual(len(rows), MESSAGES)
        self.assertEqual(
            recorder.received,
            Counter({row.content["headers"]["Message-ID"]: 1 for row in rows}),
        )
        # The outage was felt (some delivery failed and was tried again) ...
        self.assertTrue(any(row.attempts > 1 for row in rows))
        # ... and the killed worker's task was taken up by the other one.
        self.assertTrue(
            DBTaskResult.objects.filter(worker_ids__contains=[victim])
            .exclude(worker_ids=[victim])
            .exists()
        )
