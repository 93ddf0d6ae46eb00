"""The models of a registration's life move here from rounds and learning. Their tables keep their
names (db_table), so this changes Django's state only, not the database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0001_initial'),
        ('rounds', '0001_initial'),
        ('learning', '0002_participant_journey'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('registered', 'Registered'), ('waitlisted', 'On the waiting list'), ('cancelled', 'Cancelled')], max_length=20, verbose_name='status')),
                ('queued_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='registered at')),
                ('step_mismatch_reason', models.TextField(blank=True, help_text="Required when the course's step is not the person's step.", verbose_name='reason for another step')),
                ('special_diet', models.CharField(blank=True, max_length=300, verbose_name='special diet')),
                ('accessibility_needs', models.CharField(blank=True, max_length=300, verbose_name='accessibility needs')),
                ('needs_consent', models.BooleanField(default=False, verbose_name='consents to share diet and accessibility needs with the organisers')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                ('cancel_reason', models.TextField(blank=True, verbose_name='reason for cancelling')),
                ('cancelled_late', models.BooleanField(default=False, verbose_name='cancelled after the deadline')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to=settings.AUTH_USER_MODEL, verbose_name='participant')),
                ('registered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='rounds.round', verbose_name='round')),
            ],
            options={
                'verbose_name': 'registration',
                'verbose_name_plural': 'registrations',
                'db_table': 'rounds_registration',
                'ordering': ['round', 'queued_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='MakeUpDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('booked_at', models.DateTimeField(auto_now_add=True, verbose_name='booked at')),
                ('booked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='booked by')),
                ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='make_up_bookings', to='rounds.courseday', verbose_name='make-up day')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='make_up_days', to='enrolment.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'make-up day',
                'verbose_name_plural': 'make-up days',
                'db_table': 'learning_makeupday',
            },
        ),
        migrations.CreateModel(
            name='DeepDiveAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='your answer')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for review'), ('needs_more', 'More needed'), ('approved', 'Approved')], default='draft', max_length=20, verbose_name='status')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                ('feedback', models.TextField(blank=True, verbose_name='feedback')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='catalog.deepdivetask', verbose_name='deep-dive task')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deep_dive_answers', to='enrolment.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'deep-dive answer',
                'verbose_name_plural': 'deep-dive answers',
                'db_table': 'learning_deepdiveanswer',
            },
        ),
        migrations.CreateModel(
            name='Completion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed_on', models.DateField(verbose_name='completed on')),
                ('verification_code', models.CharField(max_length=20, unique=True, verbose_name='verification code')),
                ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='completions', to='catalog.course', verbose_name='course')),
                ('marked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='marked complete by')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='completions', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('registration', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='completion', to='enrolment.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'completion',
                'verbose_name_plural': 'completions',
                'db_table': 'learning_completion',
                'ordering': ['-completed_on'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('present', 'Present'), ('partly', 'Partly present'), ('absent', 'Absent')], max_length=10, verbose_name='attendance')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('marked_at', models.DateTimeField(auto_now=True, verbose_name='marked at')),
                ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='rounds.courseday', verbose_name='course day')),
                ('marked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='marked by')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='enrolment.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'attendance',
                'verbose_name_plural': 'attendance',
                'db_table': 'learning_attendance',
            },
        ),
        migrations.CreateModel(
            name='StepSeen',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('journey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.journey', verbose_name='journey')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.step', verbose_name='step')),
            ],
            options={
                'verbose_name': 'step seen',
                'verbose_name_plural': 'steps seen',
                'db_table': 'learning_stepseen',
            },
        ),
        migrations.CreateModel(
            name='Placement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('direct_entry', 'Entered directly'), ('manager', 'Set by manager')], max_length=20, verbose_name='how it was decided')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('decided_at', models.DateTimeField(auto_now=True, verbose_name='decided at')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('journey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.journey', verbose_name='journey')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='catalog.step', verbose_name='step')),
            ],
            options={
                'verbose_name': 'placement',
                'verbose_name_plural': 'placements',
                'db_table': 'learning_placement',
                'constraints': [models.UniqueConstraint(fields=('person', 'journey'), name='one_placement_per_journey'), models.CheckConstraint(condition=models.Q(('reason', ''), ('source', 'manager'), _negated=True), name='manager_placement_has_reason')],
            },
        ),
        migrations.CreateModel(
            name='PreparationProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('notes', models.TextField(blank=True, verbose_name='your notes')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preparation_progress', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='catalog.preparationtask', verbose_name='preparation module')),
            ],
            options={
                'verbose_name': 'preparation progress',
                'verbose_name_plural': 'preparation progress',
                'db_table': 'learning_preparationprogress',
                'constraints': [models.UniqueConstraint(fields=('person', 'task'), name='one_progress_per_task')],
            },
        ),
        migrations.AddIndex(
            model_name='registration',
            index=models.Index(fields=['round', 'status', 'queued_at'], name='rounds_regi_round_i_78e84b_idx'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(fields=('round', 'person'), name='one_registration_per_round'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(('needs_consent', True), models.Q(('special_diet', ''), ('accessibility_needs', '')), _connector='OR'), name='needs_only_with_consent'),
        ),
        migrations.AddConstraint(
            model_name='makeupday',
            constraint=models.UniqueConstraint(fields=('registration', 'day'), name='one_make_up_per_day'),
        ),
        migrations.AddIndex(
            model_name='deepdiveanswer',
            index=models.Index(fields=['status'], name='learning_de_status_4734c7_idx'),
        ),
        migrations.AddConstraint(
            model_name='deepdiveanswer',
            constraint=models.UniqueConstraint(fields=('registration', 'task'), name='one_answer_per_task'),
        ),
        migrations.AddConstraint(
            model_name='completion',
            constraint=models.UniqueConstraint(fields=('person', 'course'), name='one_completion_per_course'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['day', 'status'], name='learning_at_day_id_7e8a2e_idx'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('registration', 'day'), name='one_attendance_per_day'),
        ),
        migrations.AddConstraint(
            model_name='stepseen',
            constraint=models.UniqueConstraint(fields=('person', 'journey'), name='one_step_seen_per_journey'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
