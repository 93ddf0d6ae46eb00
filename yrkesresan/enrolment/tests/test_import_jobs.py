"""Big bulk registrations run in the background: the same outcome as the synchronous import,
a progress bar while it runs, a result (or a refusal's sentence) when it ends."""

import datetime
import io
import tempfile
from pathlib import Path
from unittest import mock, skipUnless

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.enrolment import import_jobs, imports
from yrkesresan.enrolment.models import ImportJob, Registration
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes
from yrkesresan.enrolment.tests.test_import_views import HEADER, ImportViewTestCase, invitations
from yrkesresan.rounds.testing import make_round

PEOPLE = [[f"Person{n}", "Testsson", f"p{n}@example.se", "Eskilstuna", ""] for n in range(6)]
BIG = override_settings(IMPORT_BACKGROUND_ROWS=4)
# The session, the user with their roles, the job with its round, course and structure.
QUERIES = 3


class BackgroundImportTestCase(ImportViewTestCase):
    def import_file(self, lines):
        """Upload `lines` and confirm, running what is queued on commit; the response."""
        self.assertEqual(self.upload([HEADER, *lines]).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            return self.apply()

    def outcome(self):
        return (
            sorted(self.round.registrations.values_list("person__email", "status")),
            User.objects.filter(email__endswith="@example.se").count(),
            sorted(message.to[0] for message in invitations()),
        )

    def job(self):
        return ImportJob.objects.get()


class GoesToTheBackgroundTests(BackgroundImportTestCase):
    def test_the_threshold_is_a_setting_of_300_rows_by_default(self):
        self.assertEqual(settings.IMPORT_BACKGROUND_ROWS, 300)
        self.assertFalse(import_jobs.runs_in_background([{}] * 300))
        self.assertTrue(import_jobs.runs_in_background([{}] * 301))

    def test_a_small_file_is_still_imported_in_the_request(self):
        self.login(self.coordinator_x)
        response = self.import_file(PEOPLE[:4])
        self.assertRedirects(
            response,
            reverse("enrolment:round", args=[self.round.pk]),
            fetch_redirect_response=False,
        )
        self.assertFalse(ImportJob.objects.exists())
        self.assertEqual(self.round.registrations.count(), 4)

    def test_a_big_file_ends_as_the_synchronous_import_would(self):
        self.login(self.coordinator_x)
        with transaction.atomic():
            self.import_file(PEOPLE)
            synchronous = self.outcome()
            transaction.set_rollback(True)
        mail.outbox.clear()
        self.assertEqual(self.round.registrations.count(), 0)
        self.assertFalse(ImportJob.objects.exists())

        with BIG:
            response = self.import_file(PEOPLE)
        job = self.job()
        self.assertRedirects(
            response, reverse("imports:job", args=[job.pk]), fetch_redirect_response=False
        )
        self.assertEqual(self.outcome(), synchronous)
        self.assertEqual(
            synchronous[0][:3],
            [("p0@example.se", "registered"), ("p1@example.se", "registered"),
             ("p2@example.se", "waitlisted")],
        )  # fmt: skip
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(
            job.result, {"registered": 2, "waitlisted": 4, "new_accounts": 6, "problems": []}
        )
        self.assertEqual((job.owner, job.round, job.rows_total, job.rows), (
            self.coordinator_x, self.round, 6, []))  # fmt: skip
        self.assertIsNotNone(job.finished_at)
        self.assertNotIn(f"rounds.import.{self.round.pk}", self.client.session)

        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "Importen är klar")
        self.assertEqual(
            [fact for fact in page.context["job"].result.values() if fact != []], [2, 4, 6]
        )

    def test_the_preview_of_a_big_file_says_it_is_imported_in_the_background(self):
        self.login(self.coordinator_x)
        sentence = "Filen är stor: den importeras i bakgrunden"
        self.assertNotContains(self.upload([HEADER, *PEOPLE[:4]]), sentence)
        with BIG:
            self.assertContains(self.upload([HEADER, *PEOPLE]), sentence)

    def test_the_job_keeps_no_personal_identity_numbers(self):
        self.login(self.coordinator_x)
        lines = [["Personnummer", *HEADER]] + [["19850315-2389", *row] for row in PEOPLE]
        self.upload(lines)
        with BIG, self.captureOnCommitCallbacks(execute=False):
            self.apply()
        job = self.job()
        self.assertEqual(job.status, ImportJob.Status.QUEUED)
        self.assertEqual(len(job.rows), 6)
        self.assertNotIn("19850315", str(job.rows))
        self.assertNotIn("2389", str(job.rows))


class ProgressTests(BackgroundImportTestCase):
    def test_the_progress_is_written_as_the_rows_are_checked_and_registered(self):
        rows = [imports.ImportRow(n + 2, *person[:4]).as_dict() for n, person in enumerate(PEOPLE)]
        with self.captureOnCommitCallbacks(execute=False):
            job = import_jobs.start(self.round, self.coordinator_x, rows, "personer.csv")
        seen = []
        write = import_jobs._Progress.write

        def record(progress, **values):
            write(progress, **values)
            seen.append(values["steps_done"])

        with (
            mock.patch.object(import_jobs, "PROGRESS_EVERY", 1),
            mock.patch.object(import_jobs._Progress, "write", record),
        ):
            import_jobs.run(job.pk)
        # Six rows checked, then six registered: twelve steps, the bar's 8, 16, … 100 %.
        self.assertEqual(seen, list(range(1, 13)))
        job = self.job()
        self.assertEqual(
            (job.status, job.steps_done, job.percent), (ImportJob.Status.DONE, 12, 100)
        )
        self.assertEqual(
            [ImportJob(rows_total=6, steps_done=steps).percent for steps in (2, 6, 11)],
            [16, 50, 91],
        )

    def test_the_page_of_a_running_job_shows_the_bar_and_its_text(self):
        job = ImportJob.objects.create(
            owner=self.coordinator_x, round=self.round, rows_total=400, steps_done=200,
            status=ImportJob.Status.RUNNING, file_name="personer.csv",
        )  # fmt: skip
        self.login(self.coordinator_x)
        url = reverse("imports:job", args=[job.pk])
        page = self.client.get(url)
        self.assertContains(page, 'role="status"')
        self.assertContains(
            page, '<progress id="import-progress" max="100" value="25">25 %</progress>', html=True
        )
        self.assertContains(page, "25 % klart")
        self.assertContains(page, f'hx-get="{url}"')
        partial = self.client.get(url, headers={"HX-Request": "true"})
        self.assertTemplateUsed(partial, "enrolment/_import_job_status.html")
        self.assertTemplateNotUsed(partial, "enrolment/import_job.html")
        self.assertContains(partial, 'value="25"')


class KeepingTests(BackgroundImportTestCase):
    def test_jobs_that_ended_more_than_30_days_ago_are_deleted_when_the_next_one_runs(self):
        now = timezone.now()
        ended = {
            days: ImportJob.objects.create(
                owner=self.coordinator_x,
                round=self.round,
                status=ImportJob.Status.FAILED,
                error="Inget registrerades.",
                result={"problems": ["Rad 2, e-post: anna@example.se är redan anmäld."]},
                finished_at=now - datetime.timedelta(days=days),
            ).pk
            for days in (29, 31)
        }
        running = ImportJob.objects.create(owner=self.coordinator_x, round=self.round).pk
        self.assertEqual(settings.IMPORT_JOB_KEEP_DAYS, 30)
        import_jobs.run(running)
        self.assertEqual(set(ImportJob.objects.values_list("pk", flat=True)), {ended[29], running})


class FailureTests(BackgroundImportTestCase):
    def test_a_row_that_became_bad_fails_the_job_with_a_sentence_and_registers_nobody(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, *PEOPLE, ["Deltagare", "Testsson", "deltagare@example.com",
                                       "Eskilstuna", ""]])  # fmt: skip
        register(self.participant, self.round, by=self.manager_a)
        with BIG, self.captureOnCommitCallbacks(execute=True):
            self.apply()
        job = self.job()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertEqual(
            job.error,
            "Inget registrerades: 1 rad har problem. Rätta filen och importera den igen.",
        )
        self.assertEqual(len(job.result["problems"]), 1)
        self.assertTrue(job.result["problems"][0].startswith("Rad 8, e-post: "))
        self.assertEqual(self.round.registrations.count(), 1)  # the participant's own
        self.assertFalse(User.objects.filter(email__endswith="@example.se").exists())
        self.assertEqual(invitations(), [])
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, job.error)
        self.assertContains(page, job.result["problems"][0])
        self.assertNotContains(page, "<progress")

    def test_an_unexpected_error_is_a_sentence_too(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, *PEOPLE])
        with (
            BIG,
            mock.patch.object(imports, "apply", side_effect=RuntimeError("boom")),
            self.assertLogs("yrkesresan.enrolment.import_jobs", "ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.apply()
        job = self.job()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertEqual(job.error, "Importen misslyckades oväntat. Inget registrerades.")
        self.assertEqual(job.rows, [])
        self.assertFalse(Registration.objects.exists())


class AccessTests(BackgroundImportTestCase):
    def setUp(self):
        super().setUp()
        self.job_url = reverse(
            "imports:job",
            args=[ImportJob.objects.create(owner=self.coordinator_x, round=self.round).pk],
        )

    def test_the_owner_and_those_who_may_import_into_the_round_follow_the_job(self):
        expected = {
            "coordinator_x": 200,  # the owner
            "admin": 200,
            "contact_eskilstuna": 200,
            "manager_a": 404,
            "trainer_x": 404,
            "course_leader_x": 404,
            "coordinator_y": 404,
            "participant": 404,
            "editor": 404,
        }
        for persona, status in expected.items():
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                self.assertEqual(self.client.get(self.job_url).status_code, status)

    def test_anonymous_people_are_sent_to_log_in(self):
        response = self.client.get(self.job_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_job_page_makes_a_fixed_number_of_queries(self):
        self.login(self.coordinator_x)
        self.assertEqual(count_queries(self.client, self.job_url), QUERIES)
        ImportJob.objects.update(
            status=ImportJob.Status.DONE,
            result={"registered": 200, "waitlisted": 200, "new_accounts": 400, "problems": []},
        )
        self.assertEqual(count_queries(self.client, self.job_url), QUERIES)
        self.login(self.admin)
        self.assertEqual(count_queries(self.client, self.job_url), QUERIES)
        # Someone other than the owner: the contact's municipality and their view of the round.
        self.login(self.contact_eskilstuna)
        self.assertEqual(count_queries(self.client, self.job_url), QUERIES + 2)


@skipUnless(connection.vendor == "postgresql", "SQLite allows one writer at a time")
class ProgressSeenElsewhereTests(TransactionTestCase):
    """The progress is committed on its own connection while the import's transaction is open,
    so the job page (another request, another connection) sees the bar move."""

    def setUp(self):
        PersonaTestCase.setUpTestData.__func__(self)
        self.round = make_round(self.course, self.region_x, seats=2)

    def test_another_connection_sees_the_progress_while_the_import_runs(self):
        rows = [imports.ImportRow(n + 2, *person[:4]).as_dict() for n, person in enumerate(PEOPLE)]
        job = ImportJob.objects.create(
            owner=self.coordinator_x, round=self.round, rows=rows, rows_total=len(rows)
        )
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        query = ImportJob.objects.filter(pk=job.pk).values_list("steps_done", "status").query
        seen = []
        write = import_jobs._Progress.write

        def record(progress, **values):
            write(progress, **values)
            self.assertTrue(connection.in_atomic_block)  # the import is still open
            seen.extend(query.get_compiler(connection=other).results_iter())

        try:
            with (
                mock.patch.object(import_jobs, "PROGRESS_EVERY", 4),
                mock.patch.object(import_jobs._Progress, "write", record),
            ):
                import_jobs.run(job.pk)
        finally:
            other.close()
        self.assertEqual([tuple(row) for row in seen], [(4, "running"), (8, "running"),
                                                         (12, "running")])  # fmt: skip
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, ImportJob.Status.DONE)


class CommandLineTests(BackgroundImportTestCase):
    def test_the_command_imports_a_big_file_itself_with_the_same_outcome(self):
        self.login(self.coordinator_x)
        with BIG:
            self.import_file(PEOPLE)
        background = self.outcome()
        Registration.objects.all().delete()
        User.objects.filter(email__endswith="@example.se").delete()
        mail.outbox.clear()

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "personer.csv"
            path.write_bytes(csv_bytes([HEADER, *PEOPLE], ";", "utf-8"))
            with BIG, self.captureOnCommitCallbacks(execute=True):
                call_command(
                    "import_registrations",
                    str(path),
                    "--round",
                    str(self.round.pk),
                    "--as",
                    self.coordinator_x.email,
                    stdout=io.StringIO(),
                )
        self.assertEqual(self.outcome(), background)
        self.assertEqual(ImportJob.objects.count(), 1)  # the web's, none of the command's
