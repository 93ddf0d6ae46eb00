"""Reads for enrolment's pages and the API: counts, the waiting list and the round's change log,
built in the database."""

from django.db.models import (
    Count,
    Q,
)
from django.utils.translation import gettext as _

from yrkesresan.accounts.models import User
from yrkesresan.core.models import AuditEvent
from yrkesresan.organisations.models import Municipality

from .models import Registration

# A registration that holds a seat or a place in the queue.
ACTIVE = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


def with_counts(rounds):
    """Annotate `registered_count` and `waitlisted_count` in one query."""
    return rounds.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    )


def round_queue(round, with_names):
    """One query over every registration of the round in queue order: (positions, number
    with a seat, names). positions: registration id -> place on the waiting list (1 is next);
    names (only `with_names`, for the change log): registration id -> the person's name."""
    fields = ["pk", "status"] + (["person__first_name", "person__last_name"] if with_names else [])
    positions, names, registered = {}, {}, 0
    for pk, status, *name in (
        Registration.objects.filter(round=round).order_by("queued_at", "pk").values_list(*fields)
    ):
        if with_names:
            names[pk] = f"{name[0]} {name[1]}"
        if status == Registration.Status.REGISTERED:
            registered += 1
        elif status == Registration.Status.WAITLISTED:
            positions[pk] = len(positions) + 1
    return positions, registered, names


def change_log(round, day_numbers, names, limit=100):
    """The round's audit events and those of its days and registrations, newest first, with
    the day numbers (day id -> number) and names (registration id -> name, round_queue) the
    page has already read. Each event gets `concerns`: the day ("Day 2") or the participant's
    name, or "" for the round itself. One query."""
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="rounds.round", object_id=str(round.pk))
            | Q(object_type="rounds.courseday", object_id__in=[str(pk) for pk in day_numbers])
            | Q(object_type="enrolment.registration", object_id__in=[str(pk) for pk in names])
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        if event.object_type == "rounds.courseday":
            event.concerns = _("Day %(number)s") % {
                "number": day_numbers.get(int(event.object_id), "?")
            }
        elif event.object_type == "enrolment.registration":
            event.concerns = names.get(int(event.object_id), "")
        else:
            event.concerns = ""
    return events


def member_staff(structure, today=None, person=""):
    """Active people employed in the member municipalities of the structure's counties.

    With `person` (the path to a User, e.g. "person__"), the Q that picks rows of another
    model whose person is one of them, without a subquery of people.
    """
    members = Municipality.objects.members(today).filter(county__support_structures=structure)
    if person:
        return Q(**{f"{person}is_active": True, f"{person}municipality__in": members})
    return User.objects.filter(is_active=True, municipality__in=members)
