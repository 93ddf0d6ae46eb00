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


def send_due_reminders(today=None):
    """Queue every reminder due on `today` (default: today) and record each one queued.

    Each reminder is recorded and put in the outbox (core.mail) in one transaction: the outbox
    delivers it, trying again while the mail server is down, and the record keeps the next
    run from queueing it twice (the outbox key would too). Returns the number queued.
    """
    today = today or timezone.localdate()
    queued = 0
    for registration, day in due_reminders(today):
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
