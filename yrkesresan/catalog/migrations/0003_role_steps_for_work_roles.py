"""The role steps that already exist (Chef and Arbetsledare, as the demo catalog and earlier
installations named them) become the steps for their role at work."""

from django.db import migrations

ROLE_OF_STEP = {"chef": "unit_manager", "arbetsledare": "team_leader"}


def link_role_steps(apps, schema_editor):
    Step = apps.get_model("catalog", "Step")
    for slug, work_role in ROLE_OF_STEP.items():
        for step in Step.objects.filter(
            slug=slug, work_role="", min_years__isnull=True, max_years__isnull=True
        ):
            # One step per role and journey: leave a journey that already has one alone.
            if not Step.objects.filter(journey_id=step.journey_id, work_role=work_role).exists():
                step.work_role = work_role
                step.save(update_fields=["work_role"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_step_work_role"),
    ]

    operations = [
        migrations.RunPython(link_role_steps, migrations.RunPython.noop),
    ]
