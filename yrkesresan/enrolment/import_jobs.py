"""Writes of the background import: big files are applied by the worker, with a progress bar.

A file of more than `settings.IMPORT_BACKGROUND_ROWS` rows would hold the request for long, so
the confirm step queues an `ImportJob` instead (`start`), and the worker runs it (`run`): it
reads the job's rows again and applies them with `imports.apply`, the very function the
synchronous import calls, which checks every row again under the round's lock. All rows or
none, as on the synchronous path.

The import is one transaction; its progress is written outside it, through a connection of
its own on PostgreSQL, so that the job page sees the bar move while the import runs. (SQLite
allows one writer at a time: there the progress is written on the import's own connection and
shows when it commits.)
"""

import datetime
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from yrkesresan.core.errors import DomainError
from yrkesresan.core.queue import enqueue_on_commit

from . import imports, tasks
from .models import ImportJob

logger = logging.getLogger(__name__)

# The bar moves every this many steps (a step is a row checked or a row registered).
PROGRESS_EVERY = 20


def runs_in_background(rows):
    """True if importing `rows` is the worker's job rather than the request's."""
    return len(rows) > settings.IMPORT_BACKGROUND_ROWS


def start(round, by, rows, file_name=""):
    """Queue the import of `rows` (ImportRow.as_dict()s) into `round` by `by`; the job.

    The job and its task are written in one transaction (core.queue)."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=by, round=round, rows=rows, rows_total=len(rows), file_name=file_name[:255]
        )
        enqueue_on_commit(tasks.run_import, job.pk)
    return job


class _Progress:
    """Counts steps and writes them to the job every PROGRESS_EVERY steps, outside the
    import's transaction where the database allows a second writer."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.steps = 0
        self.own = None
        if connection.vendor == "postgresql":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self):
        self.steps += 1
        if self.steps % PROGRESS_EVERY == 0:
            self.write(steps_done=self.steps)

    def write(self, **values):
        if self.own is None:
            ImportJob.objects.filter(pk=self.job_id).update(**values)
            return
        # The ORM's own UPDATE, run on the separate connection (autocommit).
        query = ImportJob.objects.filter(pk=self.job_id).query.chain(UpdateQuery)
        query.add_update_values(values)
        try:
            query.get_compiler(connection=self.own).execute_sql(ROW_COUNT)
        except DatabaseError:  # the bar is a courtesy: never fail the import for it
            logger.warning("Could not record the progress of import %s", self.job_id)

    def close(self):
        if self.own is not None:
            self.own.close()


def _problem_sentence(problem):
    values = {"line": problem.line, "field": problem.label, "message": problem.message}
    if problem.line is None:
        return str(problem.message)
    if problem.field:
        return _("Line %(line)s, %(field)s: %(message)s") % values
    return _("Line %(line)s: %(message)s") % values


def _problems(plan):
    return [_problem_sentence(problem) for problem in plan.problems]


def _refusal(plan):
    bad_lines = len({problem.line for problem in plan.problems if problem.line is not None})
    if not bad_lines:
        return _("Nothing was registered: %(reason)s") % {
            "reason": " ".join(problem.message for problem in plan.general_problems)
        }
    return ngettext(
        "Nothing was registered: %(count)s row has problems. Correct the file and import it again.",
        "Nothing was registered: %(count)s rows have problems. Correct the file and import it "
        "again.",
        bad_lines,
    ) % {"count": bad_lines}


def prune_finished(now=None):
    """Delete the jobs that ended more than IMPORT_JOB_KEEP_DAYS ago: a refused job's sentences
    name people and addresses. Each background import prunes before it runs; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_JOB_KEEP_DAYS)
    deleted, _by_model = ImportJob.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


def run(job_id):
    """Apply the import `job_id` and record its result; a refusal or failure is recorded as a
    sentence on the job. The job's rows are dropped when it ends."""
    job = ImportJob.objects.select_related("owner", "round").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    prune_finished()
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING, steps_done=0)
    progress = _Progress(job_id)
    # The job's sentences are read by the job's page in the site's language.
    with override(settings.LANGUAGE_CODE):
        try:
            rows = [imports.ImportRow.from_dict(data) for data in job.rows]
            result = imports.apply(rows, job.round, job.owner, progress=progress)
        except imports.ImportRejected as rejected:
            outcome = {
                "status": ImportJob.Status.FAILED,
                "error": _refusal(rejected.plan),
                "result": {"problems": _problems(rejected.plan)},
            }
        except DomainError as error:
            outcome = {"status": ImportJob.Status.FAILED, "error": str(error)}
        except Exception:
            logger.exception("Import %s failed", job_id)
            outcome = {
                "status": ImportJob.Status.FAILED,
                "error": _("The import failed unexpectedly. Nothing was registered."),
            }
        else:
            outcome = {
                "status": ImportJob.Status.DONE,
                "steps_done": job.rows_total * 2,
                "result": {
                    "registered": result.registered_count,
                    "waitlisted": result.waitlisted_count,
                    "new_accounts": result.new_account_count,
                    "problems": [],
                },
            }
        finally:
            progress.close()
    ImportJob.objects.filter(pk=job_id).update(rows=[], finished_at=timezone.now(), **outcome)
