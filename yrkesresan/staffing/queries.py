"""Reads of the staffing for other pages: how many trainers work each course day, and the
handover notes the days' teams leave for the next."""

from collections import defaultdict

from django.db.models import Q

from yrkesresan.rounds.queries import TRAINERS_ON_A_DAY

from .models import HandoverNote, TeamDay


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
