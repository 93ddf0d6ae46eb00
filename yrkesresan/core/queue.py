"""Queueing background work with the write that needs it: queued if, and only if, it commits.

`transaction.on_commit(task.enqueue)` has a gap: a process that dies between its commit and its
on-commit callbacks (an application node killed, a machine gone) has written the registration
but never queues its e-mail, and a client that retries is told the registration exists, so no
e-mail is ever sent. With django-tasks' database backend the queued task is an ordinary row in
the same database: `enqueue_on_commit` writes it inside the caller's transaction, so the task
and the write that needs it are committed together or not at all (the worker cannot see the
row before the commit). Other backends (the tests' immediate one would run the task before the
commit) are queued on commit, robustly: a queue that fails after the commit is logged and does
not turn a write that succeeded into an error page.
"""

from functools import partial

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_on_commit(task, *args, **kwargs):
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)
