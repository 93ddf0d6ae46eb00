"""Large exports in the background: started by a POST, built by the task (the immediate
backend in tests), followed on a page that htmx polls, fetched once ready, and only by the
person who asked."""

import io

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.reports import services
from yrkesresan.reports.models import ExportJob

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class ExportTests(PersonaTestCase):
    start = reverse("reports:export_start")

    def test_the_nation_export_is_built_in_the_background_and_fetched_from_its_page(self):
        self.client.force_login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.start, {"kind": "nation"})
        job = ExportJob.objects.get()
        self.assertRedirects(response, reverse("reports:export", args=[job.pk]))
        self.assertEqual((job.status, job.progress), (ExportJob.Status.DONE, 100))
        page = self.client.get(response.url)
        file_url = reverse("reports:export_file", args=[job.pk])
        self.assertContains(page, f'href="{file_url}"')
        self.assertNotContains(page, "hx-trigger")  # ready: no more polling
        workbook = load_workbook(io.BytesIO(self.client.get(file_url).content))
        self.assertEqual(len(workbook.sheetnames), 3)

    @override_settings(TASKS=DUMMY_TASKS)
    def test_while_it_is_prepared_the_page_polls_and_shows_the_progress_in_words(self):
        job = ExportJob.objects.create(owner=self.admin, kind="nation")
        services.record_progress(job.pk, 60)
        self.client.force_login(self.admin)
        url = reverse("reports:export", args=[job.pk])
        page = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        self.assertIn('role="status"', page)
        self.assertIn('hx-trigger="every 1s"', page)
        self.assertIn('<progress id="export-progress" max="100" value="60">', page)
        fragment = self.client.get(url, HTTP_HX_REQUEST="true").content.decode()
        self.assertNotIn("<h1", fragment)  # htmx swaps the status only
        self.assertIn('value="60"', fragment)
        file_url = reverse("reports:export_file", args=[job.pk])
        self.assertEqual(self.client.get(file_url).status_code, 404)  # not ready yet

    def test_someone_else_s_export_is_not_found(self):
        job = ExportJob.objects.create(owner=self.admin, kind="nation", status="done")
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(reverse("reports:export", args=[job.pk])).status_code, 404)

    def test_an_export_the_person_may_not_see_is_refused_and_nothing_is_queued(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.post(self.start, {"kind": "nation"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ExportJob.objects.exists())

    def test_an_unknown_report_is_a_400(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.post(self.start, {"kind": "allt"}).status_code, 400)
        self.assertFalse(ExportJob.objects.exists())

    def test_only_the_report_filters_are_kept(self):
        job = services.start_export(
            self.coordinator_x, "region", {"stod": str(self.region_x.pk), "x": "1"}
        )
        self.assertEqual(job.parameters, {"stod": str(self.region_x.pk)})

    def test_rights_lost_before_the_build_fail_the_job_with_a_reason(self):
        job = ExportJob.objects.create(owner=self.coordinator_x, kind="nation")
        services.run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, ExportJob.Status.FAILED)
        self.assertTrue(job.error)
        self.assertIsNone(job.content)
