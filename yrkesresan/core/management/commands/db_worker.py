"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat that takes up dead workers'
tasks (core.worker). This app is listed before django_tasks_db, so this command is the one run.
"""

from django_tasks_db.management.commands import db_worker

from yrkesresan.core.worker import Heartbeat


class Command(db_worker.Command):
    help = db_worker.Command.help + (
        ", beating every TASK_HEARTBEAT_SECONDS and queueing again the tasks of workers that "
        "stopped beating"
    )

    def handle(self, *args, **options):
        # A batch run (tests, cron) ends when the queue is empty: it needs no lease.
        if not options["batch"]:
            Heartbeat(options["worker_id"]).start()
        return super().handle(*args, **options)
