"""Demo staffing, called by `manage.py seed_demo` for each demo round."""

from django.db import transaction

from yrkesresan.staffing import services
from yrkesresan.staffing.models import Team


@transaction.atomic
def seed_staffing(round, trainers, course_leader):
    """Two teams of trainers on the round's days and the course leader; idempotent.

    Team 1 is the first half of `trainers` and takes the first half of the days (days 1–2 of
    four), Team 2 the rest. A second run changes nothing, and writes no audit events.
    """
    trainers = list(trainers)
    half = (len(trainers) + 1) // 2
    days = list(round.days.order_by("number"))
    first_days = (len(days) + 1) // 2
    services.set_course_leader(round, course_leader, by=None)
    for index, (members, team_days) in enumerate(
        [(trainers[:half], days[:first_days]), (trainers[half:], days[first_days:])], start=1
    ):
        name = f"Team {index}"
        team = Team.objects.filter(round=round, name=name).first()
        if team is None:
            team = services.create_team(round, name, members, by=None)
        else:
            services.change_team_members(team, members, by=None)
        for day in team_days:
            services.assign_team_to_day(day, team, by=None)
