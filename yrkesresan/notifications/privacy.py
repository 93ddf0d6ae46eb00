"""Notifications' part of the personal-data rights (accounts.privacy): the calendar feed."""

from django.utils.translation import gettext as _

from yrkesresan.accounts.privacy import Section

from .models import CalendarFeed


def sections(sender, person, **kwargs):
    feed = Section(
        "calendar_feed",
        _("Calendar feed"),
        _("To put the person's course days in their calendar program."),
        _("Until the person makes a new address, or the account is erased."),
        CalendarFeed,
        ["created_at"],
    )
    if person is not None:
        for row in CalendarFeed.objects.filter(user=person):
            feed.add(row)
    return feed


def erase(sender, person, **kwargs):
    CalendarFeed.objects.filter(user=person).delete()
