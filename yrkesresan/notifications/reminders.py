"""Reminders before course days: who is due one today, sent once each."""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

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
    """Send every reminder due on `today` (default: today) and record each one sent.

    A reminder that fails to send is not recorded, so the next run tries it again; one that
    was sent is recorded, so the next run does not repeat it. Returns the number sent.
    """
    today = today or timezone.localdate()
    sent = []
    with get_connection() as connection:
        for registration, day in due_reminders(today):
            message = emails.reminder_message(registration, day, today=today)
            try:
                connection.send_messages([message])
            except Exception:
                logger.exception("Reminder to registration %s failed", registration.pk)
                continue
            sent.append(SentReminder(registration=registration, day=day))
    # ignore_conflicts: a run at the same time may have recorded the same reminder.
    SentReminder.objects.bulk_create(sent, ignore_conflicts=True)
    return len(sent)
