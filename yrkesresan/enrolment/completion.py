"""Completion (klarmarkering): who is ready, and marking them complete.

A registration is ready when the person was present on every day of the round (in the round or
on make-up days), has done every preparation module and has every deep-dive answer approved.
Nobody who is not ready can be marked complete, whoever asks.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yrkesresan.catalog.models import DeepDiveTask
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.core.queue import enqueue_on_commit

from . import access as enrolment_access
from . import signals, tasks
from .attendance import Status as AttendanceStatus
from .attendance import day_statuses
from .certificates import new_verification_codes, present_days, what_was_taught
from .models import Completion, DeepDiveAnswer, MakeUpDay, Registration
from .preparation import preparation_done_counts, preparation_total


class CompletionError(DomainError):
    """A refused completion; the message is a complete, translated sentence for the user."""


@dataclass
class ProposalRow:
    registration: Registration
    missing: list = field(default_factory=list)

    @property
    def person(self):
        return self.registration.person

    @property
    def completion(self):
        return getattr(self.registration, "completion", None)

    @property
    def ready(self):
        return self.completion is None and not self.missing


def _day_missing(day, status, booked, today):
    """What is missing for one day number, or None when the person was present."""
    if status == AttendanceStatus.PRESENT:
        return None
    values = {"number": day.number}
    if booked is not None:
        return _("Day %(number)s: make-up day booked for %(date)s (%(round)s)") % {
            **values,
            "date": formats.date_format(booked.day.date, "DATE_FORMAT"),
            "round": booked.day.round.name,
        }
    if status == AttendanceStatus.PARTLY:
        return _("Day %(number)s: only partly present") % values
    if status == AttendanceStatus.ABSENT:
        return _("Day %(number)s: absent") % values
    if day.date > today:
        return _("Day %(number)s has not taken place yet") % values
    return _("Day %(number)s: attendance not marked") % values


def _task_missing(task, answer):
    values = {"task": task.title}
    if answer is None or answer.status == DeepDiveAnswer.Status.DRAFT:
        return _("Deep-dive task “%(task)s” not handed in") % values
    if answer.status == DeepDiveAnswer.Status.SUBMITTED:
        return _("Deep-dive task “%(task)s” waiting for review") % values
    if answer.status == DeepDiveAnswer.Status.NEEDS_MORE:
        return _("Deep-dive task “%(task)s”: more asked for") % values
    return None


def proposal_for(round, registrations, today=None):
    """A ProposalRow for each registration of `round`: what is missing, if anything.

    Seven queries whatever the number of people: days, attendance, pending make-up days,
    preparation done and total, tasks and answers.
    """
    today = today or timezone.localdate()
    registrations = list(registrations)
    ids = [r.pk for r in registrations]
    course = round.course
    days = list(round.days.order_by("number"))
    statuses = day_statuses(ids)
    booked = {}
    for make_up in (
        MakeUpDay.objects.filter(registration_id__in=ids, day__date__gte=today)
        .select_related("day__round")
        .order_by("day__date")
    ):
        booked.setdefault((make_up.registration_id, make_up.day.number), make_up)
    done = preparation_done_counts([r.person_id for r in registrations], course)
    total = preparation_total(course)
    deep_dive_tasks = list(DeepDiveTask.objects.filter(course=course).order_by("order", "pk"))
    answers = {
        (a.registration_id, a.task_id): a
        for a in DeepDiveAnswer.objects.filter(registration_id__in=ids).only(
            "registration_id", "task_id", "status"
        )
    }
    rows = []
    for registration in registrations:
        missing = []
        if not days:
            missing.append(_("The round has no course days."))
        own = statuses.get(registration.pk, {})
        for day in days:
            text = _day_missing(
                day, own.get(day.number), booked.get((registration.pk, day.number)), today
            )
            if text:
                missing.append(text)
        prepared = done.get(registration.person_id, 0)
        if prepared < total:
            missing.append(
                _("Preparation: %(done)s of %(total)s modules done")
                % {"done": prepared, "total": total}
            )
        for task in deep_dive_tasks:
            text = _task_missing(task, answers.get((registration.pk, task.pk)))
            if text:
                missing.append(text)
        rows.append(ProposalRow(registration, missing))
    return rows


def completion_proposal(round):
    """Every registered participant of the round, by name: ready, completed already, or the
    list of what is missing. Eight queries whatever the size of the round."""
    registrations = (
        Registration.objects.filter(round=round, status=Registration.Status.REGISTERED)
        .select_related("person__municipality", "person__unit", "completion")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return proposal_for(round, registrations)


def complete(registrations, *, by, on=None):
    """Mark the registrations complete, all or none: refused (CompletionError, naming each
    person and what they lack) if anyone is not ready or already complete.

    Each person gets a Completion with its verification code (the certificate) and what was
    taught in the round's course version (its title, number, goals and the days they attended), an
    invitation to the evaluation, and an e-mail with both; their diet and accessibility needs
    are erased.
    """
    ids = sorted({r.pk for r in registrations})
    if not ids:
        raise CompletionError(_("Choose at least one participant to mark complete."))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related(
                "round__course__step__journey", "round__course_version", "person", "completion"
            )
            .order_by("person__last_name", "person__first_name", "pk")
        )
        rounds = {r.round_id: r.round for r in locked}
        if len(locked) != len(ids) or len(rounds) != 1:
            raise CompletionError(_("Mark the participants of one round at a time."))
        [round] = rounds.values()
        if not enrolment_access.can_mark_complete(by, round):
            raise CompletionError(_("You may not mark participants of this round complete."))
        refused = []
        for registration in locked:
            if registration.status != Registration.Status.REGISTERED:
                refused.append(
                    _("%(person)s has no place in the round") % {"person": registration.person}
                )
        already = set(
            Completion.objects.filter(
                person_id__in=[r.person_id for r in locked], course=round.course
            ).values_list("person_id", flat=True)
        )
        for row in proposal_for(round, locked):
            if row.registration.person_id in already:
                refused.append(
                    _("%(person)s has already completed the course") % {"person": row.person}
                )
            elif row.missing:
                refused.append(
                    _("%(person)s: %(missing)s")
                    % {"person": row.person, "missing": "; ".join(row.missing)}
                )
        if refused:
            raise CompletionError(
                _("Not marked complete, since not everyone chosen is ready. %(who)s.")
                % {"who": ". ".join(refused)}
            )
        codes = new_verification_codes(len(locked))
        taught = what_was_taught(round.course, version=round.course_version)
        days = present_days(locked)
        completions = Completion.objects.bulk_create(
            Completion(
                registration=registration,
                person=registration.person,
                course=round.course,
                completed_on=on,
                marked_by=by,
                verification_code=code,
                attended_days=days.get(registration.pk, []),
                **taught,
            )
            for registration, code in zip(locked, codes, strict=True)
        )
        signals.course_completed.send(sender=Completion, round=round, completions=completions)
        # The rounds app's rule: diet and accessibility needs are erased on completion.
        Registration.objects.filter(pk__in=ids).update(special_diet="", accessibility_needs="")
        for completion in completions:
            log_action(
                by,
                "course.completed",
                completion,
                subject=completion.person_id,
                registration=completion.registration_id,
                person=completion.person_id,
                round=round.pk,
            )
            enqueue_on_commit(tasks.send_completion_message, completion.pk)
    return completions
