"""Placement on a journey's steps: suggested by the role at work or by experience, chosen, or
set by a manager."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yrkesresan.accounts.models import User, WorkRole
from yrkesresan.catalog.models import Step
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from .models import Placement


class PlacementError(DomainError):
    """A refused placement; the message is a complete, translated sentence for the user."""


@dataclass(frozen=True)
class CurrentPlacement:
    step: object  # catalog.Step or None when nothing can be suggested
    suggested: object  # Journey.suggested_step: by the role at work, else the years; or None
    source: str  # "suggested" or a Placement.Source value
    reason: str = ""

    @property
    def is_above_suggestion(self):
        return bool(self.step and self.suggested and self.step.order > self.suggested.order)


def current_placement(person, journey, placements=None, steps=None):
    """The step a person is on in a journey: their placement's, else Journey.suggested_step.

    `placements` may be the person's Placement rows already fetched, and `steps` the journey's
    steps in order (to keep pages to a constant number of queries); else `journey.steps`
    should be prefetched for the same reason.
    """
    suggested = journey.suggested_step(person, steps=steps)
    if placements is None:
        placements = Placement.objects.filter(person=person, journey=journey).select_related("step")
    for placement in placements:
        if placement.journey_id == journey.pk:
            return CurrentPlacement(
                step=placement.step,
                suggested=suggested,
                source=placement.source,
                reason=placement.reason,
            )
    return CurrentPlacement(step=suggested, suggested=suggested, source="suggested")


def _check_step_in_journey(journey, step):
    if step.journey_id != journey.pk:
        raise PlacementError(_("That step does not belong to this journey."))


@transaction.atomic
def enter_directly(person, journey, step):
    """Place a person, at their own choice, on an experience step at or above the suggested one.

    Experienced staff skip the earlier steps; nobody may choose a step below what their years
    in the profession suggest (a manager can do that, with a reason). People whose role at work
    places them on a role step do not leave it themselves: their manager can place them.
    """
    _check_step_in_journey(journey, step)
    if not step.follows_experience:
        raise PlacementError(
            _("Steps for managers and team leaders are set by your manager, not chosen.")
        )
    suggested = journey.suggested_step(person)
    if suggested is not None and suggested.work_role:
        raise PlacementError(
            _(
                "Your role at work places you on %(step)s. Ask your manager if another step "
                "fits you better."
            )
            % {"step": suggested.name}
        )
    if suggested is not None and step.order < suggested.order:
        raise PlacementError(
            _("You cannot choose a step below %(step)s, the one your experience suggests.")
            % {"step": suggested.name}
        )
    placement, _created = Placement.objects.update_or_create(
        person=person,
        journey=journey,
        defaults={
            "step": step,
            "source": Placement.Source.DIRECT_ENTRY,
            "reason": "",
            "decided_by": person,
        },
    )
    log_action(person, "placement.enter_directly", placement, subject=person, step=step.slug)
    return placement


@transaction.atomic
def override_placement(person, journey, step, *, reason, by):
    """A manager places a person on any step of a journey; the reason is required and logged."""
    _check_step_in_journey(journey, step)
    reason = reason.strip()
    if not reason:
        raise PlacementError(_("Give a reason for changing the step."))
    placement, _created = Placement.objects.update_or_create(
        person=person,
        journey=journey,
        defaults={
            "step": step,
            "source": Placement.Source.MANAGER,
            "reason": reason,
            "decided_by": by,
        },
    )
    log_action(by, "placement.override", placement, subject=person, step=step.slug, reason=reason)
    return placement


@transaction.atomic
def set_work_role(person, work_role, *, by):
    """Record the person's role at work (a WorkRole value, or "" for none), which places them
    on the step for that role in each journey that has one (Journey.suggested_step).

    The person's placements on the journeys with a step for the old or the new role are
    removed, so that they stand where their role now puts them; placements elsewhere stay.
    Refuses (PlacementError, nothing written) a value that is no role at work; does nothing
    when the role is unchanged. Locks the person's row, so that two changes at once are
    logged one after the other. Logs the change with the placements removed.
    """
    if work_role and work_role not in WorkRole.values:
        raise PlacementError(_("Choose a role at work from the list."))
    previous = (
        User.objects.select_for_update().values_list("work_role", flat=True).get(pk=person.pk)
    )
    if work_role == previous:
        person.work_role = work_role
        return
    roles = {previous, work_role} - {""}
    journeys = Step.objects.filter(work_role__in=roles).values("journey_id")
    placements = Placement.objects.filter(person=person, journey_id__in=journeys)
    cleared = dict(placements.values_list("journey__slug", "step__slug"))
    placements.delete()
    User.objects.filter(pk=person.pk).update(work_role=work_role)
    person.work_role = work_role
    log_action(
        by,
        "person.work_role",
        person,
        subject=person,
        work_role=work_role,
        previous=previous,
        cleared_placements=cleared,
    )
