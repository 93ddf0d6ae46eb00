"""The audit log and the content types follow the models that moved to enrolment.

Audit events name their object by its model label ("rounds.registration"), and the admin's log
and permissions hang on content types; both are renamed so that history reads as before.
"""

from django.db import migrations

MOVED = {
    "rounds": ["registration"],
    "learning": [
        "placement",
        "stepseen",
        "preparationprogress",
        "attendance",
        "makeupday",
        "deepdiveanswer",
        "completion",
    ],
}


def relabel(apps, moved_from, moved_to):
    """Rename the audit events' object types and the content types of the moved models from
    the app label `moved_from(old)` to `moved_to(old)`, for each old app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, models in MOVED.items():
        source, target = moved_from(old), moved_to(old)
        for model in models:
            AuditEvent.objects.filter(object_type=f"{source}.{model}").update(
                object_type=f"{target}.{model}"
            )
            if not ContentType.objects.filter(app_label=target, model=model).exists():
                ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    relabel(apps, moved_from=lambda old: old, moved_to=lambda old: "enrolment")


def backwards(apps, schema_editor):
    relabel(apps, moved_from=lambda old: "enrolment", moved_to=lambda old: old)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0001_models_moved_from_rounds_and_learning"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
