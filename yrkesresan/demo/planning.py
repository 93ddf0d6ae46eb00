"""The demo's spring term staffed by the planner, called by `seed_rounds`.

The eight demo trainers form Region Mälardalen's pool (their managers approved eight days a
term, the coordinator accepted them, all trained for the demo course), they and the course
leader mark the spring's course dates (utbildare8 cannot take the first day of Omgång 6), and
the planner proposes the term's plan, which the coordinator accepts. Idempotent: a second run
keeps the accepted plan while it still covers the term's days as they are.
"""

import datetime

from django.db import transaction

from yrkesresan.rounds.models import CourseDay
from yrkesresan.staffing import plans
from yrkesresan.staffing.models import (
    Availability,
    Plan,
    PoolMembership,
    TrainerTraining,
)

DAYS_PER_TERM = 8
TRAINED_ON = datetime.date(2024, 9, 12)
# (trainer e-mail, round name, day number) the trainer cannot take.
AWAY = {("utbildare8@example.com", "Omgång 6", 1)}
PLANNER_SECONDS = 10


@transaction.atomic
def seed_pool(structure, course, trainers, course_leader):
    for person in trainers:
        membership, _created = PoolMembership.objects.update_or_create(
            person=person,
            structure=structure,
            defaults={
                "status": PoolMembership.Status.ACCEPTED,
                "days_per_term": DAYS_PER_TERM,
                "motivation": "Jag vill dela med mig av min erfarenhet av barnutredningar.",
                "experience": "Tio år som socialsekreterare, handledare för nya kollegor.",
            },
        )
        membership.courses.set([course])
        TrainerTraining.objects.update_or_create(
            person=person, course=course, defaults={"trained_on": TRAINED_ON}
        )


@transaction.atomic
def seed_availability(rounds, people):
    days = list(CourseDay.objects.filter(round__in=rounds).select_related("round"))
    for person in people:
        for day in days:
            away = (person.email, day.round.name, day.number) in AWAY
            Availability.objects.update_or_create(
                person=person, date=day.date, defaults={"available": not away}
            )


def covers(plan, rounds):
    """The accepted plan still has people on every day of the rounds, on the days' dates."""
    if plan is None or plans.plan_problems(plan):
        return False
    planned = set(plan.assignments.values_list("day_id", flat=True))
    return all(day.pk in planned for r in rounds for day in r.days.all())


def seed_term_plan(structure, term, rounds, course, trainers, course_leader, coordinator):
    """Plan the term's rounds with the planner and accept the plan (unless done already)."""
    seed_pool(structure, course, trainers, course_leader)
    seed_availability(rounds, [*trainers, course_leader])
    accepted = plans.accepted_plan(structure, term)
    if covers(accepted, rounds):
        return accepted
    plan = Plan.objects.create(
        structure=structure, term=term, created_by=coordinator, time_limit=PLANNER_SECONDS
    )
    plans.run_plan(plan, workers=1)
    if plan.status != Plan.Status.PROPOSED:
        return None
    return plans.accept_plan(plan, by=coordinator)
