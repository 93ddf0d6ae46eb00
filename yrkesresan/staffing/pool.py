"""The trainer pool: applications, the manager's approval with a cap, the coordinator's
acceptance, trainer training per course, and availability by date.

Every function assumes the caller was authorised (`access.py`) and raises StaffingError with a
complete, translated sentence when refused.
"""

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.core.models import log_action

from . import signals
from .models import Availability, Plan, PlanAssignment, PoolMembership, TrainerTraining
from .services import StaffingError

Status = PoolMembership.Status
MAX_DAYS_PER_TERM = 40


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@transaction.atomic
def apply(person, structure, courses, *, motivation, experience):
    """The person applies to train `courses` in the structure's pool (again, if refused or
    removed before)."""
    courses = list(courses)
    if not courses:
        raise StaffingError(_("Choose at least one course to train."))
    if not motivation.strip() or not experience.strip():
        raise StaffingError(_("Write both your motivation and your experience."))
    membership = (
        PoolMembership.objects.select_for_update()
        .filter(person=person, structure=structure)
        .first()
    )
    if membership is not None and membership.status not in (Status.REFUSED, Status.REMOVED):
        raise StaffingError(_("You have already applied to this pool."))
    if membership is None:
        membership = PoolMembership(person=person, structure=structure)
    membership.status = Status.APPLIED
    membership.motivation, membership.experience = motivation.strip(), experience.strip()
    membership.days_per_term, membership.approved_by = 0, None
    membership.save()
    membership.courses.set(courses)
    log_action(person, "trainer_pool.applied", membership, courses=[c.pk for c in courses])
    return membership


@transaction.atomic
def manager_decides(membership, *, approve, days_per_term=0, by):
    """The person's manager approves the time away with a cap of days per term, or refuses."""
    membership = PoolMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.APPLIED:
        raise StaffingError(_("The application has already been decided."))
    if approve and not 1 <= days_per_term <= MAX_DAYS_PER_TERM:
        raise StaffingError(
            _("Days per term must be between 1 and %(max)s.") % {"max": MAX_DAYS_PER_TERM}
        )
    membership.status = Status.MANAGER_APPROVED if approve else Status.REFUSED
    membership.days_per_term = days_per_term if approve else 0
    membership.approved_by = by if approve else None
    membership.save(update_fields=["status", "days_per_term", "approved_by"])
    log_action(by, "trainer_pool.manager_decided", membership, approve=approve,
               days_per_term=membership.days_per_term)  # fmt: skip
    return membership


@transaction.atomic
def coordinator_decides(membership, *, accept, by):
    """The coordinator accepts a manager-approved applicant into the pool (they get the
    trainer role of the structure) or refuses them."""
    membership = PoolMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.MANAGER_APPROVED:
        raise StaffingError(_("Only an application the manager has approved can be decided."))
    membership.status = Status.ACCEPTED if accept else Status.REFUSED
    membership.save(update_fields=["status"])
    if accept:
        RoleAssignment.objects.get_or_create(
            user=membership.person, role=RoleAssignment.Role.TRAINER,
            structure=membership.structure,
        )  # fmt: skip
    log_action(by, "trainer_pool.coordinator_decided", membership, accept=accept)
    return membership


@transaction.atomic
def remove_from_pool(membership, *, by):
    """Take a trainer out of the pool. The accepted plan is not changed: the days they are
    planned on are returned (and shown by `plans.plan_problems`) for the coordinator to
    re-plan."""
    membership = PoolMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.ACCEPTED:
        raise StaffingError(_("%(person)s is not in the pool.") % {"person": membership.person})
    membership.status = Status.REMOVED
    membership.save(update_fields=["status"])
    planned = list(
        PlanAssignment.objects.filter(
            person=membership.person_id,
            plan__structure=membership.structure_id,
            plan__status=Plan.Status.ACCEPTED,
        ).select_related("day__round")
    )
    log_action(by, "trainer_pool.removed", membership, planned=[a.day_id for a in planned])
    return planned


@transaction.atomic
def record_training(person, course, trained_on, *, by):
    """Record (or correct the date of) the person's trainer training for a course."""
    training, _created = TrainerTraining.objects.update_or_create(
        person=person, course=course, defaults={"trained_on": trained_on}
    )
    log_action(by, "trainer_pool.training_recorded", training, course=course.pk,
               trained_on=trained_on.isoformat())  # fmt: skip
    return training


@transaction.atomic
def set_availability(person, date, *, available):
    """The person marks whether they can take course days on `date`. A date their manager
    withdrew stays withdrawn."""
    current = Availability.objects.select_for_update().filter(person=person, date=date).first()
    if current is not None and current.withdrawn_reason:
        raise StaffingError(
            _("Your manager has withdrawn %(date)s: %(reason)s")
            % {"date": _date(date), "reason": current.withdrawn_reason}
        )
    availability, _created = Availability.objects.update_or_create(
        person=person, date=date, defaults={"available": available}
    )
    return availability


@transaction.atomic
def withdraw_date(person, date, *, reason, by):
    """The person's manager withdraws the approval of `date`, with a reason the coordinator
    is told (signals.availability_withdrawn)."""
    reason = reason.strip()
    if not reason:
        raise StaffingError(_("Give a reason for withdrawing the date."))
    availability, _created = Availability.objects.update_or_create(
        person=person, date=date,
        defaults={"available": False, "withdrawn_reason": reason[:300], "withdrawn_by": by},
    )  # fmt: skip
    log_action(by, "trainer_pool.date_withdrawn", availability, date=date.isoformat())
    signals.availability_withdrawn.send(sender=Availability, availability=availability)
    return availability
