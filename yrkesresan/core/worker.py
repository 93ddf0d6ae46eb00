"""Taking up the tasks of a worker that died: a heartbeat per worker, and a lease on its tasks.

django-tasks-db claims a task by marking its row RUNNING with the worker's id (`worker_ids`,
the last one is the current holder) and nothing else: a worker killed mid-task (SIGKILL, a
machine gone) leaves the row RUNNING for ever. So each worker (`manage.py db_worker`, see
core/management/commands/db_worker.py) beats: a thread writes its `WorkerHeartbeat` every
TASK_HEARTBEAT_SECONDS, and then puts back in the queue every RUNNING task whose holder has
not beaten for TASK_WORKER_LEASE_SECONDS. A task so taken up runs again from its start, so
tasks must be idempotent: the e-mail tasks are (core.mail).

A worker that is alive keeps its tasks, however long they run. A worker that hangs but beats
is not detected: that is what its process supervisor's timeout is for.

A worker started again under the id of one that died (a supervisor restarting `worker1`) beats
under that id, so the lease alone would never free what its predecessor held: on starting, it
first puts back in the queue the RUNNING tasks held under its own id (`release_own_tasks`).
Worker ids must be unique among the workers alive, as django-tasks-db requires.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import OutboundEmail, WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id, now=None):
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})


def recover_stale_tasks(now=None):
    """Put RUNNING tasks whose worker stopped beating back in the queue; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_WORKER_LEASE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    recovered = _requeue(running, lambda ids: not ids or ids[-1] not in alive)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return recovered


def release_own_tasks(worker_id):
    """Put back in the queue the RUNNING tasks held under `worker_id`: called by a worker that
    is starting, so they were held by an earlier process with its id, one that died. Returns
    how many."""
    return _requeue(DBTaskResult.objects.running(), lambda ids: bool(ids) and ids[-1] == worker_id)


def _requeue(running, dead):
    """Put back in the queue the tasks of `running` whose worker ids (the last one holds the
    task) `dead` says belong to a worker that stopped; returns how many."""
    requeued = 0
    for task_id, worker_ids, started_at in running.values_list("id", "worker_ids", "started_at"):
        if not dead(worker_ids):
            continue
        # Only if nobody changed the row meanwhile (the worker finishing after all).
        requeued += DBTaskResult.objects.filter(
            pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("Task %s of a worker that stopped (%s) is queued again", task_id, worker_ids)
    return requeued


def prune_sent_email(now=None):
    """Delete outbox rows sent more than EMAIL_KEEP_DAYS ago (they hold names and addresses);
    returns how many. Undelivered rows stay until they are sent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EMAIL_KEEP_DAYS)
    deleted, _by_model = OutboundEmail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


class Heartbeat(threading.Thread):
    """The worker's heartbeat thread (a daemon: it dies with the worker)."""

    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.pruned_at = None

    def run(self):
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                recover_stale_tasks()
                now = timezone.now()
                if self.pruned_at is None or now - self.pruned_at > datetime.timedelta(hours=1):
                    prune_sent_email(now)
                    self.pruned_at = now
            except OperationalError:
                logger.exception("Heartbeat of worker %s failed", self.worker_id)
            self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS)
