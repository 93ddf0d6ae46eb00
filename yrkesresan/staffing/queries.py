"""Reads for pages: how many trainers work each course day, the handover notes the days'
teams leave for the next, the term plan beside today's, the pool, and a trainer's planned days
and availability."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.rounds.queries import TRAINERS_ON_A_DAY

from .models import (
    Availability,
    HandoverNote,
    Plan,
    PlanAssignment,
    PoolMembership,
    TeamDay,
    TrainerTraining,
)
from .plans import plannable_rounds


def trainers_on_days(round):
    """day id -> how many trainers work that day: the members of the team given the day and
    the course leader (see staffing). A day without a team counts TRAINERS_ON_A_DAY. One query.
    """
    people = defaultdict(set)
    for day_id, member_id in TeamDay.objects.filter(day__round=round).values_list(
        "day_id", "team__members"
    ):
        if member_id is not None:
            people[day_id].add(member_id)
    leader = {round.course_leader_id} if round.course_leader_id else set()
    counts = defaultdict(lambda: TRAINERS_ON_A_DAY)
    for day_id, members in people.items():
        counts[day_id] = len(members | leader)
    return counts


# The term plan page -----------------------------------------------------------------------


def term_slug(term):
    return term.replace(" ", "-")


def _people(plan):
    """(day id, team) -> [assignment, ...] of a plan (None: empty). One query."""
    found = defaultdict(list)
    if plan is None:
        return found
    for a in plan.assignments.select_related("person__municipality").order_by(
        "team", "person__last_name", "person__first_name"
    ):
        found[a.day_id, a.team].append(a)
    return found


def term_plan_rows(structure, term, accepted, proposal):
    """The rounds of the term with, per day and team, today's (accepted) people beside the
    proposal's, who comes and who goes, and whether the proposal's team is locked. A fixed
    number of queries."""
    now, proposed = _people(accepted), _people(proposal)
    rounds = list(plannable_rounds(structure, term).prefetch_related("days"))
    for round in rounds:
        round.rows = []
        for day in sorted(round.days.all(), key=lambda d: d.number):
            teams = sorted(
                {t for d, t in [*now, *proposed] if d == day.id}, key=lambda t: (t == 0, t)
            )
            for team in teams or [None]:
                before = now.get((day.id, team), [])
                after = proposed.get((day.id, team), [])
                before_ids = {a.person_id for a in before}
                after_ids = {a.person_id for a in after}
                round.rows.append(
                    {
                        "day": day,
                        "team": team,
                        "accepted": before,
                        "proposed": after,
                        "coming": [a.person for a in after if a.person_id not in before_ids],
                        "going": [a.person for a in before if a.person_id not in after_ids],
                        "locked": bool(after) and all(a.locked for a in after),
                    }
                )
    return rounds


def pool_of(structure, term):
    """The structure's pool memberships with `courses_trained` and `days_given` (days in the
    term's accepted plan) set on each. A fixed number of queries."""
    memberships = list(
        PoolMembership.objects.filter(structure=structure)
        .select_related("person__municipality")
        .prefetch_related("courses")
    )
    ids = [m.person_id for m in memberships]
    trained = defaultdict(list)
    for t in TrainerTraining.objects.filter(person__in=ids).select_related("course"):
        trained[t.person_id].append(t)
    given = defaultdict(int)
    for person_id in PlanAssignment.objects.filter(
        person__in=ids,
        plan__structure=structure,
        plan__term=term,
        plan__status=Plan.Status.ACCEPTED,
    ).values_list("person_id", flat=True):
        given[person_id] += 1
    for m in memberships:
        m.trainings = trained[m.person_id]
        m.days_given = given[m.person_id]
    return memberships


def planned_days_to_answer(person):
    """The person's coming days in accepted plans, with their answers. One query."""
    return list(
        PlanAssignment.objects.filter(
            person=person, plan__status=Plan.Status.ACCEPTED, day__date__gte=timezone.localdate()
        )
        .select_related("day__round__course")
        .order_by("day__date", "day__number")
    )


def dates_to_mark(person):
    """The coming course dates of the rounds the person could be planned on: those of the
    structures whose pool they are in or whose course leader they are. A sorted list."""
    structures = set(
        PoolMembership.objects.filter(
            person=person, status=PoolMembership.Status.ACCEPTED
        ).values_list("structure_id", flat=True)
    ) | set(
        RoleAssignment.objects.filter(
            user=person, role=RoleAssignment.Role.COURSE_LEADER
        ).values_list("structure_id", flat=True)
    )
    return sorted(
        set(
            CourseDay.objects.filter(
                round__structure__in=structures, date__gte=timezone.localdate()
            )
            .exclude(round__status__in=[Round.Status.CANCELLED, Round.Status.COMPLETED])
            .values_list("date", flat=True)
        )
    )


def availability_rows(person, dates):
    """[{date, answer: "yes" | "no" | "", withdrawn_reason}] for the dates. One query."""
    marked = {a.date: a for a in Availability.objects.filter(person=person, date__in=dates)}
    rows = []
    for date in dates:
        a = marked.get(date)
        answer = "" if a is None else ("yes" if a.available and not a.withdrawn_reason else "no")
        rows.append({"date": date, "answer": answer, "withdrawn": a.withdrawn_reason if a else ""})
    return rows


def attach_handover_notes(days):
    """Set on each of `days` (CourseDays) `handover` (the note the round's previous day left,
    or None) and `own_note` (the day's own note, or None). One query, however many days."""
    wanted = {(day.round_id, day.number - 1) for day in days} | {
        (day.round_id, day.number) for day in days
    }
    condition = Q(pk__in=[])
    for round_id, number in wanted:
        condition |= Q(day__round_id=round_id, day__number=number)
    notes = {}
    if days:
        for note in HandoverNote.objects.filter(condition).select_related("day", "written_by"):
            notes[note.day.round_id, note.day.number] = note
    for day in days:
        day.handover = notes.get((day.round_id, day.number - 1))
        day.own_note = notes.get((day.round_id, day.number))
    return days


def trainers_ahead_on_older_versions(course, version, on):
    """{person: [rounds]}: the trainers in a team with a course day on or after `on`, and the
    course leaders, of the live rounds of `course` with a day ahead that teach another version
    than `version` (a published CourseVersion) or none. Three queries."""
    rounds = {
        round.pk: round
        for round in Round.objects.filter(
            course=course, status__in=Round.LIVE_STATUSES, days__date__gte=on
        )
        .exclude(course_version=version)
        .select_related("course_version")
        .distinct()
    }
    if not rounds:
        return {}
    by_person = defaultdict(set)
    for person_id, round_id in TeamDay.objects.filter(
        day__round_id__in=rounds, day__date__gte=on, team__members__isnull=False
    ).values_list("team__members", "day__round_id"):
        by_person[person_id].add(round_id)
    for round in rounds.values():
        if round.course_leader_id:
            by_person[round.course_leader_id].add(round.pk)
    users = User.objects.in_bulk(list(by_person))
    return {
        users[pk]: [rounds[round_id] for round_id in sorted(ids)]
        for pk, ids in sorted(by_person.items())
    }
