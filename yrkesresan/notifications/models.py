"""What the platform has told people: calendar feeds, invitation revisions, sent reminders."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address. The token is the only secret that guards it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    # No field default, so that the migration does not import this module.
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    # When the current address was made: a new address resets it.
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = new_feed_token()
        super().save(*args, **kwargs)

    @classmethod
    def for_user(cls, user):
        """The person's feed, made on first use."""
        feed, _created = cls.objects.get_or_create(user=user)
        return feed

    def rotate(self):
        """Give the feed a new address; the old one stops working at once."""
        self.token = new_feed_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


class RegistrationCalendar(models.Model):
    """How many calendar messages a registration has been sent, and whether it holds events.

    An event's SEQUENCE for a participant is `day.sequence + revision`. The day's sequence grows
    when the day changes (for everyone); the revision grows with every invitation or
    cancellation sent to this one registration. Both only grow, so every message a participant
    gets carries a higher SEQUENCE than the one before, and a re-registration after a
    cancellation is not ignored by the calendar program as stale.
    """

    registration = models.OneToOneField(
        "enrolment.Registration",
        on_delete=models.CASCADE,
        related_name="calendar",
        verbose_name=_("registration"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    holds_events = models.BooleanField(_("has the course days in the calendar"), default=False)

    class Meta:
        verbose_name = _("registration calendar")
        verbose_name_plural = _("registration calendars")

    def __str__(self):
        return f"{self.registration_id}: {self.revision}"


class SentReminder(models.Model):
    """A reminder of one course day that went to one registration (at most once)."""

    registration = models.ForeignKey(
        "enrolment.Registration",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("registration"),
    )
    day = models.ForeignKey(
        "rounds.CourseDay", on_delete=models.CASCADE, related_name="+", verbose_name=_("course day")
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], name="one_reminder_per_registration_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} / {self.day_id}"
