from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema only: one live registration per person and course, in the database too."""

    dependencies = [
        ("enrolment", "0006_fill_registration_live_course"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("person", "live_course"), name="one_live_registration_per_course"
            ),
        ),
    ]
