"""Background work runs exactly once per task across workers (docs/scaling.md).

Two real `manage.py db_worker` processes share one queue of tasks in PostgreSQL; django-tasks'
database backend claims each row with SELECT … FOR UPDATE SKIP LOCKED. Each run of the task
appends a line to a counter file; every task must be counted exactly once, and both workers
must have taken part. SQLite has no row locks to skip, so the test needs PostgreSQL.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .tasks import tally

ROOT = Path(__file__).resolve().parents[3]
TASKS = 300

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two workers claiming tasks need PostgreSQL (set DATABASE_URL)",
    ),
]


def database_url():
    """The test database's URL, for the workers."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def start_worker(name):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("REPLICA_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--worker-id", name, "--interval", "0.05",
         "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_workers_run_every_task_exactly_once(tmp_path):
    counter = tmp_path / "counter"
    # Queued to run a few seconds from now, when both workers are up and polling.
    start_at = timezone.now() + datetime.timedelta(seconds=4)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for number in range(TASKS):
            tally.using(run_after=start_at).enqueue(str(counter), number)
    workers = [start_worker("worker-a"), start_worker("worker-b")]
    try:
        deadline = time.monotonic() + 120
        while DBTaskResult.objects.exclude(status="SUCCESSFUL").exists():
            assert time.monotonic() < deadline, "the workers did not finish in 120 s"
            assert all(w.poll() is None for w in workers), workers[0].stderr.read()
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)

    runs = Counter(int(line.split()[0]) for line in counter.read_text().splitlines())
    assert sorted(runs) == list(range(TASKS)), "a task never ran"
    assert set(runs.values()) == {1}, f"tasks ran twice: {[n for n, c in runs.items() if c > 1]}"
    claimed_by = Counter(
        tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )
    assert set(claimed_by) == {("worker-a",), ("worker-b",)}, claimed_by
