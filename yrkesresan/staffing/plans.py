"""A structure's term plan: proposed by the planner, locked, re-planned, accepted, answered.

The writes of the planning journey (the pool's and availability's are in `pool.py`):
- `request_plan` queues a proposal (the background task `tasks.run_plan` runs `run_plan`),
  carrying over the locks of the proposal it re-plans;
- `lock_team` locks or unlocks a team (or the course leader) of one round in a proposal;
- `accept_plan` makes a proposal the accepted plan and writes it to the rounds' teams, days
  and course leaders (through `services`), then tells the trainers (`signals.plan_accepted`);
- `answer_day` is a trainer's confirmation or decline of one day; a decline marks the date
  unavailable, so the next proposal fills the day.
`load_problem` turns the database into the planner's `Problem`; `plan_problems` lists what no
longer holds in the accepted plan (a person out of the pool, a moved day, a declined day).
Every function assumes the caller was authorised (`access.py`).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog import versions
from yrkesresan.core.models import log_action
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.organisations.models import Municipality, SupportStructure
from yrkesresan.rounds.models import CourseDay, Round, term_dates

from . import planner, services, signals
from .models import Availability, Plan, PlanAssignment, PoolMembership, Team, TrainerTraining
from .services import StaffingError

Role = RoleAssignment.Role
DONE_STATUSES = (Round.Status.CANCELLED, Round.Status.COMPLETED)
DEFAULT_TIME_LIMIT = 20  # seconds; a seed-sized term is solved to optimum well within it


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def plannable_rounds(structure, term):
    """The structure's rounds of the term the planner staffs: not cancelled or completed."""
    return (
        Round.objects.filter(structure=structure, term=term)
        .exclude(status__in=DONE_STATUSES)
        .select_related("course")
        .order_by("name", "pk")
    )


def _venue_municipalities(structure):
    """Municipality code by name in the structure's counties, for reading venue addresses."""
    return dict(
        Municipality.objects.filter(county__support_structures=structure).values_list(
            "name", "code"
        )
    )


def venue_municipality(venue, codes):
    """The code of the municipality a venue's address ends with ("Storgatan 1, Eskilstuna")."""
    if venue is None:
        return ""
    for part in reversed([p.strip() for p in venue.address.split(",")]):
        for word in [part, *part.split()[1:]]:  # "632 20 Eskilstuna" -> "Eskilstuna"
            if word in codes:
                return codes[word]
    return ""


def in_pool(structure_id):
    """The structure's pool: accepted members who hold its trainer role (accepting gives the
    role; the staffing pages take trainers by the role)."""
    trainers = RoleAssignment.objects.filter(structure=structure_id, role=Role.TRAINER)
    return PoolMembership.objects.filter(
        structure=structure_id,
        status=PoolMembership.Status.ACCEPTED,
        person__in=trainers.values("user_id"),
    ).order_by()


def day_staffing(round):
    """A function: day number -> (trainers, team), as the round's course version's day plans
    say (the course's own day plans for a round planned before the course had versions; the
    kept default for a day without a plan). Reads the prefetched `course__day_plans` and the
    selected `course_version`."""
    if round.course_version_id:
        plans = versions.day_staffing(round.course_version.content)
    else:
        plans = {plan.number: (plan.trainers, plan.team) for plan in round.course.day_plans.all()}
    return lambda number: plans.get(number) or versions.kept_staffing(number)


def load_problem(structure, term, *, locks=(), previous=()):
    """The planner's Problem for the structure's term, read in a fixed number of queries."""
    rounds = list(
        plannable_rounds(structure, term)
        .select_related("course_version")
        .prefetch_related("days__venue", "course__day_plans")
    )
    round_ids = [r.pk for r in rounds]
    first, last = term_dates(term)
    registrations = Round._meta.get_field("registrations").related_model
    participants = defaultdict(set)
    for round_id, person_id in (
        registrations.objects.filter(round__in=round_ids, status__in=registrations.LIVE_STATUSES)
        .order_by()
        .values_list("round_id", "person_id")
    ):
        participants[round_id].add(person_id)
    codes = _venue_municipalities(structure)
    planned_rounds = []
    for r in rounds:
        days = sorted(r.days.all(), key=lambda d: d.number)
        if not days:
            continue
        staffing = day_staffing(r)
        planned_rounds.append(
            planner.Round(
                r.pk,
                r.name,
                r.course_id,
                tuple(
                    planner.Day(
                        d.pk,
                        d.number,
                        d.date,
                        d.is_physical,
                        venue_municipality(d.venue, codes) if d.is_physical else "",
                        *staffing(d.number),
                    )
                    for d in days
                ),
                frozenset(participants[r.pk]),
            )
        )

    caps = dict(in_pool(structure.pk).values_list("person_id", "days_per_term"))
    leader_ids = set(
        RoleAssignment.objects.filter(structure=structure, role=Role.COURSE_LEADER)
        .order_by()
        .values_list("user_id", flat=True)
    )
    people = list(
        User.objects.filter(pk__in=set(caps) | leader_ids, is_active=True)
        .select_related("municipality")
        .order_by("last_name", "first_name", "pk")
    )
    ids = [p.pk for p in people]
    trained = defaultdict(set)
    for person_id, course_id in (
        TrainerTraining.objects.filter(person__in=ids).order_by().values_list("person", "course")
    ):
        trained[person_id].add(course_id)
    available, withdrawn = defaultdict(set), defaultdict(set)
    for a in Availability.objects.filter(person__in=ids, date__range=(first, last)).order_by():
        if a.withdrawn_by_id or a.withdrawn_reason:
            withdrawn[a.person_id].add(a.date)
        elif a.available:
            available[a.person_id].add(a.date)
    busy, used = defaultdict(set), defaultdict(int)
    outside = (
        CourseDay.objects.filter(date__range=(first, last))
        .exclude(round__in=round_ids)
        .exclude(round__status=Round.Status.CANCELLED)
    )
    for person_id, date in (
        outside.filter(team_assignment__team__members__in=ids)
        .order_by()
        .values_list("team_assignment__team__members", "date")
        .union(
            outside.filter(round__course_leader__in=ids)
            .order_by()
            .values_list("round__course_leader", "date"),
            all=True,
        )
    ):
        busy[person_id].add(date)
        used[person_id] += 1
    return planner.Problem(
        planned_rounds,
        [
            planner.Person(
                p.pk,
                p.get_full_name() or p.email,
                municipality=p.municipality.code if p.municipality else "",
                trainer=p.pk in caps,
                leader=p.pk in leader_ids,
                cap=caps.get(p.pk),
                trained=frozenset(trained[p.pk]),
                available=frozenset(available[p.pk]),
                withdrawn=frozenset(withdrawn[p.pk]),
                busy=frozenset(busy[p.pk]),
                used=used[p.pk],
            )
            for p in people
        ],
        locks=set(locks),
        previous=set(previous),
    )


def accepted_plan(structure, term):
    return Plan.objects.filter(structure=structure, term=term, status=Plan.Status.ACCEPTED).first()


def latest_proposal(structure, term):
    return (
        Plan.objects.filter(structure=structure, term=term)
        .exclude(status__in=[Plan.Status.ACCEPTED, Plan.Status.SUPERSEDED])
        .first()
    )


@transaction.atomic
def request_plan(structure, term, *, by, time_limit=DEFAULT_TIME_LIMIT):
    """Queue a new proposal for the structure's term; it keeps the locks of the latest
    proposal. Returns the Plan (QUEUED); the background task fills it."""
    from .tasks import run_plan  # the task module imports this one

    SupportStructure.objects.select_for_update().filter(pk=structure.pk).first()
    if not plannable_rounds(structure, term).filter(days__isnull=False).exists():
        raise StaffingError(
            _("%(structure)s has no rounds with days to plan in %(term)s.")
            % {"structure": structure, "term": term}
        )
    based_on = latest_proposal(structure, term)
    plan = Plan.objects.create(
        structure=structure, term=term, created_by=by, based_on=based_on, time_limit=time_limit
    )
    if based_on is not None:
        PlanAssignment.objects.bulk_create(
            PlanAssignment(plan=plan, day=a.day, person=a.person, team=a.team, date=a.day.date,
                           locked=True)
            for a in based_on.assignments.filter(locked=True).select_related("day")
        )  # fmt: skip
        Plan.objects.filter(pk=based_on.pk, status=Plan.Status.PROPOSED).update(
            status=Plan.Status.SUPERSEDED
        )
    log_action(by, "staffing_plan.requested", plan, structure=structure.pk, term=term)
    enqueue_on_commit(run_plan, plan.pk)
    return plan


def run_plan(plan, *, workers=2):
    """Solve the plan's problem and store the proposal (the background task's body)."""
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.RUNNING, started_at=timezone.now())
    locks = {(a.day_id, a.person_id, a.team) for a in plan.assignments.filter(locked=True)}
    accepted = accepted_plan(plan.structure, plan.term)
    previous = set()
    if accepted is not None:
        previous = {
            (a.day_id, a.person_id, a.team)
            for a in accepted.assignments.exclude(response=PlanAssignment.Response.DECLINED)
        }
    problem = load_problem(plan.structure, plan.term, locks=locks, previous=previous)
    try:
        result = planner.solve(problem, time_limit=plan.time_limit, workers=workers)
    except planner.LockError as error:
        _finish(plan, Plan.Status.FAILED, {"lock_problems": error.problems})
        return plan
    dates = {day.id: day.date for r in problem.rounds for day in r.days}
    with transaction.atomic():
        PlanAssignment.objects.bulk_create(
            PlanAssignment(plan=plan, day_id=day_id, person_id=person_id, team=team,
                           date=dates[day_id])
            for day_id, person_id, team in sorted(result.assignments - locks)
        )  # fmt: skip
        status = Plan.Status.PROPOSED if result.assignments or not problem.rounds else None
        # The trainers each day needed when planned: plan_problems tells a round that moved
        # to a course version whose day plans ask for another number since.
        needs = {str(day.id): day.trainers for r in problem.rounds for day in r.days}
        _finish(plan, status or Plan.Status.FAILED, result.summary() | {"needs": needs})
    return plan


def _finish(plan, status, outcome):
    plan.status, plan.outcome, plan.finished_at = status, outcome, timezone.now()
    plan.save(update_fields=["status", "outcome", "finished_at"])


@transaction.atomic
def lock_team(plan, round, team, *, locked, by):
    """Lock (or unlock) the people of one team (0: the course leader) of a round in a
    proposal, so that re-planning keeps them."""
    if plan.status != Plan.Status.PROPOSED:
        raise StaffingError(_("Only a proposed plan can be locked."))
    changed = plan.assignments.filter(day__round=round, team=team).update(locked=locked)
    if changed:
        log_action(by, "staffing_plan.locked", plan, round=round.pk, team=team, locked=locked)
    return changed


@transaction.atomic
def accept_plan(plan, *, by):
    """Make a proposal the accepted plan of its term and write it to the rounds.

    Refused (nothing written) when the plan is not a proposal, or when one of its days has
    moved or one of its people has left the pool since it was made. The previous accepted
    plan is superseded; answers people gave to days that stay theirs are kept.
    """
    SupportStructure.objects.select_for_update().filter(pk=plan.structure_id).first()
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.PROPOSED:
        raise StaffingError(_("Only a proposed plan can be accepted."))
    problems = plan_problems(plan)
    if problems:
        raise StaffingError(" ".join(problems))
    previous = accepted_plan(plan.structure, plan.term)
    answered = {}
    if previous is not None:
        answered = {
            (a.day_id, a.person_id): a.response
            for a in previous.assignments.exclude(response=PlanAssignment.Response.PENDING)
        }
        previous.status = Plan.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    assignments = list(plan.assignments.select_related("day__round", "person"))
    new = []
    for a in assignments:
        response = answered.get((a.day_id, a.person_id))
        if response == PlanAssignment.Response.CONFIRMED:
            a.response = response
            a.save(update_fields=["response"])
        elif response is None:
            new.append(a)
    plan.status = Plan.Status.ACCEPTED
    plan.save(update_fields=["status"])
    _write_to_rounds(plan, assignments, by)
    log_action(by, "staffing_plan.accepted", plan, assignments=len(assignments))
    signals.plan_accepted.send(sender=Plan, plan=plan, new=new)
    return plan


def _write_to_rounds(plan, assignments, by):
    by_round = defaultdict(list)
    for a in assignments:
        by_round[a.day.round].append(a)
    for round, planned in by_round.items():
        leaders = {a.person for a in planned if a.is_course_leader}
        if leaders:
            services.set_course_leader(round, leaders.pop(), by=by)
        members, days = defaultdict(set), defaultdict(set)
        for a in planned:
            if not a.is_course_leader:
                members[a.team].add(a.person)
                days[a.team].add(a.day)
        for number in sorted(members):
            name = f"Team {number}"
            team = Team.objects.filter(round=round, name=name).first()
            if team is None:
                team = services.create_team(round, name, members[number], by=by)
            else:
                services.change_team_members(team, members[number], by=by)
            for day in sorted(days[number], key=lambda d: d.number):
                services.assign_team_to_day(day, team, by=by)


def plan_problems(plan):
    """What no longer holds in a plan, as sentences naming the people and days: a planned
    person who left the pool (or lost the course leader role), and a day moved since."""
    found = []
    assignments = list(
        plan.assignments.select_related("day__round", "person").order_by("date", "day__number")
    )
    pool = set(in_pool(plan.structure_id).values_list("person_id", flat=True))
    leaders = set(
        RoleAssignment.objects.filter(structure=plan.structure_id, role=Role.COURSE_LEADER)
        .order_by()
        .values_list("user_id", flat=True)
    )
    gone = defaultdict(list)
    for a in assignments:
        allowed = leaders if a.is_course_leader else pool
        if a.person_id not in allowed:
            gone[a.person].append(a.day)
        if a.date != a.day.date:
            found.append(
                _("Day %(number)s of %(round)s was planned for %(planned)s but is now on "
                  "%(date)s: %(person)s has not been planned for the new date.")
                % {"number": a.day.number, "round": a.day.round.name, "planned": _date(a.date),
                   "date": _date(a.day.date), "person": a.person}
            )  # fmt: skip
    for person, days in gone.items():
        found.append(
            ngettext(
                "%(person)s is no longer in the pool but is planned on %(days)s.",
                "%(person)s is no longer in the pool but is planned on %(days)s.",
                len(days),
            )
            % {"person": person, "days": _day_list(days)}
        )
    found.extend(_changed_needs(plan))
    return found


def _changed_needs(plan):
    """Days whose round now teaches a course version whose day plans ask for another number
    of trainers than the day needed when the plan was made (plans made before the numbers
    were kept have none to compare)."""
    needs = (plan.outcome or {}).get("needs") or {}
    days = (
        CourseDay.objects.filter(pk__in=[int(pk) for pk in needs])
        .select_related("round__course_version")
        .prefetch_related("round__course__day_plans")
        .order_by("date", "number")
    )
    staffing = {}
    changed = []
    for day in days:
        if day.round_id not in staffing:
            staffing[day.round_id] = day_staffing(day.round)
        now = staffing[day.round_id](day.number)[0]
        then = needs[str(day.pk)]
        if now != then:
            changed.append(
                _("Day %(number)s of %(round)s now needs %(now)s trainers (the course version it "
                  "teaches was changed) but was planned for %(then)s: make a new plan.")
                % {"number": day.number, "round": day.round.name, "now": now, "then": then}
            )  # fmt: skip
    return changed


def _day_list(days):
    return ", ".join(
        _("day %(number)s of %(round)s (%(date)s)")
        % {"number": d.number, "round": d.round.name, "date": _date(d.date)}
        for d in days
    )


@transaction.atomic
def answer_day(assignment, *, confirm, by):
    """A planned person confirms or declines their day of the accepted plan. A decline marks
    the date unavailable, so re-planning gives the day to someone else."""
    assignment = (
        PlanAssignment.objects.select_for_update()
        .select_related("plan", "day")
        .get(pk=assignment.pk)
    )
    if assignment.plan.status != Plan.Status.ACCEPTED:
        raise StaffingError(_("This day is no longer in the accepted plan."))
    if assignment.day.date < timezone.localdate():
        raise StaffingError(_("The day has already taken place."))
    Response = PlanAssignment.Response
    assignment.response = Response.CONFIRMED if confirm else Response.DECLINED
    assignment.save(update_fields=["response"])
    if not confirm:
        Availability.objects.update_or_create(
            person_id=assignment.person_id, date=assignment.day.date,
            defaults={"available": False},
        )  # fmt: skip
    log_action(by, "staffing_plan.answered", assignment, response=assignment.response)
    return assignment


def declined(plan):
    """The declined days of an accepted plan: the days the next proposal must fill."""
    return list(
        plan.assignments.filter(response=PlanAssignment.Response.DECLINED)
        .select_related("day__round", "person")
        .order_by("date", "day__number")
    )


def shortfall_message(short):
    """One shortfall of `PlanResult.summary()` as a sentence for the coordinator."""
    reasons = {
        planner.NOT_TRAINED: _("not trained for the course: %(people)s"),
        planner.NOT_AVAILABLE: _("not available: %(people)s"),
        planner.WITHDRAWN: _("withdrawn by their manager: %(people)s"),
        planner.PARTICIPANT: _("participants of the round: %(people)s"),
        planner.BUSY: _("booked elsewhere: %(people)s"),
        planner.OTHER_DAY: _("cannot take the team's other day: %(people)s"),
        planner.CAP: _("the cap stops %(people)s"),
        planner.ELSEWHERE: _("planned elsewhere that date: %(people)s"),
    }
    why = "; ".join(
        reasons[reason] % {"people": ", ".join(people)} for reason, people in short["why"].items()
    )
    if short["day"] == 0:
        text = _("%(round)s has no course leader.") % {"round": short["round"]}
    else:
        text = ngettext(
            "Day %(day)s of %(round)s (%(date)s) needs %(needed)s trainers and has %(planned)s; "
            "%(possible)s is available that date.",
            "Day %(day)s of %(round)s (%(date)s) needs %(needed)s trainers and has %(planned)s; "
            "%(possible)s are available that date.",
            short["possible"],
        ) % {**short, "date": _date(datetime.date.fromisoformat(short["date"]))}
    return f"{text} {why[:1].upper()}{why[1:]}." if why else text
