"""Writes of the round's e-mail page: send undelivered messages again, send a reminder now."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from yrkesresan.core import mail
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import OutboundEmail, log_action

from .reminders import send_reminders_now


def resend_undelivered(round, by, email_id=None):
    """Queue the round's undelivered messages again (or the one `email_id`); returns a count."""
    rows = OutboundEmail.objects.filter(round_id=round.pk, sent_at__isnull=True)
    if email_id is not None:
        rows = rows.filter(pk=email_id)
    count = mail.resend(list(rows.only("pk")))
    if count:
        log_action(by, "email.resent", round, count=count)
    return count


def remind_now(round, day_id, by):
    """Queue the reminder of the round's course day `day_id` now; returns a count."""
    day = get_object_or_404(round.days.select_related("round__course", "venue"), pk=day_id)
    day.round = round
    count = send_reminders_now(day)
    if not count:
        raise DomainError(_("Everyone registered has had the reminder of this day already."))
    log_action(by, "reminder.sent_now", round, day=day.number, count=count)
    return count
