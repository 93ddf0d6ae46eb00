"""The small things that make the platform feel finished: the admin's section headings in
Swedish, a favicon on every page, and what `make demo` prints last."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase


class FinishingTouchesTests(PersonaTestCase):
    def test_the_admins_section_headings_are_in_swedish(self):
        self.login(self.admin)
        response = self.client.get(reverse("admin:index"))
        for heading in ("Personer och roller", "Utbildare och team", "Organisationer"):
            self.assertContains(response, heading)
        for english in ("Accounts", "Staffing", "Enrolment"):
            self.assertNotContains(response, f">{english}<")

    def test_pages_and_the_admin_have_a_favicon(self):
        self.login(self.admin)
        for url in (reverse("home:home"), reverse("admin:index")):
            self.assertContains(self.client.get(url), 'rel="icon"')

    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH="/tmp/yrkesresan-demo-mail",
    )
    def test_the_demo_banner_names_the_address_the_mail_folder_and_the_logins(self):
        out = StringIO()
        call_command("demo_banner", "--url", "http://127.0.0.1:8000/", stdout=out)
        text = out.getvalue()
        self.assertIn("http://127.0.0.1:8000/", text)
        self.assertIn("/tmp/yrkesresan-demo-mail/", text)
        self.assertIn("samordnare@example.com", text)
        self.assertTrue(text.rstrip().endswith("=" * 72))
