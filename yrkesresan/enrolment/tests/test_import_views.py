"""The import pages: upload → preview → apply, who may use them, and what is never kept."""

import json
import re
from unittest import mock

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail, serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from yrkesresan.accounts.models import User
from yrkesresan.core.models import AuditEvent, OutboundEmail
from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.enrolment import imports
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes, xlsx_bytes
from yrkesresan.rounds.testing import make_round

HEADER = ["Förnamn", "Efternamn", "E-post", "Kommun", "Enhet"]
GOOD = [
    ["Åsa", "Öberg", "asa@example.se", "Eskilstuna", "Familjehemsenheten"],
    ["Bo", "Ek", "bo@example.se", "Eskilstuna", ""],
    ["Deltagare", "Testsson", "deltagare@example.com", "Eskilstuna", ""],
]
PERSONNUMMER = "19850315-2389"
OTHER_PERSONNUMMER = "8507092384"


def invitations():
    """The invitation e-mails sent (registration confirmations are other messages)."""
    return [m for m in mail.outbox if "/konto/losenord/ny/" in m.body]


def upload_file(lines, name="personer.csv", delimiter=";", encoding="utf-8-sig"):
    if name.endswith(".xlsx"):
        return SimpleUploadedFile(name, xlsx_bytes(lines))
    return SimpleUploadedFile(name, csv_bytes(lines, delimiter, encoding), content_type="text/csv")


class ImportViewTestCase(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=2)
        self.upload_url = reverse("imports:upload", args=[self.round.pk])
        self.preview_url = reverse("imports:preview", args=[self.round.pk])
        self.apply_url = reverse("imports:apply", args=[self.round.pk])

    def upload(self, lines, **kwargs):
        return self.client.post(self.upload_url, {"file": upload_file(lines, **kwargs)})

    def stored(self):
        return self.client.session[f"rounds.import.{self.round.pk}"]

    def apply(self):
        return self.client.post(self.apply_url, {"token": self.stored()["token"]})

    def database_state(self):
        return (User.objects.count(), Registration.objects.count(), AuditEvent.objects.count())


class PermissionTests(ImportViewTestCase):
    def test_who_may_use_the_import_pages(self):
        expected = {
            "coordinator_x": 200,
            "contact_eskilstuna": 200,
            "admin": 200,
            "manager_a": 403,  # sees the round to register staff, but imports are not theirs
            "manager_kumla": 403,
            "trainer_x": 403,
            "course_leader_x": 403,
            "coordinator_y": 404,  # another region's round
            "participant": 404,
            "solna_participant": 404,
            "editor": 404,
        }
        for persona, status in expected.items():
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                self.assertEqual(self.client.get(self.upload_url).status_code, status)
                preview = self.client.get(self.preview_url).status_code
                self.assertEqual(preview, 302 if status == 200 else status)
                post_status = self.client.post(self.apply_url, {"token": "x"}).status_code
                self.assertEqual(post_status, 400 if status == 200 else status)
                upload_status = self.upload(GOOD[:1]).status_code
                self.assertIn(upload_status, {200, 400} if status == 200 else {status})

    def test_anonymous_people_are_sent_to_log_in(self):
        for url in (self.upload_url, self.preview_url):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(self.client.post(self.apply_url).status_code, 302)

    def test_an_unknown_round_is_404(self):
        self.login(self.admin)
        url = reverse("imports:upload", args=[self.round.pk + 1000])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_manager_cannot_upload_and_nothing_is_read(self):
        self.login(self.manager_a)
        response = self.upload([HEADER, *GOOD])
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(f"rounds.import.{self.round.pk}", self.client.session)


class FlowTests(ImportViewTestCase):
    def test_upload_preview_apply(self):
        self.login(self.coordinator_x)
        self.assertEqual(self.client.get(self.upload_url).status_code, 200)
        response = self.upload([HEADER, *GOOD])
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "enrolment/import_preview.html")
        preview = response.context["preview"]
        self.assertTrue(preview["ok"])
        self.assertEqual(
            (preview["registered"], preview["waitlisted"], preview["new_accounts"]), (2, 1, 2)
        )
        self.assertEqual([row["line"] for row in preview["rows"]], [2, 3, 4])
        self.assertEqual(self.database_state()[:2], (User.objects.count(), 0))
        self.assertEqual(self.client.get(self.preview_url).status_code, 200)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.apply()
        self.assertRedirects(
            response,
            reverse("enrolment:round", args=[self.round.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(
            dict(self.round.registrations.values_list("person__email", "status")),
            {
                "asa@example.se": "registered",
                "bo@example.se": "registered",
                "deltagare@example.com": "waitlisted",
            },
        )
        self.assertNotIn(f"rounds.import.{self.round.pk}", self.client.session)
        self.assertEqual(
            sorted(m.to[0] for m in invitations()), ["asa@example.se", "bo@example.se"]
        )
        # Applying the same preview twice is refused.
        response = self.client.post(self.apply_url, {"token": "gone"})
        self.assertEqual(response.status_code, 400)

    def test_an_excel_file_in_english(self):
        self.login(self.contact_eskilstuna)
        lines = [
            ["Email", "First name", "Last name", "Municipality code"],
            ["eva@example.se", "Eva", "Lind", 484],
        ]
        response = self.upload(lines, name="people.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["preview"]["ok"])
        self.assertEqual(self.apply().status_code, 302)
        self.assertEqual(User.objects.get(email="eva@example.se").municipality, self.eskilstuna)

    def test_bad_rows_are_a_400_preview_that_cannot_be_applied(self):
        self.login(self.coordinator_x)
        before = self.database_state()
        lines = [
            HEADER,
            *GOOD,
            ["Dålig", "Adress", "x@", "Eskilstuna", ""],
            ["Ej", "Medlem", "a@example.se", "Arboga", ""],
        ]
        response = self.upload(lines)
        self.assertEqual(response.status_code, 400)
        preview = response.context["preview"]
        self.assertFalse(preview["ok"])
        self.assertEqual(preview["bad_rows"], 2)
        self.assertEqual([row["line"] for row in preview["rows"] if row["problems"]], [5, 6])
        self.assertNotContains(response, f'action="{self.apply_url}"', status_code=400)
        self.assertEqual(self.apply().status_code, 400)
        self.assertEqual(self.database_state(), before)

    def test_a_row_that_became_bad_before_apply_applies_nothing(self):
        self.login(self.coordinator_x)
        self.assertEqual(self.upload([HEADER, *GOOD]).status_code, 200)
        register(self.participant, self.round, by=self.manager_a)
        before = self.database_state()
        response = self.apply()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            [row["line"] for row in response.context["preview"]["rows"] if row["problems"]], [4]
        )
        self.assertEqual(self.database_state(), before)
        self.assertEqual(invitations(), [])

    def test_a_municipal_contacts_rows_outside_their_municipality_are_bad(self):
        self.login(self.contact_eskilstuna)
        response = self.upload([HEADER, GOOD[0], ["Bo", "Ek", "bo@example.se", "Kumla", ""]])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            [row["line"] for row in response.context["preview"]["rows"] if row["problems"]], [3]
        )


class BadFileTests(ImportViewTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.coordinator_x)

    def assert_refused(self, data):
        before = self.database_state()
        response = self.client.post(self.upload_url, data)
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "enrolment/import_upload.html")
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.database_state(), before)
        self.assertNotIn(f"rounds.import.{self.round.pk}", self.client.session)

    def test_no_file(self):
        self.assert_refused({})

    def test_a_file_of_another_type(self):
        self.assert_refused({"file": SimpleUploadedFile("personer.pdf", b"%PDF-1.4 ...")})

    def test_an_unreadable_excel_file(self):
        self.assert_refused({"file": SimpleUploadedFile("personer.xlsx", b"PK\x03\x04 not really")})

    def test_a_file_without_the_required_columns(self):
        self.assert_refused({"file": upload_file([["Namn", "E-post"], ["Anna Berg", "a@b.se"]])})

    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_a_file_over_2_mb_is_never_written_to_disk(self):
        big = csv_bytes(
            [HEADER] + [["A", "B", f"p{n}@example.se", "Kumla", ""] for n in range(80_000)]
        )
        self.assertGreater(len(big), imports.MAX_FILE_BYTES)
        with mock.patch(
            "django.core.files.uploadhandler.TemporaryUploadedFile",
            side_effect=AssertionError("written to a temporary file"),
        ):
            self.assert_refused({"file": SimpleUploadedFile("personer.csv", big)})
            self.assertTrue(
                self.client.post(
                    self.upload_url, {"file": SimpleUploadedFile("p.csv", big)}
                ).wsgi_request.import_file_too_large
            )
            # A small file stays in memory even where Django would otherwise spill to disk.
            response = self.upload([HEADER, *GOOD])
        self.assertEqual(response.status_code, 200)

    def test_the_upload_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.coordinator_x)
        response = client.post(self.upload_url, {"file": upload_file([HEADER, *GOOD])})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(f"rounds.import.{self.round.pk}", client.session)
        client.get(self.upload_url)
        token = client.cookies["csrftoken"].value
        response = client.post(
            self.upload_url,
            {"file": upload_file([HEADER, *GOOD]), "csrfmiddlewaretoken": token},
        )
        self.assertEqual(response.status_code, 200)

    def test_get_only_and_post_only(self):
        self.assertEqual(self.client.get(self.apply_url).status_code, 405)
        self.assertEqual(self.client.post(self.preview_url).status_code, 405)


class PersonalNumberTests(ImportViewTestCase):
    """The platform never keeps a personal identity number: not in rows, pages, session or log."""

    def assert_nowhere(self, *values):
        for model in apps.get_models():
            dump = serializers.serialize("json", model._default_manager.all())
            for value in values:
                self.assertNotIn(value, dump, model._meta.label)
                self.assertNotIn(value.replace("-", ""), dump, model._meta.label)
        for session in Session.objects.all():
            data = json.dumps(SessionStore(session_key=session.session_key).load())
            for value in values:
                self.assertNotIn(value, data)
                self.assertNotIn(value.replace("-", ""), data)

    def test_a_personnummer_column_is_dropped_and_never_stored(self):
        self.login(self.coordinator_x)
        lines = [
            ["Personnummer", *HEADER, "Anteckning"],
            [PERSONNUMMER, *GOOD[0], OTHER_PERSONNUMMER],
            [OTHER_PERSONNUMMER, *GOOD[1], ""],
        ]
        response = self.upload(lines)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["stored"]["dropped_personal_numbers"])
        self.assertEqual(response.context["stored"]["ignored_columns"], [])
        for value in (PERSONNUMMER, OTHER_PERSONNUMMER, "2389", "2384"):
            self.assertNotContains(response, value)
        self.assert_nowhere(PERSONNUMMER, OTHER_PERSONNUMMER)
        preview = self.client.get(self.preview_url)
        self.assertNotContains(preview, PERSONNUMMER)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.apply().status_code, 302)
        self.assertEqual(self.round.registrations.count(), 2)
        self.assertTrue(AuditEvent.objects.filter(action="registration.imported").exists())
        self.assert_nowhere(PERSONNUMMER, OTHER_PERSONNUMMER)
        for message in mail.outbox:
            # The links carry random tokens, which may hold any four digits by chance.
            text = re.sub(r"https?://\S+", "", message.body)
            for value in (PERSONNUMMER, OTHER_PERSONNUMMER, "2389", "2384"):
                self.assertNotIn(value, text)

    def test_a_personnummer_in_another_column_is_withheld_and_reported(self):
        self.login(self.coordinator_x)
        lines = [[*HEADER, "Titel"], [*GOOD[0], PERSONNUMMER]]
        response = self.upload(lines, name="personer.xlsx")
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, PERSONNUMMER, status_code=400)
        self.assertNotContains(response, PERSONNUMMER.replace("-", ""), status_code=400)
        self.assert_nowhere(PERSONNUMMER)


class InvitationTests(ImportViewTestCase):
    def test_new_people_get_a_link_that_opens_the_set_password_form(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, *GOOD])
        with self.captureOnCommitCallbacks(execute=True):
            self.apply()
        self.assertEqual(len(invitations()), 2)
        message = next(m for m in invitations() if m.to == ["asa@example.se"])
        self.assertIn("Åsa", message.body)
        self.assertIn(self.course.title, message.body)
        link = next(line for line in message.body.splitlines() if "/konto/losenord/ny/" in line)
        self.assertTrue(link.startswith("http://127.0.0.1:8000/konto/losenord/ny/"))

        self.client.logout()
        response = self.client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "accounts/password_set.html")
        self.assertTrue(response.context["validlink"])
        response = self.client.post(
            response.redirect_chain[-1][0],
            {
                "new_password1": "ett-langt-losenord-2026",
                "new_password2": "ett-langt-losenord-2026",
            },
        )
        self.assertRedirects(response, reverse("accounts:login"))
        asa = User.objects.get(email="asa@example.se")
        self.assertTrue(asa.check_password("ett-langt-losenord-2026"))
        # The link works once.
        response = self.client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
        self.assertFalse(response.context["validlink"])

    def test_a_bad_link_shows_the_page_without_a_form(self):
        response = self.client.get(
            reverse("accounts:password_set", args=["MQ", "bad-token"]), follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["validlink"])

    def test_a_mismatched_password_is_a_form_error(self):
        person = User.objects.create_user(
            "ny@example.se", None, first_name="Ny", last_name="Person"
        )
        link = imports.invitation_link(person).removeprefix("http://127.0.0.1:8000")
        form_url = self.client.get(link, follow=True).redirect_chain[-1][0]
        response = self.client.post(
            form_url, {"new_password1": "a-long-password-1", "new_password2": "other"}
        )
        self.assertEqual(response.status_code, 200)  # Django's view answers 200 with the errors
        self.assertTrue(response.context["form"].errors)
        self.assertTrue(
            default_token_generator.check_token(person, link.rstrip("/").split("/")[-1])
        )

    def test_existing_people_get_no_invitation(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, GOOD[2]])
        with self.captureOnCommitCallbacks(execute=True):
            self.apply()
        self.assertEqual(invitations(), [])

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_the_invitations_are_queued_with_the_import_and_not_sent_in_the_request(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, GOOD[0]])
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.apply().status_code, 302)
        self.assertEqual(invitations(), [])
        [row] = OutboundEmail.objects.filter(key__startswith="import-invitations:")
        self.assertEqual(row.recipients, "asa@example.se")
        queued = DBTaskResult.objects.filter(task_path="yrkesresan.core.mail.deliver")
        self.assertEqual(
            [t.args_kwargs["args"] for t in queued if t.args_kwargs["args"] == [row.pk]], [[row.pk]]
        )

    def test_a_failing_mail_server_does_not_undo_the_import(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, GOOD[0]])
        with (
            mock.patch(
                "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError
            ),
            self.assertLogs("yrkesresan.core.mail", "WARNING"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(self.apply().status_code, 302)
        self.assertTrue(User.objects.filter(email="asa@example.se").exists())
        # The invitation waits in the outbox for the next attempt.
        [waiting] = OutboundEmail.objects.filter(key__startswith="import-invitations:")
        self.assertIsNone(waiting.sent_at)
        self.assertEqual(waiting.attempts, 1)


class QueryCountTests(ImportViewTestCase):
    def test_the_preview_does_not_grow_with_the_rows(self):
        self.login(self.coordinator_x)
        self.upload([HEADER, *GOOD[:2]])
        few = count_queries(self.client, self.preview_url)
        many = [[f"P{n}", "Testsson", f"p{n}@example.se", "Eskilstuna", ""] for n in range(40)]
        self.upload([HEADER, *many])
        with self.assertNumQueries(few):
            response = self.client.get(self.preview_url)
        self.assertEqual(len(response.context["preview"]["rows"]), 40)

    def test_the_upload_page_has_a_fixed_number_of_queries(self):
        self.login(self.contact_eskilstuna)
        count = count_queries(self.client, self.upload_url)
        register(self.participant, self.round, by=self.manager_a)
        with self.assertNumQueries(count):
            self.client.get(self.upload_url)

    def test_checking_a_file_costs_a_bounded_number_of_queries_per_row(self):
        # Each row goes through the registration service's own checks; the lookups are shared.
        self.login(self.coordinator_x)
        lines = [[f"P{n}", "Testsson", f"p{n}@example.se", "Eskilstuna", ""] for n in range(20)]
        with CaptureQueriesContext(connection) as ten:
            self.upload([HEADER, *lines[:10]])
        with CaptureQueriesContext(connection) as twenty:
            self.upload([HEADER, *lines])
        self.assertLessEqual(len(twenty) - len(ten), 10 * 6)
