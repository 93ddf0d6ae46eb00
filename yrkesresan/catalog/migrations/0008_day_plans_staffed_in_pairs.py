"""Day plans made before they said how they are staffed keep what the planner did then: four
trainers, a team for each two days (1–2, 3–4). Drafts' documents get the same; published
versions are never changed (catalog.versions.kept_staffing reads them so)."""

from django.db import migrations


def staff_in_pairs(apps, schema_editor):
    CourseDayPlan = apps.get_model("catalog", "CourseDayPlan")
    CourseVersion = apps.get_model("catalog", "CourseVersion")
    for plan in CourseDayPlan.objects.all():
        CourseDayPlan.objects.filter(pk=plan.pk).update(team=(plan.number + 1) // 2)
    for draft in CourseVersion.objects.filter(status="draft"):
        content = dict(draft.content)
        content["day_plans"] = [
            {"trainers": 4, "team": (row.get("number", 1) + 1) // 2, **row}
            for row in content.get("day_plans", [])
        ]
        CourseVersion.objects.filter(pk=draft.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_day_plan_trainers_and_team")]

    operations = [migrations.RunPython(staff_in_pairs, migrations.RunPython.noop)]
