"""Demo progress for seed_demo: every stage of the participant's journey in Region Mälardalen.

- Omgång 1 and 2 (completed): attendance on every day, preparation and approved deep-dive
  answers, completions with certificates and evaluation answers; one person in Omgång 1
  missed day 3 and has not made it up, so they are not complete. deltagare2 has finished
  Omgång 2 and has the evaluation still to answer.
- Omgång 3 (running, its days over): attendance marked (a few absences, one partly present),
  deep-dive answers approved, waiting for review, sent back for more, or not handed in yet.
- Omgång 4 (running, day 4 ahead): days 1–3 marked; deltagare1 is here, preparation done.
- Omgång 5 (open for the spring): preparation under way for some; one person from Omgång 3
  who missed day 2 is booked on Omgång 5's day 2 as a make-up day.

Idempotent: rows are matched on their natural keys; a second run changes nothing.
"""

import datetime
import random

from django.utils import timezone

from yrkesresan.enrolment.completion import complete, completion_proposal
from yrkesresan.enrolment.models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    PreparationProgress,
    Registration,
)
from yrkesresan.rounds.models import Round

from .evaluations import seed_evaluation_answers

ANSWER_TEXTS = [
    "I ärendet jag valde fick barnet komma till tals genom två samtal på skolan. "
    "Barnets egna ord om hemsituationen finns med i utredningen och i bedömningen.",
    "Jag har gått igenom hur vi dokumenterar barnets åsikter. Vi skriver ofta vad "
    "föräldrarna säger att barnet tycker, sällan barnets egna ord.",
    "Riskbedömningen gjordes med stöd av BBIC-triangeln. Jag har reflekterat över vilka "
    "skyddsfaktorer som vägdes in och varför nätverket inte kontaktades tidigare.",
]
FEEDBACK_MORE = "Bra början! Beskriv också hur barnet fick återkoppling på beslutet."
FEEDBACK_OK = "Tydligt och väl förankrat i lagstiftningen. Godkänd."


def seed_progress(rounds, *, by):
    """Preparation, attendance, make-up days and deep-dive answers for the demo rounds."""
    rng = random.Random(4)
    by_name = {round.name: round for round in rounds}
    for round in rounds:
        if round.status in (Round.Status.COMPLETED, Round.Status.RUNNING):
            seed_round_progress(round, rng, by=by)
        elif round.status == Round.Status.OPEN:
            registrations = _registered(round)
            seed_preparation(round.course, [r.person for r in registrations[::2]], rng)
    seed_make_up_day(by_name.get("Omgång 3"), by_name.get("Omgång 5"), by=by)
    for round in rounds:
        if round.status == Round.Status.COMPLETED:
            seed_completions(round, rng)


def seed_completions(round, rng):
    """Everyone ready in a completed round is marked complete by the course leader on the last
    day, and about 70 % answer the evaluation; deltagare2's evaluation is left to answer."""
    ready = [
        row.registration
        for row in completion_proposal(round)
        if not row.missing and not Completion.objects.filter(registration=row.registration)
    ]
    if ready:
        last_day = round.days.order_by("-number").first().date
        complete(ready, by=round.course_leader, on=last_day)
    completions = Completion.objects.filter(registration__round=round).exclude(
        person__email="deltagare2@example.com"
    )
    seed_evaluation_answers(round, list(completions), random.Random(round.pk))


def _registered(round):
    return list(
        round.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("person")
        .order_by("queued_at", "pk")
    )


def seed_preparation(course, people, rng, *, everything=False):
    tasks = list(course.preparation_tasks.order_by("order"))
    now = timezone.now()
    for person in people:
        done = len(tasks) if everything else rng.randint(1, max(len(tasks) - 1, 1))
        for task in tasks[:done]:
            PreparationProgress.objects.get_or_create(
                person=person,
                task=task,
                defaults={
                    "done_at": now - datetime.timedelta(days=rng.randint(1, 20)),
                    "notes": "Barnets perspektiv måste synas i varje steg, inte bara i samtalet."
                    if task.kind == "reflection"
                    else "",
                },
            )


def seed_round_progress(round, rng, *, by):
    """Every registered person's preparation, attendance on past days and deep-dive answers."""
    registrations = _registered(round)
    today = timezone.localdate()
    days = [day for day in round.days.order_by("number") if day.date <= today]
    completed = round.status == Round.Status.COMPLETED
    seed_preparation(round.course, [r.person for r in registrations], rng, everything=True)
    for index, registration in enumerate(registrations):
        for day in days:
            status, note = Attendance.Status.PRESENT, ""
            if round.name == "Omgång 1" and index == 5 and day.number == 3:
                status, note = Attendance.Status.ABSENT, "Sjuk"
            elif not completed and index == 3 and day.number == 2:
                status, note = Attendance.Status.ABSENT, "Vård av barn"
            elif not completed and index == 7 and day.number == 1:
                status, note = Attendance.Status.PARTLY, "Gick 13.00, akut ärende"
            Attendance.objects.get_or_create(
                registration=registration,
                day=day,
                defaults={"status": status, "note": note, "marked_by": round.course_leader},
            )
    if len(days) == round.days.count():
        seed_answers(round, registrations, rng, completed=completed)


def seed_answers(round, registrations, rng, *, completed):
    """Answers to the deep-dive tasks: all approved in completed rounds, every stage otherwise."""
    tasks = list(round.course.deep_dive_tasks.order_by("order"))
    last_day = round.days.order_by("-number").first().date
    for index, registration in enumerate(registrations):
        stage = (
            "approved" if completed else ["approved", "submitted", "needs_more", None][index % 4]
        )
        if stage is None:
            continue
        submitted = timezone.make_aware(
            datetime.datetime.combine(last_day, datetime.time(10)) + datetime.timedelta(days=3)
        )
        for task in tasks:
            reviewed = stage != "submitted"
            DeepDiveAnswer.objects.get_or_create(
                registration=registration,
                task=task,
                defaults={
                    "text": rng.choice(ANSWER_TEXTS),
                    "status": stage,
                    "submitted_at": submitted,
                    "feedback": FEEDBACK_OK
                    if stage == "approved"
                    else (FEEDBACK_MORE if stage == "needs_more" else ""),
                    "reviewed_by": round.course_leader if reviewed else None,
                    "reviewed_at": submitted + datetime.timedelta(days=2) if reviewed else None,
                },
            )


def seed_make_up_day(missed_round, later_round, *, by):
    """The person absent on day 2 of `missed_round` takes day 2 of `later_round` instead."""
    if missed_round is None or later_round is None:
        return
    absent = (
        Attendance.objects.filter(
            registration__round=missed_round, day__number=2, status=Attendance.Status.ABSENT
        )
        .select_related("registration")
        .first()
    )
    day = later_round.days.filter(number=2).first()
    if absent and day:
        MakeUpDay.objects.get_or_create(
            registration=absent.registration, day=day, defaults={"booked_by": by}
        )
