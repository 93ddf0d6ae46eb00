"""Registering several people into one round at once: first a plan that says who gets a seat,
who goes on the waiting list and who cannot be registered (and why), then a confirmation that
does exactly what the plan said, or nothing.

The rules are services.check_can_register's and the seats services.register's: the plan asks
the one and counts the seats as the other does (a seat while fewer than `seats` are registered,
else the waiting list), and the confirmation registers each person through services.register.
The confirmation follows the locking protocol of services.py: it locks the round, draws the plan
again under the lock and compares it with the plan the user saw. When the seats (or anyone's
rules) changed in between, nothing is registered and the new plan is shown (PlanChanged).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.rounds.models import Round

from . import services
from .models import Registration

SEAT = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITLISTED
REFUSED = "refused"

# The most people one confirmation registers: a unit's new hires, not an import (imports.py).
MOST_AT_ONCE = 100


@dataclass(frozen=True)
class PlannedLine:
    person: object
    outcome: str  # SEAT, WAITING or REFUSED
    reason: str = ""  # why REFUSED: the rules' sentence

    @property
    def gets_seat(self):
        return self.outcome == SEAT

    @property
    def waits(self):
        return self.outcome == WAITING


@dataclass(frozen=True)
class Plan:
    round: Round
    lines: tuple
    free_seats: int  # before these registrations

    @property
    def token(self):
        """The plan in one string: what the confirmation form sends back to be compared."""
        return ",".join(f"{line.person.pk}:{line.outcome}" for line in self.lines)

    @property
    def seated(self):
        return [line for line in self.lines if line.gets_seat]

    @property
    def waiting(self):
        return [line for line in self.lines if line.waits]

    @property
    def refused(self):
        return [line for line in self.lines if line.outcome == REFUSED]

    @property
    def to_register(self):
        return [line for line in self.lines if line.outcome != REFUSED]


class PlanChanged(DomainError):
    """The round or the people changed between the plan the user saw and the confirmation:
    nothing was registered; `plan` is the plan as it is now."""

    status = 409

    def __init__(self, plan):
        super().__init__(
            _(
                "The seats or the registrations changed since you looked, so nothing was "
                "registered. Check who now gets a seat and who goes on the waiting list, and "
                "confirm again."
            )
        )
        self.plan = plan


def plan_registrations(people, round, *, by):
    """The plan for registering `people` (in this order) into `round` by `by`: each person's
    outcome. People already registered or waiting in the round, and those the rules refuse, are
    REFUSED with the sentence that says why; the others take the free seats in order, then the
    waiting list."""
    if len(people) > MOST_AT_ONCE:
        raise DomainError(
            _("Register at most %(count)s people at once; use the import for more.")
            % {"count": MOST_AT_ONCE}
        )
    active = dict(
        Registration.objects.filter(
            round=round, person__in=people, status__in=(SEAT, WAITING)
        ).values_list("person_id", "status")
    )
    taken = Registration.objects.filter(round=round, status=SEAT).count()
    free = max(round.seats - taken, 0)
    lines = []
    seats_left = free
    for person in people:
        if person.pk in active:
            if active[person.pk] == WAITING:
                reason = _("%(person)s is already on the waiting list for this round.")
            else:
                reason = _("%(person)s is already registered for this round.")
            lines.append(PlannedLine(person, REFUSED, reason % {"person": person}))
            continue
        try:
            services.check_can_register(person, round, by=by)
        except services.RegistrationError as error:
            lines.append(PlannedLine(person, REFUSED, str(error)))
            continue
        if seats_left > 0:
            lines.append(PlannedLine(person, SEAT))
            seats_left -= 1
        else:
            lines.append(PlannedLine(person, WAITING))
    return Plan(round=round, lines=tuple(lines), free_seats=free)


def register_many(people, round, *, by, token):
    """Register `people` into `round` as the plan the user confirmed (`token`, Plan.token) said.

    Under the round's lock the plan is drawn again; if it differs from `token`, raises
    PlanChanged with the new plan and registers nobody. Returns the registrations made (the
    REFUSED people of the plan are left out, as the plan showed)."""
    with transaction.atomic():
        locked = (
            Round.objects.select_for_update()
            .select_related("course__step__journey", "structure")
            .get(pk=round.pk)
        )
        plan = plan_registrations(people, locked, by=by)
        if plan.token != token:
            raise PlanChanged(plan)
        if not plan.to_register:
            raise DomainError(_("Nobody in the list can be registered for this round."))
        registrations = []
        for line in plan.to_register:
            registration = services.register(line.person, locked, by=by)
            if registration.status != line.outcome:  # pragma: no cover - the lock forbids it
                raise PlanChanged(plan_registrations(people, locked, by=by))
            registrations.append(registration)
        log_action(
            by,
            "registration.bulk",
            locked,
            registered=len(plan.seated),
            waitlisted=len(plan.waiting),
        )
    return registrations
