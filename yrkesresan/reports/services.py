"""Writes of the reports: starting an export in the background and recording its progress;
keeping the counts of the evaluation answers that the physical/digital comparison reads."""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.evaluations.models import Answer, Question
from yrkesresan.evaluations.services import MODES as EVALUATION_MODES

from . import exports, tasks
from .models import ExportJob, ModeTally
from .statistics import SCORES

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
    enqueue_on_commit(tasks.build_export, job.pk)
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


def tally_rounds(round_ids=None):
    """Count again the day answers on a scale of the rounds `round_ids` (every round's when
    None) into ModeTally: a row per round, question and mode, replacing the rounds' rows.

    Called in the transaction that changed the answers (receivers.py); one grouped read of
    the rounds' answers, one delete and one insert."""
    answers = Answer.objects.filter(
        question__about=Question.About.DAY,
        question__kind=Question.Kind.SCALE,
        day_mode__in=EVALUATION_MODES,
        score__isnull=False,
    )
    tallies = ModeTally.objects.all()
    if round_ids is not None:
        answers = answers.filter(response__round_id__in=round_ids)
        tallies = tallies.filter(round_id__in=round_ids)
    rows = (
        answers.order_by()
        .values("response__round_id", "question_id", "day_mode")
        .annotate(
            people=Count("response", distinct=True),
            **{f"score_{score}": Count("pk", filter=Q(score=score)) for score in SCORES},
        )
    )
    with transaction.atomic():
        tallies.delete()
        ModeTally.objects.bulk_create(
            (
                ModeTally(round_id=row.pop("response__round_id"), mode=row.pop("day_mode"), **row)
                for row in rows
            ),
            batch_size=1000,
        )
