"""Registration moved to enrolment with its table (state only: nothing is dropped)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0003_models_moved_to_enrolment'),
        ('notifications', '0002_registration_in_enrolment'),
        ('rounds', '0001_initial'),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='Registration',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
