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


def forwards(apps, schema_editor):
    rename(apps, {old: "enrolment" for old in MOVED})


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, models in MOVED.items():
        for model in models:
            AuditEvent.objects.filter(object_type=f"enrolment.{model}").update(
                object_type=f"{old}.{model}"
            )
            ContentType.objects.filter(app_label="enrolment", model=model).update(app_label=old)


def rename(apps, new_labels):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, models in MOVED.items():
        new = new_labels[old]
        for model in models:
            AuditEvent.objects.filter(object_type=f"{old}.{model}").update(
                object_type=f"{new}.{model}"
            )
            if not ContentType.objects.filter(app_label=new, model=model).exists():
                ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0001_models_moved_from_rounds_and_learning"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
