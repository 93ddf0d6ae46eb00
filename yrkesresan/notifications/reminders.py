"""Reminders before course days: who is due one today, sent once each."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yrkesresan.core.mail import send
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import CourseDay

from . import emails
from .emails import ACTIVE_ROUNDS
from .models import SentReminder

logger = logging.getLogger(__name__)


def due_reminders(today):
    """(registration, day) pairs due a reminder on `today` that have not had one. 3 queries."""
    target = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    days = list(
        CourseDay.objects.filter(date=target, round__status__in=ACTIVE_ROUNDS)
        .select_related("round__course", "venue")
        .order_by("round_id", "number")
    )
    if not days:
        return []
    registrations = Registration.objects.filter(
        round_id__in={day.round_id for day in days},
        status=Registration.Status.REGISTERED,
        person__is_active=True,
    ).select_related("person")
    by_round = {}
    for registration in registrations:
        by_round.setdefault(registration.round_id, []).append(registration)
    sent = set(SentReminder.objects.filter(day__in=days).values_list("registration_id", "day_id"))
    return [
        (registration, day)
        for day in days
        for registration in by_round.get(day.round_id, [])
        if (registration.pk, day.pk) not in sent
    ]


def _queue(pairs, today):
    """Record and queue a reminder for each (registration, day) not reminded yet.

    Each reminder is recorded and put in the outbox (core.mail) in one transaction: the outbox
    delivers it, trying again while the mail server is down, and the record keeps a later run
    from queueing it twice (the outbox key would too). Returns the number queued.
    """
    queued = 0
    for registration, day in pairs:
        message = emails.reminder_message(registration, day, today=today)
        with transaction.atomic():
            _reminder, created = SentReminder.objects.get_or_create(
                registration=registration, day=day
            )
            if created:
                queued += send(
                    [message], key=f"reminder:{registration.pk}:{day.pk}", round_id=day.round_id
                )
    return queued


def send_due_reminders(today=None):
    """Queue every reminder due on `today` (default: today); returns the number queued."""
    today = today or timezone.localdate()
    return _queue(due_reminders(today), today)


def send_reminders_now(day, today=None):
    """Queue the reminder of `day` now, ahead of its date, to every registered participant of
    its round who has not had it; returns the number queued."""
    today = today or timezone.localdate()
    if day.round.status not in ACTIVE_ROUNDS or day.date < today:
        return 0
    registrations = Registration.objects.filter(
        round_id=day.round_id, status=Registration.Status.REGISTERED, person__is_active=True
    ).select_related("person")
    sent = set(SentReminder.objects.filter(day=day).values_list("registration_id", flat=True))
    return _queue([(r, day) for r in registrations if r.pk not in sent], today)
