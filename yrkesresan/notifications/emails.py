"""The e-mails people get about course rounds, built from Swedish text templates.

Each function returns unsent EmailMessage objects, one per recipient (nobody sees another
recipient's address). Participants and trainers get the course days as iCalendar attachments,
one per day (see calendar.py for why). A participant's managers get a copy for their
information with the same days in the text but no calendar attachment: nothing lands in their
calendar and there is nothing to accept.
"""

import re
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from yrkesresan.rounds.models import Round

from . import calendar
from .recipients import calendar_recipients_for_day, managers_by_unit, managers_of

TEMPLATES = "notifications/email"

# What happened to a registration; each has a subject and a body template.
REGISTERED = "registered"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
CANCELLED = "cancelled"
KINDS = {REGISTERED, WAITLISTED, PROMOTED, CANCELLED}
# Rounds whose days are going ahead: their changes and reminders are told.
ACTIVE_ROUNDS = [Round.Status.OPEN, Round.Status.CLOSED, Round.Status.RUNNING]


def render_text(template, context):
    """Render a plain-text template; tidy the blank lines that template tags leave behind."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{TEMPLATES}/{template}", context)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def day_lines(days):
    return [{"day": day, "place": day.place()} for day in days]


def calendar_part(day, *, sequence, attendee, cancel=False):
    """A text/calendar attachment with its iTIP method in the content type."""
    method = "CANCEL" if cancel else "REQUEST"
    part = MIMEText(
        calendar.invitation(day, sequence=sequence, attendee=attendee, cancel=cancel).decode(),
        "calendar",
        "utf-8",
    )
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"kursdag-{day.number}.ics")
    return part


def _common_context(round):
    return {
        "round": round,
        "course": round.course,
        "course_url": calendar.course_url(round.course),
        "feed_settings_url": settings.SITE_URL + reverse("notifications:feed_settings"),
        "reminder_days": settings.REMINDER_DAYS_BEFORE,
    }


def _message(kind, recipient, context, attachments=()):
    context = {**context, "recipient": recipient}
    message = EmailMessage(
        subject=render_text(f"{kind}_subject.txt", context).strip(),
        body=render_text(f"{kind}.txt", context),
        to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    for part in attachments:
        message.attach(part)
    return message


def registration_messages(registration, kind, *, revision=None, position=None):
    """What the participant and their managers get when `kind` happened to `registration`.

    `revision` is the registration's calendar revision for this message (see
    RegistrationCalendar): with it, registered/promoted send invitations and cancelled sends
    cancellations of every course day; without it no calendar files are attached (a place on
    the waiting list, or leaving it). `position` is the place on the waiting list.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of message: {kind!r}")
    round = registration.round
    person = registration.person
    days = list(round.days.select_related("venue").order_by("number"))
    for day in days:
        day.round = round  # already loaded, with its course
    context = {
        **_common_context(round),
        "registration": registration,
        "participant": person,
        "days": day_lines(days),
        "position": position,
        "with_calendar": revision is not None,
    }
    attachments = []
    if revision is not None:
        attachments = [
            calendar_part(
                day, sequence=day.sequence + revision, attendee=person, cancel=kind == CANCELLED
            )
            for day in days
        ]
    messages = [_message(kind, person, {**context, "for_manager": False}, attachments)]
    for manager in managers_of(person):
        messages.append(_message(kind, manager, {**context, "for_manager": True}))
    return messages


def day_changed_messages(day):
    """The changed day, as an updated event, to everyone whose calendar holds it.

    Participants and trainers get an invitation with the day's new SEQUENCE (plus the
    participant's revision); each manager gets one copy listing their people in the round.
    """
    round = day.round
    if round.status not in ACTIVE_ROUNDS:
        return []  # a round being planned, or one that is over: nobody to tell
    context = {**_common_context(round), "day": day, "days": day_lines([day])}
    recipients = calendar_recipients_for_day(day)
    managers = managers_by_unit({r.person.unit_id for r in recipients if r.registration})
    messages = []
    managed = {}
    for recipient in recipients:
        person, registration = recipient.person, recipient.registration
        revision = 0
        if registration is not None:
            state = getattr(registration, "calendar", None)
            revision = state.revision if state is not None else 0
            for manager in managers.get(person.unit_id, []):
                if manager.pk != person.pk:
                    managed.setdefault(manager, []).append(person)
        part = calendar_part(day, sequence=day.sequence + revision, attendee=person)
        role_context = {"for_manager": False, "as_trainer": registration is None}
        messages.append(_message("day_changed", person, {**context, **role_context}, [part]))
    for manager, people in managed.items():
        manager_context = {"for_manager": True, "as_trainer": False, "participants": people}
        messages.append(_message("day_changed", manager, {**context, **manager_context}))
    return messages


def reminder_message(registration, day, *, today):
    """A reminder of `day` to a registered participant (no attachment: the event is theirs)."""
    context = {
        **_common_context(day.round),
        "day": day,
        "days_until": (day.date - today).days,
        "days": day_lines([day]),
        "participant": registration.person,
        "for_manager": False,
    }
    return _message("reminder", registration.person, context)
