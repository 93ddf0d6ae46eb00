"""Registrations and the waiting list, and the locking protocol of a registration's whole life.

The protocol, for every writing module of enrolment (this one, attendance.py, make-up days in
attendance.py, deep_dive.py, review.py, completion.py, preparation.py, placement.py):

1. Seats and the waiting list (register, cancel_registration, promote_from_waitlist,
   change_seats, change_status, update_round) lock the round row first (`select_for_update`)
   inside a transaction, then count and write. Concurrent registrations into one round queue on
   that lock on PostgreSQL and cannot oversell; on SQLite the database lock serialises them.
2. What follows a registration (attendance, make-up days, deep-dive answers and their review,
   completion) locks the registration rows it changes (`select_for_update(of=("self",))`), or
   the answer or make-up row, and never a round after a registration: locks are always taken
   round, then registration, then the rows under it, so two services cannot deadlock.
3. A person holds at most one live registration per course (Registration.is_live). Two rounds
   of a course are two locks, so that rule is not the round lock's: each live registration
   carries its course in `live_course`, and the unique constraint one_live_registration_per_course
   makes the second of two simultaneous registrations of one person on one course wait for the
   first at its insert and fail once the first commits; `register` answers that as the refusal
   the rules would have given.
4. A person's own rows (placement, role at work, preparation progress) lock the person's row or
   the progress row.

The messages that follow (e-mail, calendar) are queued by receivers of enrolment/signals.py
on commit, so a rolled-back change sends nothing.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.compiled import CompiledQuery
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import Round

from . import access as enrolment_access
from . import signals
from .models import Completion, Placement, Registration
from .placement import current_placement


class RegistrationError(DomainError):
    """A refused registration or cancellation; the message is a complete, translated sentence.

    A conflict with the round's or the person's current state: 409. `code` names the refusals
    an API client may act on (one of the constants below, else "") and `round_id` the round it
    concerns, where that is another round than the one asked for.
    """

    status = 409
    BOOKED_ON_COURSE = "booked_on_course"
    COURSE_COMPLETED = "course_completed"
    STAFF_OF_ROUND = "staff_of_round"

    def __init__(self, message, *, code="", round_id=None):
        super().__init__(message, code=code)
        self.round_id = round_id

    def details(self):
        fields = super().details()
        if self.round_id is not None:
            fields["round"] = self.round_id
        return fields


def step_mismatch(person, round):
    """True when the course's step is not the step the person is placed on."""
    journey = round.course.step.journey
    placement = current_placement(person, journey)
    return placement.step is not None and placement.step.pk != round.course.step_id


def round_accepts_registrations(round, by):
    """Open rounds take registrations; a closed one still does from its coordinator."""
    return round.status == Round.Status.OPEN or (
        round.status == Round.Status.CLOSED and round_access.can_manage_round(by, round)
    )


@dataclass(frozen=True)
class RuleFacts:
    """What the registration rules need besides the round and the person, read by the caller
    together with them (with the expressions below): whether the person's municipality is a
    member today, the step the person is on in the round's journey (their placement, else
    Journey.suggested_step; None when neither is known), the round of
    their live registration in another round of the course (None when there is none), whether
    they have completed the course, and whether they are in one of the round's teams."""

    is_member: bool
    step_id: int | None
    live_round_id: int | None
    completed: bool
    in_team: bool


# The rules' facts as SQL expressions, for callers that read them together with the round and
# the person (the API): organisations.models.member_on for the membership, and the same rules
# as the placement lookup of learning.services.current_placement and Journey.suggested_step.


def placed_step_id(person_id, journey_id):
    """The step of the person's placement on the journey (ids or OuterRefs), or NULL."""
    placements = Placement.objects.filter(person_id=person_id, journey_id=journey_id)
    return Subquery(placements.values("step_id")[:1])


def live_round_elsewhere(person_id, course_id, round_id):
    """The round of the person's live registration on the course in a round other than
    `round_id` (ids or OuterRefs), or NULL."""
    registrations = (
        Registration.objects.live()
        .filter(person_id=person_id, round__course_id=course_id)
        .exclude(round_id=round_id)
    )
    return Subquery(registrations.order_by().values("round_id")[:1])


def completed_course(person_id, course_id):
    """Exists: the person (an id or OuterRef) has completed the course."""
    return Exists(Completion.objects.filter(person_id=person_id, course_id=course_id))


def in_team_of(person_id, round_id):
    """Exists: the person is a trainer in one of the round's teams (staffing.Team)."""
    return Exists(Round.objects.filter(pk=round_id, teams__members=person_id))


def booking_facts(person, round):
    """(live_round_id, completed, in_team) of RuleFacts, read in one query."""
    return (
        Round.objects.filter(pk=round.pk)
        .order_by()
        .annotate(
            live_round_id=live_round_elsewhere(person.pk, round.course_id, round.pk),
            completed=completed_course(person.pk, round.course_id),
            in_team=in_team_of(person.pk, round.pk),
        )
        .values_list("live_round_id", "completed", "in_team")
        .get()
    )


def booked_on_course(person, round_id):
    """The refusal for a person whose live registration in round `round_id` holds the course."""
    held = Registration.objects.select_related("round__structure").get(
        round_id=round_id, person=person
    )
    if held.status == Registration.Status.WAITLISTED:
        message = _(
            "%(person)s is already on the waiting list for %(round)s (%(term)s, %(structure)s), "
            "a round of the same course. Cancel that place first."
        )
    else:
        message = _(
            "%(person)s already has a place in %(round)s (%(term)s, %(structure)s), a round of "
            "the same course. Cancel that registration first; a missed course day is made up "
            "with a make-up day in a later round."
        )
    other = held.round
    return RegistrationError(
        message
        % {
            "person": person,
            "round": other.name,
            "term": other.term,
            "structure": other.structure.name,
        },
        code=RegistrationError.BOOKED_ON_COURSE,
        round_id=other.pk,
    )


def check_booking(person, round, *, live_round_id, completed, in_team):
    """Raise RegistrationError unless `person` may take a place in `round`: not its course
    leader or one of its trainers, the course not completed, and no live registration in
    another round of the course. One live registration per person and course."""
    if round.course_leader_id == person.pk:
        raise RegistrationError(
            _("%(person)s is the course leader of this round and cannot also take part.")
            % {"person": person},
            code=RegistrationError.STAFF_OF_ROUND,
        )
    if in_team:
        raise RegistrationError(
            _("%(person)s is a trainer in this round and cannot also take part.")
            % {"person": person},
            code=RegistrationError.STAFF_OF_ROUND,
        )
    if completed:
        completion = (
            Completion.objects.filter(person=person, course_id=round.course_id)
            .select_related("registration__round__structure")
            .get()
        )
        done_in = completion.registration.round
        raise RegistrationError(
            _(
                "%(person)s has already completed this course, in %(round)s (%(term)s, "
                "%(structure)s), and cannot take it again."
            )
            % {
                "person": person,
                "round": done_in.name,
                "term": done_in.term,
                "structure": done_in.structure.name,
            },
            code=RegistrationError.COURSE_COMPLETED,
            round_id=done_in.pk,
        )
    if live_round_id is not None:
        raise booked_on_course(person, live_round_id)


def check_can_register(person, round, *, by, step_mismatch_reason="", facts=None):
    """Raise RegistrationError unless `by` may register `person` into `round` now.

    `facts` (RuleFacts) spares the queries for the membership, the placement, the steps and
    the person's other registrations, completions and teams.
    """
    if not enrolment_access.can_register(by, person, round):
        raise RegistrationError(
            _("You may not register %(person)s for this round.") % {"person": person}
        )
    if not round_accepts_registrations(round, by):
        raise RegistrationError(_("The round is not open for registration."))
    if facts is None:
        municipality = person.municipality
        today = timezone.localdate()
        is_member = municipality is not None and municipality.membership_on(today) is not None
    else:
        is_member = facts.is_member
    if not is_member:
        if person.municipality is not None:
            raise RegistrationError(person.municipality.not_a_member_message())
        raise RegistrationError(
            _("%(person)s works in a municipality that is not a member of the programme.")
            % {"person": person}
        )
    if facts is None:
        live_round, completed, in_team = booking_facts(person, round)
    else:
        live_round, completed, in_team = facts.live_round_id, facts.completed, facts.in_team
    check_booking(person, round, live_round_id=live_round, completed=completed, in_team=in_team)
    if facts is None:
        mismatch = step_mismatch(person, round)
    else:
        mismatch = facts.step_id is not None and facts.step_id != round.course.step_id
    if mismatch and not step_mismatch_reason.strip():
        raise RegistrationError(
            _(
                "The course is on the step %(step)s, which is not %(person)s's step. "
                "Give a reason to register anyway."
            )
            % {"step": round.course.step.name, "person": person}
        )


# The statements under the round's lock, compiled once (see core/compiled.py): the lock, then the
# seats taken, the waiting list and the person's own row in one aggregate.
LOCK_ROUND = CompiledQuery(
    lambda round_id: (
        Round.objects.select_for_update()
        .filter(pk=round_id)
        .order_by()
        .values_list("status", "seats")
    ),
    round_id=2_000_000_021,
)
COUNT_SEATS = CompiledQuery(
    lambda round_id, person_id: (
        Registration.objects.filter(round_id=round_id)
        .order_by()
        .values("round_id")
        .annotate(
            taken=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
            mine=Max("pk", filter=Q(person_id=person_id)),
        )
        .values_list("taken", "waiting", "mine")
    ),
    round_id=2_000_000_022,
    person_id=2_000_000_023,
)


def register(
    person,
    round,
    *,
    by,
    step_mismatch_reason="",
    special_diet="",
    accessibility_needs="",
    needs_consent=False,
    facts=None,
):
    """Register `person` into `round`: a seat if one is free, else the waiting list.

    Idempotent: an active registration is returned as it is (also when another request made it
    while this one waited for the round's lock). A cancelled one is renewed and joins the end of
    the queue. The registration's `made_now` tells which: True when this call registered the
    person, False when it found them registered. Raises RegistrationError when refused.

    The rules that do not depend on the seats are checked before the round's row lock is
    taken, so the lock is held only to count and insert: on the day registration opens,
    hundreds of registrations queue on it. Under the lock: the lock, one query for the seats,
    the queue and the person's own row, the insert, the audit event and the calendar state.

    `facts`: the RuleFacts the caller read together with `round` in this request (the API
    does, with the expressions above); the round is then used as it is (with its course and
    step) rather than read again. Its status is checked again under the lock either way.

    One live registration per person and course: the round's lock does not serialise two
    rounds of a course, and no lock is taken on the person. The registration is written with
    its course in `live_course`; when another request has given the person a live place on
    the course since the rules were read, the unique constraint one_live_registration_per_course
    refuses the insert (on PostgreSQL the second insert waits for the first transaction and
    fails when it commits) and the refusal is the rules' RegistrationError naming that round.
    """
    if facts is None:
        round = Round.objects.select_related("course__step__journey", "structure").get(pk=round.pk)
    try:
        check_can_register(
            person, round, by=by, step_mismatch_reason=step_mismatch_reason, facts=facts
        )
    except RegistrationError:
        # A retry gets the active registration as it is, even if the rules refuse now.
        existing = Registration.objects.filter(round=round, person=person).order_by().first()
        if existing and existing.is_active and enrolment_access.can_register(by, person, round):
            existing.made_now = False
            return existing
        raise
    if not needs_consent:
        special_diet = accessibility_needs = ""
    step_mismatch_reason = step_mismatch_reason.strip()
    special_diet, accessibility_needs = special_diet.strip(), accessibility_needs.strip()
    with _one_live_registration_per_course(person, round), transaction.atomic():
        ((round_status, seats),) = LOCK_ROUND.rows(round_id=round.pk)
        if round_status != round.status:
            round.status = round_status
            check_can_register(
                person, round, by=by, step_mismatch_reason=step_mismatch_reason, facts=facts
            )
        # A new statement after the lock, so it sees every registration committed before it.
        taken, waiting, mine = (
            COUNT_SEATS.rows(round_id=round.pk, person_id=person.pk) or [(0, 0, None)]
        )[0]
        existing = Registration.objects.get(pk=mine) if mine else None
        if existing and existing.is_active:
            existing.made_now = False
            return existing
        fields = {
            "status": (
                Registration.Status.REGISTERED if taken < seats else Registration.Status.WAITLISTED
            ),
            "queued_at": timezone.now(),
            "registered_by": by,
            "step_mismatch_reason": step_mismatch_reason,
            "special_diet": special_diet,
            "accessibility_needs": accessibility_needs,
            "needs_consent": needs_consent,
            "cancelled_at": None,
            "cancel_reason": "",
            "cancelled_late": False,
            "live_course_id": round.course_id,
        }
        if existing:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            registration = existing
        else:
            registration = Registration.objects.create(round=round, person=person, **fields)
        registration.made_now = True
        status = registration.status
        log_action(
            by,
            f"registration.{status}",
            registration,
            subject=person,
            round=round.pk,
            person=person.pk,
        )
        signals.registration_confirmed.send(
            sender=Registration,
            registration=registration,
            created=existing is None,
            # The newest in the queue: behind everyone waiting before.
            position=waiting + 1 if existing is None else None,
        )
    return registration


@contextmanager
def _one_live_registration_per_course(person, round):
    """Around register's transaction: the constraint one_live_registration_per_course refusing
    its insert (another request gave the person a live place on the course after the rules
    were read) is refused as the rules refuse it now, naming that round."""
    try:
        yield
    except IntegrityError:
        held = (
            Registration.objects.filter(person=person, live_course_id=round.course_id)
            .exclude(round_id=round.pk)
            .values_list("round_id", flat=True)
            .first()
        )
        if held is None:
            raise
        raise booked_on_course(person, held) from None


@transaction.atomic
def cancel_registration(registration, *, by, reason):
    """Cancel a registration with a reason; a freed seat goes at once to the waiting list.

    A cancellation after the round's registration deadline is marked late.
    """
    if not enrolment_access.can_cancel(by, registration):
        raise RegistrationError(_("You may not cancel this registration."))
    reason = reason.strip()
    if not reason:
        raise RegistrationError(_("Give a reason for the cancellation."))
    locked = Round.objects.select_for_update().get(pk=registration.round_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise RegistrationError(_("The registration is already cancelled."))
    had_seat = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancel_reason = reason
    registration.cancelled_late = timezone.localdate() > locked.registration_closes_on
    registration.special_diet = registration.accessibility_needs = ""
    registration.live_course = None
    registration.save()
    log_action(
        by,
        "registration.cancelled",
        registration,
        subject=registration.person_id,
        reason=reason,
        late=registration.cancelled_late,
    )
    signals.registration_cancelled.send(sender=Registration, registration=registration)
    if had_seat:
        promote_from_waitlist(locked, by=by)
    return registration


def promote_from_waitlist(round, *, by=None):
    """Fill free seats from the waiting list, first come first served. Needs the round lock.

    Returns the promoted registrations.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("promote_from_waitlist must run inside the round's transaction")
    taken = round.registrations.filter(status=Registration.Status.REGISTERED).count()
    free = max(round.seats - taken, 0)
    promoted = list(
        round.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "queued_at", "id"
        )[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
        log_action(
            by,
            "registration.promoted",
            registration,
            subject=registration.person_id,
            round=round.pk,
        )
        signals.promoted_from_waitlist.send(sender=Registration, registration=registration)
    return promoted


@transaction.atomic
def change_seats(round, seats, *, by):
    """Change the number of seats; more seats promote people from the waiting list at once."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    taken = locked.registrations.filter(status=Registration.Status.REGISTERED).count()
    if seats < taken:
        raise RegistrationError(
            _("%(taken)s people already have seats; cancel registrations before reducing.")
            % {"taken": taken}
        )
    old = locked.seats
    locked.seats = seats
    locked.save(update_fields=["seats"])
    log_action(by, "round.seats", locked, old=old, new=seats)
    promote_from_waitlist(locked, by=by)
    return locked


@transaction.atomic
def change_status(round, status, *, by):
    """Move a round along its lifecycle; completion erases diet and accessibility needs."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if not locked.can_move_to(status):
        raise RegistrationError(
            _("A round that is %(current)s cannot become %(new)s.")
            % {
                "current": locked.get_status_display().lower(),
                "new": Round.Status(status).label.lower(),
            }
        )
    old = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    if status == Round.Status.COMPLETED:
        # The registrations are history now: the course is free to book again.
        locked.registrations.update(special_diet="", accessibility_needs="", live_course=None)
    if status == Round.Status.CANCELLED:
        _cancel_everyone(locked)
    log_action(by, "round.status", locked, old=old, new=status)
    return locked


def _cancel_everyone(round):
    """A cancelled round cancels its registrations; everyone is told and their events withdrawn.

    Not marked late: the participants did not cancel.
    """
    now = timezone.now()
    for registration in round.registrations.exclude(status=Registration.Status.CANCELLED):
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = _("The round was cancelled.")
        registration.cancelled_late = False
        registration.special_diet = registration.accessibility_needs = ""
        registration.live_course = None
        registration.save()
        signals.registration_cancelled.send(sender=Registration, registration=registration)


@transaction.atomic
def update_round(round, *, by, seats, **fields):
    """Change a round's plan (rounds.services.update_round) and its seats in one transaction,
    under the round's lock: more seats promote people from the waiting list at once. Raises
    PlanningError, with a seats problem when the seats cannot change."""
    locked = planning.update_round(round, by=by, seats=seats, **fields)
    if seats != locked.seats:
        try:
            locked = change_seats(locked, seats, by=by)
        except RegistrationError as error:
            raise planning.PlanningError([planning.Problem(str(error), "seats")]) from None
    return locked
