"""Background tasks of the reports, in the worker (`manage.py db_worker`): large exports.
Tasks take primary keys and read the database when they run."""

from django_tasks import task


@task()
def build_export(job_id):
    """Build one export (reports.services.run_export)."""
    from . import services  # services imports this module to enqueue

    services.run_export(job_id)
