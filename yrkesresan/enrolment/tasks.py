"""E-mails about completion, reviews and make-up days, sent by the background worker.

Like yrkesresan/notifications/tasks.py: tasks take primary keys and read the database when they
run; a row deleted before then is skipped. Links are built at send time.
"""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from yrkesresan.core.mail import send, task_key
from yrkesresan.rounds.models import CourseDay

from .certificates import certificate_url, verification_url
from .models import Completion, DeepDiveAnswer, Registration

logger = logging.getLogger(__name__)
TEMPLATES = "learning/leader/email"


def _render(template, context):
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{TEMPLATES}/{template}", context)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _message(kind, person, context):
    context = {**context, "person": person, "site_url": settings.SITE_URL}
    return EmailMessage(
        subject=_render(f"{kind}_subject.txt", context).strip(),
        body=_render(f"{kind}.txt", context),
        to=[person.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def completion_message(completion):
    round = completion.registration.round
    evaluation_url = settings.SITE_URL + reverse("evaluations:answer", args=[round.pk])
    return _message(
        "completed",
        completion.person,
        {
            "completion": completion,
            "round": round,
            "certificate_url": certificate_url(completion),
            "verification_url": verification_url(completion),
            "evaluation_url": evaluation_url,
        },
    )


@task(takes_context=True)
def send_completion_message(context, completion_id):
    """Tell a person they completed a course: the certificate and the evaluation."""
    completion = (
        Completion.objects.select_related("person", "registration__round")
        .filter(pk=completion_id)
        .first()
    )
    if completion is None:
        logger.info("Completion %s is gone; no message sent", completion_id)
        return 0
    return send(
        [completion_message(completion)],
        key=task_key(context),
        round_id=completion.registration.round_id,
    )


@task(takes_context=True)
def send_review_message(context, answer_id):
    """Tell a participant their deep-dive answer was approved or needs more."""
    answer = (
        DeepDiveAnswer.objects.select_related("registration__person", "task__course")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None or answer.status not in (
        DeepDiveAnswer.Status.APPROVED,
        DeepDiveAnswer.Status.NEEDS_MORE,
    ):
        logger.info("Answer %s is gone or not reviewed; no message sent", answer_id)
        return 0
    values = {
        "answer": answer,
        "course": answer.task.course,
        "approved": answer.status == DeepDiveAnswer.Status.APPROVED,
    }
    return send(
        [_message("reviewed", answer.registration.person, values)],
        key=task_key(context),
        round_id=answer.registration.round_id,
    )


@task(takes_context=True)
def send_make_up_message(context, registration_id, day_id, kind):
    """Tell a participant a make-up day was booked for them ("booked") or cancelled."""
    registration = (
        Registration.objects.select_related("person", "round__course")
        .filter(pk=registration_id)
        .first()
    )
    day = CourseDay.objects.select_related("round", "venue").filter(pk=day_id).first()
    if registration is None or day is None:
        logger.info("Registration %s or day %s is gone; no message sent", registration_id, day_id)
        return 0
    values = {
        "course": registration.round.course,
        "own_round": registration.round,
        "day": day,
        "day_round": day.round,
        "place": day.place(),
        "cancelled": kind == "cancelled",
    }
    return send(
        [_message("make_up", registration.person, values)],
        key=task_key(context),
        round_id=registration.round_id,
    )


@task()
def run_import(job_id):
    """Apply a big bulk registration (enrolment.import_jobs.run)."""
    from . import import_jobs  # import_jobs imports this module to enqueue

    import_jobs.run(job_id)
