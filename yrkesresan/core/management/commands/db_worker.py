"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat that takes up dead workers'
tasks (core.worker). This app is listed before django_tasks_db, so this command is the one run.
A worker starting under the id of one that died first queues again what that one held.
"""

from django_tasks_db.management.commands import db_worker

from yrkesresan.core.worker import Heartbeat, release_own_tasks


class Command(db_worker.Command):
    help = db_worker.Command.help + (
        ", beating every TASK_HEARTBEAT_SECONDS and queueing again the tasks of workers that "
        "stopped beating"
    )

    def handle(self, *args, **options):
        release_own_tasks(options["worker_id"])
        # A batch run (tests, cron) ends when the queue is empty: it needs no lease.
        if not options["batch"]:
            Heartbeat(options["worker_id"]).start()
        return super().handle(*args, **options)
