"""What the round services tell people about. Each function queues its messages on commit.

The services call these inside their transaction; the e-mails themselves go out from the
background worker (see yrkesresan/notifications), never inside the request.
"""


def registration_confirmed(registration):
    """A participant got a seat or a place on the waiting list."""


def promoted_from_waitlist(registration):
    """A participant moved from the waiting list to a seat."""


def registration_cancelled(registration):
    """A registration was cancelled."""


def course_day_changed(day):
    """A day's date, time, venue or link changed; everyone in the round gets a new event."""
