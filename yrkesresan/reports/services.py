"""Writes of the reports: starting an export in the background and recording its progress."""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError

from . import exports, tasks
from .models import ExportJob

logger = logging.getLogger(__name__)

# The filters an export keeps from the page's query: the only ones the reports read.
FILTERS = ("kurs", "termin", "stod")


class ExportError(DomainError):
    """An export that cannot be started; the message is a complete, translated sentence."""


class ExportRefused(ExportError):
    status = 403


def start_export(user, kind, query):
    """Queue the export of report `kind` with the page's filters for `user`; the job."""
    if kind not in ExportJob.Kind.values:
        raise ExportError(_("There is no such report to export."))
    if not exports.may_export(user, kind):
        raise ExportRefused(_("You may not export this report."))
    parameters = {name: query[name] for name in FILTERS if query.get(name)}
    job = ExportJob.objects.create(owner=user, kind=kind, parameters=parameters)
    transaction.on_commit(partial(tasks.build_export.enqueue, job.pk), robust=True)
    return job


def record_progress(job_id, percent):
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.RUNNING, progress=percent)


def run_export(job_id):
    """Build the export `job_id` and keep its file; a failure is recorded on the job."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    try:
        content, filename = exports.build(job, partial(record_progress, job_id))
    except PermissionDenied:
        message = _("You may no longer export this report.")
    except Exception:
        logger.exception("Export %s failed", job_id)
        message = _("The export failed. Try again, or tell the administrator if it fails again.")
    else:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.DONE, progress=100, content=content, filename=filename
        )
        return
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=message)
