"""Moves between employers: the record follows the person, the managers change.

A move changes only the person's employer (municipality and unit). Placements, registrations,
completions and certificates belong to the person and are not touched, so the new employer's
managers see the whole record at once and the old ones no longer see the person.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.organisations.models import Municipality, Unit

from .models import EmployerChange, RoleAssignment, User

Role = RoleAssignment.Role


class MoveError(DomainError):
    """A refused move; the message is a complete, translated sentence for the user."""


@transaction.atomic
def move_person(person, *, municipality, unit, moved_on, by):
    """Record that `person` moved to `municipality` (and `unit` there, or none) on `moved_on`.

    Refuses (MoveError, nothing written) when the municipality does not exist or is the
    person's current one, when the unit belongs to another municipality, when the date is in
    the future or before the person's last recorded move. The person's row is locked so two
    moves recorded at once cannot both start from the same employer.

    Roles tied to the old employer (manager of one of its units, municipal contact of the old
    municipality) end with the move: they were given by that employer. Everything else the
    person holds stays. Returns the EmployerChange.
    """
    locked = (
        User.objects.select_for_update(of=("self",))
        .select_related("municipality", "unit")
        .get(pk=person.pk)
    )
    target = Municipality.objects.filter(pk=getattr(municipality, "pk", None)).first()
    if target is None:
        raise MoveError(_("Choose a municipality that exists."))
    if unit is not None and unit.municipality_id != target.pk:
        raise MoveError(
            _("The unit %(unit)s does not belong to %(municipality)s.")
            % {"unit": unit.name, "municipality": target.name}
        )
    if unit is not None and not Unit.objects.filter(pk=unit.pk).exists():
        raise MoveError(_("Choose a unit that exists."))
    if target.pk == locked.municipality_id:
        raise MoveError(
            _("%(person)s already works in %(municipality)s. Choose another municipality.")
            % {"person": locked.get_full_name(), "municipality": target.name}
        )
    if moved_on > timezone.localdate():
        raise MoveError(_("A move is recorded on or after the day it happens, not before."))
    last = EmployerChange.objects.filter(person=locked).order_by("-moved_on").first()
    if last is not None and moved_on < last.moved_on:
        raise MoveError(
            _("%(person)s's last recorded move was on %(date)s; a new move cannot be earlier.")
            % {"person": locked.get_full_name(), "date": last.moved_on.isoformat()}
        )

    change = EmployerChange.objects.create(
        person=locked,
        from_municipality=locked.municipality,
        from_unit=locked.unit,
        to_municipality=target,
        to_unit=unit,
        moved_on=moved_on,
        recorded_by=by,
    )
    ended = _end_roles_at_old_employer(locked)
    User.objects.filter(pk=locked.pk).update(municipality=target, unit=unit)
    log_action(
        by,
        "person.move",
        locked,
        subject=locked,
        from_municipality=locked.municipality_id,
        from_unit=locked.unit_id,
        to_municipality=target.pk,
        to_unit=unit.pk if unit else None,
        moved_on=moved_on.isoformat(),
        ended_roles=ended,
    )
    # The caller's object follows the move too.
    person.municipality, person.unit = target, unit
    return change


def _end_roles_at_old_employer(person):
    """Delete the person's manager and municipal-contact roles at their old employer; returns
    their descriptions for the audit log."""
    if person.municipality_id is None:
        return []
    roles = RoleAssignment.objects.filter(user=person).filter(
        Q(role=Role.MANAGER, unit__municipality_id=person.municipality_id)
        | Q(role=Role.MUNICIPAL_CONTACT, municipality_id=person.municipality_id)
    )
    ended = [f"{role.role}:{role.unit_id or role.municipality_id}" for role in roles]
    roles.delete()
    return ended
