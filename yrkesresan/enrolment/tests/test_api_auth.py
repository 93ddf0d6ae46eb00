"""Token authentication, the create_api_token command, and the API's error conventions.

ApiTestCase, the base of every test_api_* file, gives each persona a token and builds one round
in Region X (participant registered) and one in Region Y (solna_participant registered).
"""

import datetime
import hashlib
import io
import json

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import ApiToken
from yrkesresan.core.testing import PERSONAS as ALL_PERSONAS
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.testing import make_round

# Every persona holds a token: nobody is anonymous here.
PERSONAS = [name for name in ALL_PERSONAS if name != "anonymous"]


class ApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {name: ApiToken.issue(getattr(cls, name)) for name in PERSONAS}
        cls.round_x = make_round(cls.course, cls.region_x, seats=3)
        cls.round_y = make_round(cls.course, cls.region_y, seats=3)
        cls.registration_x = register(cls.participant, cls.round_x, by=cls.manager_a)
        cls.registration_y = register(
            cls.solna_participant,
            cls.round_y,
            by=cls.coordinator_y,
            step_mismatch_reason="Ny inom barn och unga.",
        )

    def api(self, method, url, who=None, body=None, *, token=None, headers=None):
        """Call the API as persona `who` (or with `token`); `body` is sent as JSON."""
        headers = dict(headers or {})
        token = token or (self.tokens[who] if who else None)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, str | bytes) else json.dumps(body) if body else ""
        return self.client.generic(
            method, url, data=data, content_type="application/json", headers=headers
        )

    def count_api_queries(self, url, who):
        """How many queries a GET of `url` as `who` makes (after one warm-up request: the
        first use of a token records it)."""
        self.api("GET", url, who)
        with CaptureQueriesContext(connection) as context:
            response = self.api("GET", url, who)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def assert_error(self, response, status):
        """The response is a JSON error with this status and a message; returns the message."""
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        message = response.json()["error"]
        self.assertIsInstance(message, str)
        self.assertTrue(message.endswith("."), message)
        return message

    @staticmethod
    def round_url(round):
        return reverse("api:round_detail", args=[round.pk])

    @staticmethod
    def registrations_url(round):
        return reverse("api:round_registrations", args=[round.pk])

    @staticmethod
    def registration_url(registration):
        return reverse("api:registration_detail", args=[registration.pk])


class TokenAuthenticationTests(ApiTestCase):
    def test_a_valid_token_authenticates(self):
        response = self.api("GET", reverse("api:round_list"), "manager_a")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")

    def test_a_missing_token_is_401_with_a_bearer_challenge(self):
        response = self.api("GET", reverse("api:round_list"))
        self.assert_error(response, 401)
        self.assertTrue(response["WWW-Authenticate"].startswith("Bearer"))

    def test_an_unknown_token_or_another_scheme_is_401(self):
        url = reverse("api:round_list")
        for header in [
            "Bearer not-a-token",
            "Bearer ",
            f"Token {self.tokens['manager_a']}",
            self.tokens["manager_a"],
        ]:
            with self.subTest(header=header):
                response = self.client.get(url, headers={"Authorization": header})
                self.assert_error(response, 401)

    def test_a_deactivated_owner_makes_the_token_useless(self):
        self.manager_a.is_active = False
        self.manager_a.save()
        response = self.api("GET", reverse("api:round_list"), "manager_a")
        self.assert_error(response, 401)

    def test_a_session_login_does_not_authenticate_the_api(self):
        self.client.force_login(self.admin)
        self.assert_error(self.client.get(reverse("api:round_list")), 401)

    def test_only_the_digest_is_stored(self):
        token = ApiToken.issue(self.manager_a, name="HR")
        stored = ApiToken.objects.get(name="HR")
        self.assertEqual(stored.digest, hashlib.sha256(token.encode()).hexdigest())
        self.assertFalse(ApiToken.objects.filter(digest=token).exists())

    def test_last_use_is_written_at_most_once_a_minute(self):
        url = reverse("api:round_list")
        token = ApiToken.objects.filter(user=self.manager_a).get()
        self.assertIsNone(token.last_used_at)
        self.api("GET", url, "manager_a")
        token.refresh_from_db()
        first_use = token.last_used_at
        self.assertIsNotNone(first_use)

        self.api("GET", url, "manager_a")
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, first_use)

        earlier = timezone.now() - datetime.timedelta(minutes=2)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
        self.api("GET", url, "manager_a")
        token.refresh_from_db()
        self.assertGreater(token.last_used_at, earlier)

    def test_writes_need_no_csrf_token(self):
        self.client = self.client_class(enforce_csrf_checks=True)
        response = self.api(
            "POST",
            self.registrations_url(self.round_x),
            "manager_a",
            {"email": self.participant.email},
        )
        self.assertEqual(response.status_code, 200)


class ErrorConventionTests(ApiTestCase):
    def test_a_wrong_method_is_405_with_allow(self):
        response = self.api("PUT", self.round_url(self.round_x), "manager_a")
        self.assert_error(response, 405)
        self.assertEqual(response["Allow"], "GET")
        response = self.api("GET", self.registrations_url(self.round_x), "manager_a")
        self.assert_error(response, 405)
        self.assertEqual(response["Allow"], "POST")

    def test_an_unknown_address_under_the_api_is_a_json_404(self):
        for url in ["/api/v1/nothing", "/api/v1/rounds/", "/api/v1/rounds/abc"]:
            with self.subTest(url=url):
                self.assert_error(self.api("GET", url, "manager_a"), 404)

    def test_errors_are_in_english_whatever_the_caller_asks_for(self):
        self.round_x.status = "closed"
        self.round_x.save()
        response = self.api(
            "POST",
            self.registrations_url(self.round_x),
            "manager_a",
            {"email": self.colleague.email, "reason": "Ny inom barn och unga."},
            headers={"Accept-Language": "sv"},
        )
        message = self.assert_error(response, 409)
        self.assertEqual(message, "The round is not open for registration.")
        self.assertEqual(response["Content-Language"], "en")


class CreateApiTokenCommandTests(ApiTestCase):
    def test_the_last_word_printed_is_a_working_token(self):
        out = io.StringIO()
        call_command("create_api_token", "Chef.A@example.com", "--name", "Personec", stdout=out)
        line = out.getvalue().strip()
        self.assertIn(self.manager_a.email, line)
        token = line.split()[-1]
        self.assertEqual(ApiToken.objects.filter(user=self.manager_a, name="Personec").count(), 1)
        response = self.api("GET", self.round_url(self.round_x), token=token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["id"], self.round_x.pk)

    def test_an_unknown_address_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No person has the e-mail address"):
            call_command("create_api_token", "nobody@example.com", stdout=io.StringIO())
        self.assertEqual(ApiToken.objects.filter(name="").count(), len(PERSONAS))

    def test_a_deactivated_account_gets_no_token(self):
        self.manager_a.is_active = False
        self.manager_a.save()
        with self.assertRaises(CommandError):
            call_command("create_api_token", self.manager_a.email, stdout=io.StringIO())


class ApiTokenAdminTests(ApiTestCase):
    def test_the_admin_shows_tokens_read_only_and_creates_none(self):
        token = ApiToken.objects.get(user=self.manager_a)
        self.client.force_login(self.admin)
        self.assertEqual(
            self.client.get(reverse("admin:accounts_apitoken_changelist")).status_code, 200
        )
        change = self.client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
        self.assertEqual(change.status_code, 200)
        self.assertContains(change, token.digest)
        self.assertNotContains(change, 'name="digest"')
        self.assertEqual(self.client.get(reverse("admin:accounts_apitoken_add")).status_code, 403)
