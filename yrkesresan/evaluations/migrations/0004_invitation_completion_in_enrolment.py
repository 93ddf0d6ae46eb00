"""Completion moved to enrolment; the column and its table stay (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enrolment', '0001_models_moved_from_rounds_and_learning'),
        ('evaluations', '0003_national_questions'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='invitation',
            name='completion',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_invitation', to='enrolment.completion', verbose_name='completion'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
