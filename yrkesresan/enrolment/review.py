"""Reviewing deep-dive answers: the course leader or a trainer approves or asks for more."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.core.queue import enqueue_on_commit

from . import access as enrolment_access
from . import tasks
from .models import DeepDiveAnswer, Registration

FEEDBACK_MAX_LENGTH = 5000
Status = DeepDiveAnswer.Status


class ReviewError(DomainError):
    """A refused review; the message is a complete, translated sentence for the user."""


def answers_to_review(round):
    """The round's answers waiting for review, oldest first: one query."""
    return (
        DeepDiveAnswer.objects.filter(
            registration__round=round,
            registration__status=Registration.Status.REGISTERED,
            status=Status.SUBMITTED,
        )
        .select_related("registration__person__municipality", "task")
        .order_by("submitted_at", "pk")
    )


def review_counts(round):
    """{status: number of the round's answers} for every status: one query."""
    counts = dict(
        DeepDiveAnswer.objects.filter(
            registration__round=round, registration__status=Registration.Status.REGISTERED
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {status: counts.get(status, 0) for status in Status.values}


@transaction.atomic
def review_answer(answer, *, approve, feedback="", by):
    """Approve `answer` or ask for more (feedback required); only answers waiting for review.

    The participant is told by e-mail to read the feedback in the platform.
    """
    feedback = (feedback or "").strip()
    if not approve and not feedback:
        raise ReviewError(_("Write what more is needed before you send the answer back."))
    if len(feedback) > FEEDBACK_MAX_LENGTH:
        raise ReviewError(
            _("The feedback can be at most %(limit)s characters long.")
            % {"limit": FEEDBACK_MAX_LENGTH}
        )
    answer = (
        DeepDiveAnswer.objects.select_for_update(of=("self",))
        .select_related("registration__round", "registration__person", "task")
        .get(pk=answer.pk)
    )
    if not enrolment_access.can_mark_attendance(by, answer.registration.round):
        raise ReviewError(_("You may not review answers in this round."))
    if answer.status != Status.SUBMITTED:
        raise ReviewError(
            _("The answer of %(person)s is no longer waiting for review (%(status)s).")
            % {
                "person": answer.registration.person,
                "status": answer.get_status_display().lower(),
            }
        )
    answer.status = Status.APPROVED if approve else Status.NEEDS_MORE
    answer.feedback = feedback
    answer.reviewed_by = by
    answer.reviewed_at = timezone.now()
    answer.save(update_fields=["status", "feedback", "reviewed_by", "reviewed_at"])
    log_action(
        by,
        "deep_dive.approved" if approve else "deep_dive.needs_more",
        answer,
        subject=answer.registration.person_id,
        registration=answer.registration_id,
        task=answer.task_id,
    )
    enqueue_on_commit(tasks.send_review_message, answer.pk)
    return answer
