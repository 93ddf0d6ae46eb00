"""Background tasks that send e-mail. They run in the worker (`manage.py db_worker`).

Tasks take primary keys and read the database when they run, so a message always shows the
course days as they are then. A registration or day deleted before its task runs is skipped.
The messages go to the outbox (core.mail), keyed by the task, so a task run again after its
worker died stores nothing twice.
"""

import logging

from django_tasks import task

from yrkesresan.core.mail import send, task_key
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import CourseDay

from . import emails

logger = logging.getLogger(__name__)


@task(takes_context=True)
def send_registration_message(context, registration_id, kind, revision=None, position=None):
    """Tell a participant (and their managers) what happened to their registration."""
    registration = (
        Registration.objects.select_related("person", "round__course")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        logger.info("Registration %s is gone; no %s message sent", registration_id, kind)
        return 0
    return send(
        emails.registration_messages(registration, kind, revision=revision, position=position),
        key=task_key(context),
        round_id=registration.round_id,
    )


@task(takes_context=True)
def send_day_changed(context, day_id):
    """Send the changed course day to everyone whose calendar holds it."""
    day = (
        CourseDay.objects.select_related("round__course", "round__course_leader", "venue")
        .filter(pk=day_id)
        .first()
    )
    if day is None:
        logger.info("Course day %s is gone; no change message sent", day_id)
        return 0
    return send(emails.day_changed_messages(day), key=task_key(context), round_id=day.round_id)
    return send(emails.day_changed_messages(day))


@task(takes_context=True)
def send_plan_messages(context, assignment_ids):
    """Tell the people of an accepted plan their new days (with calendar events)."""
    from .staffing import send_plan

    return send_plan(assignment_ids, key=task_key(context))


@task(takes_context=True)
def send_date_withdrawn(context, availability_id):
    """Tell the coordinators that a manager withdrew a trainer's date."""
    from .staffing import send_withdrawn

    return send_withdrawn(availability_id, key=task_key(context))
