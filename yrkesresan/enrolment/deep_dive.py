"""Deep-dive tasks (fördjupningsuppgifter): the participant writes, saves and hands in answers.

Drafts can be saved at any time; an answer is handed in once the person's last course day has
come (their round's last day, or a later make-up day). The course leader or a trainer then
approves it or asks for more (learning/review, not here); an approved answer is final.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError

from .models import Completion, DeepDiveAnswer, MakeUpDay

ANSWER_MAX_LENGTH = 20000


class DeepDiveError(DomainError):
    """A refused answer; the message is a complete, translated sentence for the participant."""


def last_course_day(registration):
    """The date of the person's last course day in this registration: the round's last day or
    a later make-up day booked for them; None while the round has no days."""
    round_last = registration.round.days.aggregate(last=Max("date"))["last"]
    make_up_last = MakeUpDay.objects.filter(registration=registration).aggregate(
        last=Max("day__date")
    )["last"]
    dates = [d for d in (round_last, make_up_last) if d is not None]
    return max(dates) if dates else None


def may_hand_in(last_day, today=None):
    today = today or timezone.localdate()
    return last_day is not None and last_day <= today


def is_editable(answer):
    """The participant may change a draft, or an answer the reviewer asked more of."""
    return answer is None or answer.status in (
        DeepDiveAnswer.Status.DRAFT,
        DeepDiveAnswer.Status.NEEDS_MORE,
    )


@transaction.atomic
def save_answer(registration, task, text, *, submit):
    """Save the person's answer to `task` as a draft, or hand it in (`submit=True`).

    Refused with DeepDiveError when the task is not the course's, the person has no place in
    the round, the course is completed, the text is empty, the answer is waiting for review or
    approved, or (to hand in) the person's last course day is still to come. Handing in an
    answer the reviewer asked more of sends it back for review; the reviewer's feedback is kept
    until then.
    """
    if task.course_id != registration.round.course_id:
        raise DeepDiveError(_("That deep-dive task belongs to another course."))
    if registration.status != registration.Status.REGISTERED:
        raise DeepDiveError(_("Only participants with a place in the round answer its tasks."))
    if Completion.objects.filter(registration=registration).exists():
        raise DeepDiveError(_("The course is completed: its answers can no longer be changed."))
    text = text.strip()
    if not text:
        raise DeepDiveError(_("Write your answer before you save it."))
    if len(text) > ANSWER_MAX_LENGTH:
        raise DeepDiveError(
            _("The answer can be at most %(limit)s characters long.") % {"limit": ANSWER_MAX_LENGTH}
        )
    answer = (
        DeepDiveAnswer.objects.select_for_update().filter(registration=registration, task=task)
    ).first()
    if answer is not None and answer.status == DeepDiveAnswer.Status.APPROVED:
        raise DeepDiveError(_("Your answer has been approved and can no longer be changed."))
    if answer is not None and answer.status == DeepDiveAnswer.Status.SUBMITTED:
        raise DeepDiveError(
            _("Your answer is waiting for review. You can change it if the reviewer asks for more.")
        )
    if submit:
        last_day = last_course_day(registration)
        if not may_hand_in(last_day):
            if last_day is None:
                raise DeepDiveError(_("You can hand in your answer after your last course day."))
            raise DeepDiveError(
                _("You can hand in your answer from %(date)s, your last course day.")
                % {"date": formats.date_format(last_day, "DATE_FORMAT")}
            )
    if answer is None:
        answer = DeepDiveAnswer(registration=registration, task=task)
    answer.text = text
    if submit:
        answer.status = DeepDiveAnswer.Status.SUBMITTED
        answer.submitted_at = timezone.now()
    elif answer.status != DeepDiveAnswer.Status.NEEDS_MORE:
        # A draft stays a draft; an answer the reviewer asked more of stays so until handed in.
        answer.status = DeepDiveAnswer.Status.DRAFT
    answer.save()
    return answer
