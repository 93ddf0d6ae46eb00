"""OpenID Connect login against a real provider process (django-oidc-provider in its own small
Django project, tests/sso/oidc_op) on a free port of 127.0.0.1."""

import datetime
import re
from html import unescape
from unittest import mock
from urllib.parse import urljoin, urlsplit

import jwt
import requests
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tests.sso.oidc_op.serve import CLIENT_ID, CLIENT_SECRET
from tests.sso.processes import IDP_PASSWORD, oidc_provider
from yrkesresan.accounts.models import User
from yrkesresan.core.testing import PersonaTestCase, free_port
from yrkesresan.sso.models import IdentityProvider

PORT = free_port()
OP = f"http://127.0.0.1:{PORT}"
USERS = {
    "kumla": {"email": "kumla@example.com", "first_name": "Kim", "last_name": "Kumlasson"},
    "okand": {"email": "okand@example.com", "first_name": "Okänd", "last_name": "Person"},
}


class OidcLoginTests(PersonaTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op_process = oidc_provider(PORT, "http://testserver/sso/oidc/callback/", USERS)
        cls.op_process.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.op_process.__exit__(None, None, None)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider = IdentityProvider.objects.create(
            name="Kumla kommun",
            protocol=IdentityProvider.Protocol.OIDC,
            municipality=cls.kumla,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            authorization_endpoint=f"{OP}/authorize",
            token_endpoint=f"{OP}/token",
            userinfo_endpoint=f"{OP}/userinfo",
            jwks_uri=f"{OP}/jwks",
            end_session_endpoint=f"{OP}/end-session",
            email_attribute="email",
            first_name_attribute="given_name",
            last_name_attribute="family_name",
        )

    def callback_for(self, op_user, email="kumla@example.com"):
        """From the e-mail step to the provider, signed in there: the callback address the
        provider sends the browser back to, not yet followed."""
        start = self.client.post(reverse("sso:start"), {"username": email})
        self.assertTrue(start["Location"].startswith(reverse("sso:oidc_login")))
        to_op = self.client.get(start["Location"])
        self.assertTrue(to_op["Location"].startswith(f"{OP}/authorize?"))
        browser = requests.Session()
        login_page = browser.get(to_op["Location"], timeout=10)
        self.assertIn("/login/", login_page.url)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
        back = browser.post(
            login_page.url,
            {
                "csrfmiddlewaretoken": csrf,
                "username": op_user,
                "password": IDP_PASSWORD,
                "next": unescape(re.search(r'name="next" value="([^"]*)"', login_page.text)[1]),
            },
            headers={"Referer": login_page.url},
            allow_redirects=False,
            timeout=10,
        )
        while not back.headers["Location"].startswith("http://testserver/"):
            location = urljoin(OP, back.headers["Location"])
            back = browser.get(location, allow_redirects=False, timeout=10)
        callback = back.headers["Location"]
        self.assertTrue(callback.startswith("http://testserver/sso/oidc/callback/?"), callback)
        parts = urlsplit(callback)
        return f"{parts.path}?{parts.query}"

    def test_a_federated_participant_is_sent_to_their_provider_and_signed_in(self):
        response = self.client.get(self.callback_for("kumla"))
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.kumla_participant.pk)
        self.kumla_participant.refresh_from_db()
        self.assertEqual(self.kumla_participant.last_name, "Kumlasson")

    def test_a_tampered_token_is_refused(self):
        real_verify = OIDCAuthenticationBackend._verify_jws

        def forged(backend, payload, key):
            header, body, signature = payload.split(".")
            claims = jwt.decode(payload, options={"verify_signature": False})
            claims["sub"] = "someone-else"
            other = jwt.encode(claims, "not-the-key", algorithm="HS256").split(".")[1]
            return real_verify(backend, f"{header}.{other}.{signature}", key)

        with mock.patch.object(OIDCAuthenticationBackend, "_verify_jws", forged):
            response = self.client.get(self.callback_for("kumla"))
        self.assertContains(response, "kunde inte godtas", status_code=403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_expired_token_is_refused(self):
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
        with mock.patch("jwt.api_jwt.datetime") as clock:
            clock.now.return_value = later
            clock.side_effect = datetime.datetime
            response = self.client.get(self.callback_for("kumla"))
        self.assertContains(response, "kunde inte godtas", status_code=403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_unknown_email_gets_a_clear_message_and_no_account(self):
        people = User.objects.count()
        response = self.client.get(self.callback_for("okand"))
        self.assertContains(
            response, "Det finns inget konto i Yrkesresan för okand@example.com", status_code=403
        )
        self.assertEqual(User.objects.count(), people)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logging_out_ends_the_session_here_and_at_the_provider(self):
        self.client.get(self.callback_for("kumla"))
        response = self.client.post(reverse("sso:logout"))
        self.assertTrue(response["Location"].startswith(f"{OP}/end-session?id_token_hint="))
        self.assertNotIn("_auth_user_id", self.client.session)
