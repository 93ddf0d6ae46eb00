"""SAML 2 login against a real pysaml2 identity provider process on a free port of 127.0.0.1."""

import base64
import calendar
import re
import time
from html import unescape
from unittest import mock

import requests
from django.test import RequestFactory
from django.urls import reverse

from tests.sso.processes import IDP_PASSWORD, saml_idp
from yrkesresan.accounts.models import User
from yrkesresan.core.testing import PersonaTestCase, free_port
from yrkesresan.sso.models import IdentityProvider
from yrkesresan.sso.saml import sp_config

PORT = free_port()
IDP = f"http://127.0.0.1:{PORT}"
USERS = {
    "deltagare": {"mail": "Deltagare@example.com", "givenName": "Delia", "sn": "Tagare"},
    "okand": {"mail": "okand@example.com", "givenName": "Okänd", "sn": "Person"},
    "kumla": {"mail": "kumla@example.com", "givenName": "Kim", "sn": "Kumla"},
    "samordnare": {"mail": "samordnare.x@example.com", "givenName": "Sam", "sn": "Ordnare"},
}


def form_value(html, name):
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))


class SamlLoginTests(PersonaTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        request = RequestFactory().get("/")
        cls.idp_process = saml_idp(PORT, sp_config(request, providers=()), USERS)
        cls.idp_process.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.idp_process.__exit__(None, None, None)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider = IdentityProvider.objects.create(
            name="Eskilstuna kommun",
            protocol=IdentityProvider.Protocol.SAML,
            municipality=cls.eskilstuna,
            entity_id=f"{IDP}/metadata",
            metadata_url=f"{IDP}/metadata",
        )

    def assertion_for(self, idp_user, email="deltagare@example.com", next_url=""):
        """Go from the login page's e-mail step to the IdP and back: the IdP's signed answer
        (SAMLResponse, RelayState), not yet posted to us."""
        start = self.client.post(reverse("sso:start"), {"username": email, "next": next_url})
        self.assertTrue(start["Location"].startswith(reverse("saml2_login")), start["Location"])
        to_idp = self.client.get(start["Location"])
        self.assertEqual(to_idp.status_code, 302)
        self.assertTrue(to_idp["Location"].startswith(f"{IDP}/sso/redirect?SAMLRequest="))
        login_page = requests.get(to_idp["Location"], timeout=10).text
        answer = requests.post(
            f"{IDP}/sso/login",
            {
                "SAMLRequest": form_value(login_page, "SAMLRequest"),
                "RelayState": form_value(login_page, "RelayState"),
                "user": idp_user,
                "password": IDP_PASSWORD,
            },
            timeout=10,
        ).text
        return form_value(answer, "SAMLResponse"), form_value(answer, "RelayState")

    def post_assertion(self, saml_response, relay_state=""):
        return self.client.post(
            reverse("saml2_acs"), {"SAMLResponse": saml_response, "RelayState": relay_state}
        )

    def test_a_federated_participant_is_sent_to_their_idp_and_signed_in(self):
        response = self.post_assertion(*self.assertion_for("deltagare", next_url="/profil/"))
        self.assertRedirects(response, "/profil/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.participant.pk)
        self.participant.refresh_from_db()
        self.assertEqual(self.participant.get_full_name(), "Delia Tagare")

    def test_people_without_a_federated_employer_get_the_password_step(self):
        response = self.client.post(reverse("sso:start"), {"username": "Kumla@example.com"})
        self.assertRedirects(
            response,
            reverse("accounts:login") + "?email=kumla%40example.com",
            fetch_redirect_response=False,
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, 'value="kumla@example.com"')
        self.assertContains(page, 'name="password"')

    def test_the_login_page_asks_for_the_email_first(self):
        page = self.client.get(reverse("accounts:login"))
        self.assertContains(page, f'action="{reverse("sso:start")}"')
        self.assertNotContains(page, 'name="password"')

    def test_a_tampered_assertion_is_refused(self):
        saml_response, relay_state = self.assertion_for("deltagare")
        xml = base64.b64decode(saml_response).decode()
        self.assertIn("Deltagare@example.com", xml)
        forged = xml.replace("Deltagare@example.com", "kontakt@example.com")
        response = self.post_assertion(base64.b64encode(forged.encode()).decode(), relay_state)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "kunde inte godtas", status_code=403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_expired_assertion_is_refused(self):
        saml_response, relay_state = self.assertion_for("deltagare")
        an_hour_later = calendar.timegm(time.gmtime()) + 3600
        with mock.patch("saml2.time_util.utc_now", return_value=an_hour_later):
            response = self.post_assertion(saml_response, relay_state)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_unknown_email_gets_a_clear_message_and_no_account(self):
        people = User.objects.count()
        response = self.post_assertion(*self.assertion_for("okand"))
        self.assertContains(
            response, "Det finns inget konto i Yrkesresan för okand@example.com", status_code=403
        )
        self.assertEqual(User.objects.count(), people)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_idp_cannot_sign_in_another_municipalitys_staff(self):
        response = self.post_assertion(*self.assertion_for("kumla"))
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_no_role_comes_from_the_idp(self):
        self.post_assertion(*self.assertion_for("deltagare"))
        self.assertFalse(self.participant.roles.exists())

    def test_logging_out_ends_the_session_here_and_at_the_idp(self):
        self.post_assertion(*self.assertion_for("deltagare"))
        self.assertIn("_auth_user_id", self.client.session)
        response = self.client.post(reverse("sso:logout"))
        self.assertRedirects(response, reverse("saml2_logout"), fetch_redirect_response=False)
        to_idp = self.client.get(response["Location"])
        self.assertTrue(to_idp["Location"].startswith(f"{IDP}/slo/redirect?SAMLRequest="))
        back = requests.get(to_idp["Location"], allow_redirects=False, timeout=10)
        self.assertEqual(back.status_code, 302)
        done = self.client.get(back.headers["Location"])
        self.assertEqual(done.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_support_structures_idp_signs_in_its_coordinator_without_a_one_time_code(self):
        IdentityProvider.objects.filter(pk=self.provider.pk).update(
            municipality=None, structure=self.region_x
        )
        response = self.post_assertion(
            *self.assertion_for("samordnare", email="samordnare.x@example.com")
        )
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.coordinator_x.pk)
        # The provider secures its own login: no code is asked for here.
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)
