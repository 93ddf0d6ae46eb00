"""Reading what the notifications sent: e-mails by recipient, and their calendar files."""

from django.core import mail
from icalendar import Calendar

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.rounds.models import Venue
from yrkesresan.rounds.testing import make_round


def calendars(message):
    """The iCalendar attachments of `message`, parsed, with the MIME part's content type."""
    found = []
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            calendar = Calendar.from_ical(part.get_payload(decode=True))
            found.append((calendar, part))
    return found


def events(message):
    """(method, VEVENT) for each calendar attachment of `message`."""
    return [
        (str(calendar["METHOD"]), event)
        for calendar, _part in calendars(message)
        for event in calendar.walk("VEVENT")
    ]


def sent_to(email):
    return [message for message in mail.outbox if message.to == [email]]


class RoundTestCase(PersonaTestCase):
    """Personas plus an open round in Region X: day 1 physical at a venue, days 2–4 digital."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.venue = Venue.objects.create(
            structure=cls.region_x,
            name="Stadshuset",
            room="Sal 3",
            address="Fristadstorget 2, Eskilstuna",
            capacity=30,
        )
        cls.round = make_round(cls.course, cls.region_x, seats=1, venue=cls.venue)
        cls.round.course_leader = cls.course_leader_x
        cls.round.save()

    def run_on_commit(self):
        """Run the on-commit callbacks (the queued tasks) of what happens in the block."""
        return self.captureOnCommitCallbacks(execute=True)
