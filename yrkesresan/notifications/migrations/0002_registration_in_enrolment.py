"""Registration moved to enrolment; the columns and the table stay (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enrolment', '0001_models_moved_from_rounds_and_learning'),
        ('notifications', '0001_calendar_feeds_and_reminders'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='registrationcalendar',
            name='registration',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar', to='enrolment.registration', verbose_name='registration'),
        ),
        migrations.AlterField(
            model_name='sentreminder',
            name='registration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='enrolment.registration', verbose_name='registration'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
