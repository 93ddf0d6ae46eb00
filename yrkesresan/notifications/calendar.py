"""iCalendar (RFC 5545) for course days: invitations, cancellations and the personal feed.

Every course day is one VEVENT whose UID never changes ("<day.uid>@yrkesresan"); a change is
told with a higher SEQUENCE. Times are local Swedish time with TZID=Europe/Stockholm and a
VTIMEZONE component, so a day at 09:00 stays at 09:00 across summer time.

An invitation (METHOD:REQUEST) or a cancellation (METHOD:CANCEL) holds exactly one course day:
RFC 5546 (iTIP, section 3.2.2) requires all components of such a message to share one UID, so
a round's days travel as one attachment per day. The feed is a plain calendar with every day.
"""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress

from yrkesresan.rounds.models import Round

PRODID = "-//Yrkesresan//Kursdagar//SV"


def event_uid(day):
    return f"{day.uid}@yrkesresan"


def summary(day):
    return f"{day.round.course.title} – dag {day.number}"


def course_url(course):
    """The course's public page, as a full address for e-mails and calendar events."""
    return settings.SITE_URL + reverse("catalog:course", args=[course.slug])


def description(day):
    round = day.round
    kind = "Fysisk kursdag" if day.is_physical else "Digital kursdag"
    where = "Plats" if day.is_physical else "Länk till mötet"
    return (
        f"{round.course.title}, {round.name} ({round.term}), dag {day.number}.\n"
        f"{kind}. {where}: {day.place()}\n"
        f"Om kursen: {course_url(round.course)}"
    )


def _address(email, name=""):
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def organizer():
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return _address(email, name)


def day_event(day, *, sequence, cancelled=False, attendee=None):
    """The VEVENT of one course day. `attendee` (a person) is named in invitations."""
    event = Event()
    event.add("uid", event_uid(day))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", day.starts())
    event.add("dtend", day.ends())
    event.add("summary", summary(day))
    event.add("location", day.place())
    event.add("description", description(day))
    if not day.is_physical and day.meeting_url:
        event.add("url", day.meeting_url)
    event.add("organizer", organizer())
    if attendee is not None:
        address = _address(attendee.email, attendee.get_full_name())
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    if cancelled:
        event.add("status", "CANCELLED")
    elif day.round.status == Round.Status.DRAFT:
        event.add("status", "TENTATIVE")  # a course leader's round still being planned
    else:
        event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _calendar(days, method=None, name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    dates = [day.date for day in days] or [timezone.localdate()]
    # Only the transitions around the days, so that the file stays small.
    calendar.add_component(
        Timezone.from_tzinfo(
            timezone.get_default_timezone(),
            first_date=datetime.date(min(dates).year, 1, 1),
            last_date=datetime.date(max(dates).year + 1, 12, 31),
        )
    )
    return calendar


def invitation(day, *, sequence, attendee, cancel=False):
    """One course day as an iTIP message (METHOD:REQUEST, or CANCEL), as bytes."""
    calendar = _calendar([day], method="CANCEL" if cancel else "REQUEST")
    calendar.add_component(day_event(day, sequence=sequence, cancelled=cancel, attendee=attendee))
    return calendar.to_ical()


def feed(days, *, name="Yrkesresan – mina kursdagar"):
    """A subscribable calendar of `days` (annotated with `revision`, see calendar_days_for)."""
    calendar = _calendar(days, name=name)
    for day in days:
        calendar.add_component(day_event(day, sequence=day.sequence + day.revision))
    return calendar.to_ical()
