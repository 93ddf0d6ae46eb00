"""Whose calendar holds which course day, and who gets a copy of a participant's messages.

Trainers come from the staffing app: the round's course leader and the day's team.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.staffing import services as staffing

from .models import RegistrationCalendar


@dataclass(frozen=True)
class CalendarRecipient:
    """A person with `day` in their calendar; `registration` is None for a trainer."""

    person: User
    registration: Registration | None = None


def calendar_recipients_for_day(day):
    """Everyone whose calendar holds `day`: the round's registered participants, then trainers.

    A person who is both registered and a trainer appears once, as a participant.
    """
    registrations = (
        Registration.objects.filter(round_id=day.round_id, status=Registration.Status.REGISTERED)
        .select_related("person", "calendar")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    recipients = [CalendarRecipient(r.person, r) for r in registrations if r.person.is_active]
    seen = {recipient.person.pk for recipient in recipients}
    for trainer in staffing.trainers_of_day(day):
        if trainer.pk not in seen:
            seen.add(trainer.pk)
            recipients.append(CalendarRecipient(trainer))
    return recipients


def managers_by_unit(unit_ids):
    """The active managers of each unit in `unit_ids`, as {unit_id: [manager, ...]}. One query."""
    assignments = (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.MANAGER, unit_id__in=unit_ids, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    managers = {}
    for assignment in assignments:
        managers.setdefault(assignment.unit_id, []).append(assignment.user)
    return managers


def managers_of(person):
    """The managers of `person`'s unit, who get a copy of the person's messages."""
    if person.unit_id is None:
        return []
    managers = managers_by_unit([person.unit_id]).get(person.unit_id, [])
    return [manager for manager in managers if manager.pk != person.pk]


def calendar_days_for(person):
    """All course days in `person`'s calendar, with `revision` (their invitation revision).

    The days of rounds they hold a seat in, and the days they lead or train; never anyone
    else's. Cancelled rounds are left out. One query.
    """
    seated_rounds = Registration.objects.filter(
        person=person, status=Registration.Status.REGISTERED
    ).values("round_id")
    revision = RegistrationCalendar.objects.filter(
        registration__round_id=OuterRef("round_id"), registration__person=person
    ).values("revision")[:1]
    return (
        CourseDay.objects.filter(
            Q(round_id__in=seated_rounds)
            | Q(pk__in=CourseDay.objects.filter(staffing.trained_days_q(person)).values("pk"))
        )
        .exclude(round__status=Round.Status.CANCELLED)
        .annotate(revision=Coalesce(Subquery(revision), 0))
        .select_related("round__course", "venue")
        .order_by("date", "starts_at", "pk")
    )
