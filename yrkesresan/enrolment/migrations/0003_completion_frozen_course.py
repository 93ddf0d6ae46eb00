"""What was taught is stored with each completion (filled for earlier ones in 0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0002_history_follows_the_moved_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="completion",
            name="attended_days",
            field=models.JSONField(blank=True, default=list, verbose_name="course days"),
        ),
        migrations.AddField(
            model_name="completion",
            name="course_title",
            field=models.CharField(default="", max_length=200, verbose_name="course title"),
        ),
        migrations.AddField(
            model_name="completion",
            name="course_version",
            field=models.CharField(default="", max_length=20, verbose_name="content version"),
        ),
        migrations.AddField(
            model_name="completion",
            name="journey_name",
            field=models.CharField(default="", max_length=200, verbose_name="journey"),
        ),
        migrations.AddField(
            model_name="completion",
            name="knowledge_goals",
            field=models.JSONField(blank=True, default=list, verbose_name="knowledge goals"),
        ),
        migrations.AddField(
            model_name="completion",
            name="step_name",
            field=models.CharField(default="", max_length=100, verbose_name="step"),
        ),
    ]
