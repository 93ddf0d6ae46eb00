"""The models moved to enrolment with their tables (state only: nothing is dropped)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0004_invitation_completion_in_enrolment'),
        ('learning', '0002_participant_journey'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='completion',
            name='course',
        ),
        migrations.RemoveField(
            model_name='completion',
            name='marked_by',
        ),
        migrations.RemoveField(
            model_name='completion',
            name='person',
        ),
        migrations.RemoveField(
            model_name='completion',
            name='registration',
        ),
        migrations.RemoveField(
            model_name='deepdiveanswer',
            name='registration',
        ),
        migrations.RemoveField(
            model_name='deepdiveanswer',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='deepdiveanswer',
            name='task',
        ),
        migrations.RemoveField(
            model_name='makeupday',
            name='booked_by',
        ),
        migrations.RemoveField(
            model_name='makeupday',
            name='day',
        ),
        migrations.RemoveField(
            model_name='makeupday',
            name='registration',
        ),
        migrations.RemoveField(
            model_name='placement',
            name='decided_by',
        ),
        migrations.RemoveField(
            model_name='placement',
            name='journey',
        ),
        migrations.RemoveField(
            model_name='placement',
            name='person',
        ),
        migrations.RemoveField(
            model_name='placement',
            name='step',
        ),
        migrations.RemoveField(
            model_name='preparationprogress',
            name='person',
        ),
        migrations.RemoveField(
            model_name='preparationprogress',
            name='task',
        ),
        migrations.RemoveField(
            model_name='stepseen',
            name='journey',
        ),
        migrations.RemoveField(
            model_name='stepseen',
            name='person',
        ),
        migrations.RemoveField(
            model_name='stepseen',
            name='step',
        ),
        migrations.DeleteModel(
            name='Attendance',
        ),
        migrations.DeleteModel(
            name='Completion',
        ),
        migrations.DeleteModel(
            name='DeepDiveAnswer',
        ),
        migrations.DeleteModel(
            name='MakeUpDay',
        ),
        migrations.DeleteModel(
            name='Placement',
        ),
        migrations.DeleteModel(
            name='PreparationProgress',
        ),
        migrations.DeleteModel(
            name='StepSeen',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
