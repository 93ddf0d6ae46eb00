import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema only: the column the one-live-registration-per-course constraint (0007) is on.
    0006 fills it."""

    dependencies = [
        ("catalog", "0001_initial"),
        ("enrolment", "0004_fill_completion_frozen_course"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="live_course",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.course",
                verbose_name="course held",
            ),
        ),
    ]
