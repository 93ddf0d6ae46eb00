"""What enrolment announces to the apps above it (notifications tells the people concerned).

The services send these inside their transaction, holding the round's row lock, so a receiver
may write in the same transaction and queue work for after the commit. Every signal is sent
with `sender=Registration` and the keyword `registration`, except course_completed.
"""

from django.dispatch import Signal

# A participant got a seat or a place on the waiting list. Also sent with `created` (a new
# row) and `position` (the place on the waiting list, when the service knows it).
registration_confirmed = Signal()
# A participant moved from the waiting list to a seat.
promoted_from_waitlist = Signal()
# A registration was cancelled.
registration_cancelled = Signal()
# Participants of `round` were marked complete: `completions`, the new Completion rows
# (sent with sender=Completion). The evaluations app invites each to the anonymous evaluation.
course_completed = Signal()
