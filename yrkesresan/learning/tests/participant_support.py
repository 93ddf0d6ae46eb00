"""Shared set-up for the participant's pages: rounds in the past, present and future."""

import datetime
import itertools

from django.utils import timezone

from yrkesresan.enrolment.certificates import present_days, what_was_taught
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.evaluations.models import Invitation
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

_codes = itertools.count(1)


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def register(person, round, status=Registration.Status.REGISTERED):
    return Registration.objects.create(round=round, person=person, status=status)


def dated_round(course, structure, first_day, name="Omgång", **kwargs):
    """make_round for any first day, past ones too (its registration window moved back)."""
    round = make_round(course, structure, name=name, **kwargs)
    shift = first_day - round.days.get(number=1).date
    for day in round.days.all():
        day.date += shift
        day.save(update_fields=["date"])
    round.registration_opens_on = first_day - datetime.timedelta(days=60)
    round.registration_closes_on = first_day - datetime.timedelta(days=14)
    round.save(update_fields=["registration_opens_on", "registration_closes_on"])
    return round


def past_round(course, structure, name="Omgång tidigare", **kwargs):
    """A round whose four days (a week apart) are all behind us: the last one 3 days ago."""
    kwargs.setdefault("status", Round.Status.RUNNING)
    return dated_round(course, structure, days_from_today(-24), name=name, **kwargs)


def complete(registration, on=None):
    return Completion.objects.create(
        registration=registration,
        person=registration.person,
        course=registration.round.course,
        completed_on=on or timezone.localdate(),
        verification_code=f"TEST-{next(_codes):06d}",
        attended_days=present_days([registration]).get(registration.pk, []),
        **what_was_taught(registration.round.course),
    )


def invite(completion):
    return Invitation.objects.create(completion=completion, round=completion.registration.round)
