"""Reads for the round's e-mail page: what has not been delivered, which reminders are due."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from yrkesresan.core.models import OutboundEmail
from yrkesresan.enrolment.models import Registration

from .emails import ACTIVE_ROUNDS
from .models import SentReminder


def undelivered(round):
    """The round's messages not yet delivered, oldest first (one query)."""
    return list(
        OutboundEmail.objects.filter(round_id=round.pk, sent_at__isnull=True)
        .only(
            "recipients",
            "subject",
            "created_at",
            "attempts",
            "last_error",
            "next_attempt_at",
            "gave_up_at",
        )
        .order_by("created_at", "pk")
    )


def reminder_date(day):
    return day.date - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)


def scheduled_reminders(round, today):
    """The round's coming course days with the date their reminder goes out and how many
    registered participants have not had it yet (`day.waiting`). One query."""
    if round.status not in ACTIVE_ROUNDS:
        return []
    not_reminded = (
        Registration.objects.filter(
            round_id=round.pk, status=Registration.Status.REGISTERED, person__is_active=True
        )
        .exclude(
            Exists(
                SentReminder.objects.filter(
                    registration_id=OuterRef("pk"), day_id=OuterRef(OuterRef("pk"))
                )
            )
        )
        .order_by()
        .values("round_id")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )
    days = (
        round.days.filter(date__gte=today)
        .select_related("venue")
        .annotate(waiting=Coalesce(Subquery(not_reminded), 0))
        .order_by("number")
    )
    return [(day, reminder_date(day)) for day in days]
