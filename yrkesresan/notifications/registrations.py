"""What enrolment and planning tell people about: receivers of their signals
(enrolment/signals.py, rounds/signals.py), connected in NotificationsConfig.ready. Each queues
its messages in the service's transaction (core.queue): with the write, or not at all.

The signals are sent inside the services' transaction (holding the round's row lock); the e-mails
themselves go out from the background worker (yrkesresan/notifications/tasks.py), never inside
the request, and only if the transaction commits. Tasks get primary keys, not objects.

Calendar SEQUENCE: a participant's event for a day carries `day.sequence + revision`, where
`revision` counts the invitations and cancellations sent to that registration (stored in
notifications.RegistrationCalendar and bumped here, inside the service's transaction). A day
change bumps `day.sequence` for everyone; a cancellation or a new invitation bumps the
revision for one person. Both only grow, so each message outranks the one before it.
"""

from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.enrolment.models import Registration

from . import tasks
from .models import RegistrationCalendar

Status = Registration.Status


def _enqueue(task, *args, **kwargs):
    # With the registration, in its transaction: a node killed after the commit loses no e-mail.
    enqueue_on_commit(task, *args, **kwargs)


def _next_revision(registration, *, holds_events, created=False):
    """Bump and return the registration's calendar revision. Needs the round's lock.

    `created`: the registration is new, so it has no calendar state yet (one insert).
    """
    if created:
        RegistrationCalendar.objects.create(
            registration=registration, revision=1, holds_events=holds_events
        )
        return 1
    state, _created = RegistrationCalendar.objects.get_or_create(registration=registration)
    state.revision += 1
    state.holds_events = holds_events
    state.save(update_fields=["revision", "holds_events"])
    return state.revision


def waitlist_position(registration):
    """1 for the first person on the round's waiting list, and so on."""
    return (
        Registration.objects.filter(round_id=registration.round_id, status=Status.WAITLISTED)
        .filter(queued_at__lte=registration.queued_at)
        .exclude(queued_at=registration.queued_at, pk__gt=registration.pk)
        .count()
    )


def registration_confirmed(registration, *, created=False, position=None):
    """A participant got a seat (invitations follow) or a place on the waiting list.

    The service may pass `created` (a new registration) and the waiting-list `position` it
    already knows, which saves queries while the round is locked.
    """
    if registration.status == Status.REGISTERED:
        revision = _next_revision(registration, holds_events=True, created=created)
        _enqueue(tasks.send_registration_message, registration.pk, "registered", revision)
    else:
        if position is None:
            position = waitlist_position(registration)
        _enqueue(tasks.send_registration_message, registration.pk, "waitlisted", position=position)


def promoted_from_waitlist(registration):
    """A participant moved from the waiting list to a seat: the invitations follow."""
    revision = _next_revision(registration, holds_events=True)
    _enqueue(tasks.send_registration_message, registration.pk, "promoted", revision)


def registration_cancelled(registration):
    """A registration was cancelled: a seat's events are cancelled; a waiting place had none."""
    state = RegistrationCalendar.objects.filter(registration=registration).first()
    revision = None
    if state is not None and state.holds_events:
        revision = _next_revision(registration, holds_events=False)
    _enqueue(tasks.send_registration_message, registration.pk, "cancelled", revision)


def course_day_changed(day):
    """A day's date, time, venue or link changed; everyone in the round gets a new event.

    The caller has already bumped and saved `day.sequence`.
    """
    _enqueue(tasks.send_day_changed, day.pk)


# The receivers: each looks its function up when called, so that tests may patch it.


def on_registration_confirmed(sender, registration, created=False, position=None, **kwargs):
    registration_confirmed(registration, created=created, position=position)


def on_promoted_from_waitlist(sender, registration, **kwargs):
    promoted_from_waitlist(registration)


def on_registration_cancelled(sender, registration, **kwargs):
    registration_cancelled(registration)


def on_course_day_changed(sender, day, **kwargs):
    course_day_changed(day)
