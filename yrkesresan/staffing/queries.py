"""Reads of the staffing for other pages: how many trainers work each course day."""

from collections import defaultdict

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
