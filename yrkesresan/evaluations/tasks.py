"""Background tasks that send the evaluation's e-mail, in the worker (`manage.py db_worker`).

As in yrkesresan/notifications/tasks.py: tasks take primary keys and read the database when they
run, so an invitation answered or withdrawn before its reminder goes out gets none.
"""

import logging

from django_tasks import task

from yrkesresan.core.mail import send

from . import emails
from .models import Invitation

logger = logging.getLogger(__name__)


@task()
def send_evaluation_reminder(invitation_id):
    """Remind the holder of an unanswered invitation that the evaluation is open."""
    invitation = (
        Invitation.objects.select_related("completion__person", "round__course")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.answered:
        logger.info("Invitation %s is gone or answered; no reminder sent", invitation_id)
        return 0
    # One reminder per invitation, ever: the invitation names the message for good.
    return send(
        [emails.reminder_message(invitation)],
        key=f"evaluation-reminder:{invitation.pk}",
        round_id=invitation.round_id,
    )


@task()
def move_sealed_answers(round_id):
    """Move the round's sealed evaluation answers into responses once a batch is waiting."""
    from .services import move_sealed_answers

    return move_sealed_answers(round_id)
