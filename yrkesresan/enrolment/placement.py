"""Placement on a journey's steps: suggested by experience, chosen, or set by a manager."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yrkesresan.core.models import log_action

from .models import Placement


class PlacementError(Exception):
    """A refused placement; the message is a complete, translated sentence for the user."""


@dataclass(frozen=True)
class CurrentPlacement:
    step: object  # catalog.Step or None when nothing can be suggested
    suggested: object  # the step the years in the profession suggest, or None
    source: str  # "suggested" or a Placement.Source value
    reason: str = ""

    @property
    def is_above_suggestion(self):
        return bool(self.step and self.suggested and self.step.order > self.suggested.order)


def current_placement(person, journey, placements=None):
    """The step a person is on in a journey.

    `placements` may be the person's Placement rows already fetched (to keep list pages to a
    constant number of queries); `journey.steps` should be prefetched for the same reason.
    """
    suggested = journey.suggested_step(person.years_in_profession())
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
    in the profession suggest (a manager can do that, with a reason).
    """
    _check_step_in_journey(journey, step)
    if not step.follows_experience:
        raise PlacementError(
            _("Steps for managers and team leaders are set by your manager, not chosen.")
        )
    suggested = journey.suggested_step(person.years_in_profession())
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
    log_action(person, "placement.enter_directly", placement, step=step.slug)
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
    log_action(by, "placement.override", placement, step=step.slug, reason=reason)
    return placement


@transaction.atomic
def reset_placement(person, journey, *, by):
    """Return a person to the step their experience suggests."""
    deleted, _rows = Placement.objects.filter(person=person, journey=journey).delete()
    if deleted:
        log_action(by, "placement.reset", person, journey=journey.slug)
