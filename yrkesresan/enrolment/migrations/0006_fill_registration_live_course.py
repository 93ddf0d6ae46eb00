"""Data only: each live registration (registered or waiting, in a round that is neither
completed nor cancelled) holds its round's course.

A person booked on one course more than once before the rule existed keeps their earliest live
registration as the one that holds the course; the later ones are left without it (and so
outside the constraint of 0007) for the coordinator to cancel. Nothing is cancelled here.
"""

from django.db import migrations

LIVE_REGISTRATION_STATUSES = ("registered", "waitlisted")
LIVE_ROUND_STATUSES = ("draft", "open", "closed", "running")


def fill(apps, schema_editor):
    Registration = apps.get_model("enrolment", "Registration")
    live = (
        Registration.objects.filter(
            status__in=LIVE_REGISTRATION_STATUSES, round__status__in=LIVE_ROUND_STATUSES
        )
        .order_by("queued_at", "pk")
        .values_list("pk", "person_id", "round__course_id")
    )
    held = {}
    for pk, person_id, course_id in live.iterator():
        held.setdefault((person_id, course_id), pk)
    by_course = {}
    for (_person_id, course_id), pk in held.items():
        by_course.setdefault(course_id, []).append(pk)
    for course_id, pks in by_course.items():
        for start in range(0, len(pks), 500):
            Registration.objects.filter(pk__in=pks[start : start + 500]).update(
                live_course_id=course_id
            )


def empty(apps, schema_editor):
    Registration = apps.get_model("enrolment", "Registration")
    Registration.objects.update(live_course=None)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0005_registration_live_course"),
    ]

    operations = [migrations.RunPython(fill, empty)]
