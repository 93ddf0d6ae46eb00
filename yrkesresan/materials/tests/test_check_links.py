"""The daily link check: every link in preparation, material and laws is asked for, and the
broken ones are listed for the editors of their journeys. A tiny local server stands in for
the web (the tests never reach the internet)."""

import datetime
import http.server
import threading
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from yrkesresan.catalog.models import LegalReference, PreparationTask
from yrkesresan.core.testing import PersonaTestCase, free_port
from yrkesresan.materials.models import LinkCheck, Material

PORT = free_port()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path.startswith("/no-head"):
            self.send_response(405)
        else:
            self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path.startswith(("/ok", "/no-head")) else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


class CheckLinksTests(PersonaTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        base = f"http://127.0.0.1:{PORT}"
        LegalReference.objects.update(url="")
        PreparationTask.objects.filter(course=cls.course).update(
            url=f"{base}/ok/film", body=f"Läs också {base}/missing/artikel och {base}/no-head."
        )
        day = datetime.date(2026, 1, 1)
        Material.objects.create(course=cls.course, audience="trainer", title="Handledning",
                                url=f"{base}/missing/pdf", published_on=day)  # fmt: skip
        LegalReference.objects.filter(sfs_number="2025:400").update(url=f"{base}/missing/sfs")

    def test_broken_links_are_found_and_listed_for_the_editor(self):
        out = StringIO()
        call_command("check_links", stdout=out)
        self.assertIn("5 links checked, 3 broken.", out.getvalue())
        broken = set(LinkCheck.objects.filter(ok=False).values_list("url", "status"))
        base = f"http://127.0.0.1:{PORT}"
        self.assertEqual(broken, {(f"{base}/missing/artikel", 404), (f"{base}/missing/pdf", 404),
                                  (f"{base}/missing/sfs", 404)})  # fmt: skip
        self.login(self.editor)
        page = self.client.get(reverse("materials:broken_links"))
        self.assertContains(page, f"{base}/missing/artikel")
        self.assertContains(page, f"{base}/missing/sfs")
        self.assertNotContains(page, f"{base}/ok/film")

    def test_a_second_run_replaces_the_first(self):
        call_command("check_links", stdout=StringIO())
        call_command("check_links", stdout=StringIO())
        self.assertEqual(LinkCheck.objects.count(), 5)

    def test_other_journeys_editors_do_not_see_this_journeys_links_and_others_get_403(self):
        call_command("check_links", stdout=StringIO())
        from yrkesresan.accounts.models import RoleAssignment
        from yrkesresan.core.testing import make_person

        elderly = make_person("aldre.redaktor@example.com", is_staff=True)
        RoleAssignment.objects.create(user=elderly, role="national_editor",
                                      journey=self.elderly_journey)  # fmt: skip
        self.login(elderly)
        page = self.client.get(reverse("materials:broken_links"))
        self.assertNotContains(page, "/missing/artikel")
        self.assertContains(page, "/missing/sfs")  # laws belong to everyone
        self.login(self.trainer_x)
        self.assertEqual(self.client.get(reverse("materials:broken_links")).status_code, 403)
