"""Reads of the staffing for other pages: how many trainers work each course day."""

from collections import defaultdict

from yrkesresan.accounts.models import User
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.queries import TRAINERS_ON_A_DAY

from .models import TeamDay


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
