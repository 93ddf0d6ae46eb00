"""Existing completions keep what was taught: filled from the course and attendance as they
are now (the certificate showed exactly this until then).

Data only; the columns are added in 0003. The rules are those of enrolment/certificates.py
(what_was_taught, taught_day, present_days), copied here because a migration does not import
the app's code.
"""

from django.db import migrations
from django.db.models import Prefetch

BATCH = 500
FIELDS = [
    "course_title",
    "course_version",
    "journey_name",
    "step_name",
    "knowledge_goals",
    "attended_days",
]


def taught_day(day, own_round_id):
    return {
        "number": day.number,
        "date": day.date.isoformat(),
        "starts_at": day.starts_at.strftime("%H:%M"),
        "ends_at": day.ends_at.strftime("%H:%M"),
        "mode": day.mode,
        "make_up_round": "" if day.round_id == own_round_id else day.round.name,
    }


def fill(apps, schema_editor):
    Completion = apps.get_model("enrolment", "Completion")
    Course = apps.get_model("catalog", "Course")
    KnowledgeGoal = apps.get_model("catalog", "KnowledgeGoal")
    Attendance = apps.get_model("enrolment", "Attendance")
    courses = {
        course.pk: course
        for course in Course.objects.select_related("step__journey").prefetch_related(
            Prefetch("goals", queryset=KnowledgeGoal.objects.order_by("order", "pk"))
        )
    }
    completions = list(Completion.objects.select_related("registration").order_by("pk"))
    for start in range(0, len(completions), BATCH):
        batch = completions[start : start + BATCH]
        own_round = {c.registration_id: c.registration.round_id for c in batch}
        chosen = {}
        for attendance in (
            Attendance.objects.filter(registration_id__in=own_round, status="present")
            .select_related("day__round")
            .order_by("day__number", "day__date")
        ):
            day, mine = attendance.day, own_round[attendance.registration_id]
            days = chosen.setdefault(attendance.registration_id, {})
            current = days.get(day.number)
            if current is None or (current.round_id != mine and day.round_id == mine):
                days[day.number] = day
        for completion in batch:
            course = courses[completion.course_id]
            completion.course_title = course.title
            completion.course_version = course.version
            completion.journey_name = course.step.journey.name
            completion.step_name = course.step.name
            completion.knowledge_goals = [
                {"kind": goal.kind, "text": goal.text} for goal in course.goals.all()
            ]
            mine = own_round[completion.registration_id]
            completion.attended_days = [
                taught_day(day, mine)
                for _, day in sorted(chosen.get(completion.registration_id, {}).items())
            ]
        Completion.objects.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("rounds", "0001_initial"),
        ("enrolment", "0003_completion_frozen_course"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
