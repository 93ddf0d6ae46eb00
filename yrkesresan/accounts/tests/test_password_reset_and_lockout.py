"""Password recovery, renewing an expired invitation, and login lockout behind a proxy."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from yrkesresan.core.models import OutboundEmail
from yrkesresan.core.testing import PASSWORD, make_person

User = get_user_model()
PROXY = "10.0.0.5"
BEHIND_THE_PROXY = override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])


def link_in(message):
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", message.body).group(1)


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("anna.andersson@example.com")

    def ask(self, email, **extra):
        return self.client.post(reverse("accounts:password_reset"), {"email": email}, **extra)

    def test_the_login_page_links_to_password_recovery_in_swedish(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, reverse("accounts:password_reset"))
        response = self.client.get(reverse("accounts:password_reset"))
        self.assertContains(response, "Glömt lösenord")

    def test_a_reset_link_arrives_through_the_outbox_and_sets_a_new_password(self):
        response = self.ask(" Anna.Andersson@Example.com")
        self.assertRedirects(response, reverse("accounts:password_reset_sent"))
        [message] = mail.outbox
        self.assertEqual(message.to, ["anna.andersson@example.com"])
        self.assertIn("Välj ett nytt lösenord", message.subject)
        self.assertTrue(OutboundEmail.objects.get().key.startswith("password-reset:"))
        form_url = self.client.get(link_in(message), follow=True).redirect_chain[-1][0]
        response = self.client.post(
            form_url,
            {
                "new_password1": "ett-nytt-langt-losenord",
                "new_password2": "ett-nytt-langt-losenord",
            },
        )
        self.assertRedirects(response, reverse("accounts:login"))
        self.person.refresh_from_db()
        self.assertTrue(self.person.check_password("ett-nytt-langt-losenord"))

    def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(self):
        known = self.ask("anna.andersson@example.com")
        unknown = self.ask("ingen@example.com")
        self.assertEqual(
            (known.status_code, known["Location"]), (unknown.status_code, unknown["Location"])
        )
        self.assertEqual(len(mail.outbox), 1)
        page = self.client.get(unknown["Location"])
        self.assertContains(page, "Om adressen har ett konto")

    def test_a_person_renews_their_own_expired_invitation(self):
        invited = User.objects.create_user("ny@example.se", None, first_name="Ny")
        self.assertFalse(invited.has_usable_password())
        expired = self.client.get(
            reverse("accounts:password_set", args=["MQ", "utgangen-nyckel"]), follow=True
        )
        self.assertContains(expired, reverse("accounts:password_reset"))
        self.ask("ny@example.se")
        [message] = mail.outbox
        form_url = self.client.get(link_in(message), follow=True).redirect_chain[-1][0]
        self.client.post(
            form_url,
            {"new_password1": "ett-eget-losenord-9", "new_password2": "ett-eget-losenord-9"},
        )
        invited.refresh_from_db()
        self.assertTrue(invited.check_password("ett-eget-losenord-9"))

    def test_an_inactive_account_gets_no_link(self):
        User.objects.filter(pk=self.person.pk).update(is_active=False)
        self.ask("anna.andersson@example.com")
        self.assertEqual(mail.outbox, [])

    @override_settings(PASSWORD_RESET_RATE_PER_ACCOUNT="2/h")
    def test_requests_for_one_address_are_rate_limited_with_retry_after(self):
        for _attempt in range(2):
            self.assertEqual(self.ask("anna.andersson@example.com").status_code, 302)
        response = self.ask("Anna.Andersson@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertContains(response, "För många försök", status_code=429)
        self.assertEqual(len(mail.outbox), 2)

    @override_settings(PASSWORD_RESET_RATE_PER_ADDRESS="3/h")
    def test_requests_from_one_client_are_rate_limited(self):
        for n in range(3):
            self.assertEqual(self.ask(f"p{n}@example.com").status_code, 302)
        self.assertEqual(self.ask("p9@example.com").status_code, 429)


class LoginRateLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("bo@example.com")

    def post(self, email, password, address="127.0.0.1", **extra):
        return self.client.post(
            reverse("accounts:login"),
            {"username": email, "password": password},
            REMOTE_ADDR=address,
            **extra,
        )

    @override_settings(LOGIN_RATE_PER_ADDRESS="4/10m", AXES_FAILURE_LIMIT=100)
    def test_login_attempts_from_one_address_are_rate_limited_with_retry_after(self):
        for n in range(4):
            self.post(f"p{n}@example.com", "fel")
        response = self.post("bo@example.com", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(LOGIN_RATE_PER_ADDRESS="4/10m")
    def test_the_e_mail_step_is_rate_limited_per_address_too(self):
        for n in range(4):
            step = self.client.post(reverse("sso:start"), {"username": f"p{n}@example.com"})
            self.assertEqual(step.status_code, 302)
        response = self.client.post(reverse("sso:start"), {"username": "bo@example.com"})
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 0)

    @override_settings(LOGIN_RATE_PER_ACCOUNT="3/h", AXES_FAILURE_LIMIT=100)
    def test_login_attempts_at_one_account_are_rate_limited_from_any_address(self):
        for n in range(3):
            self.post("bo@example.com", "fel", address=f"198.51.100.{n}")
        self.assertEqual(self.post("BO@example.com", "fel", address="203.0.113.9").status_code, 429)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_lockout_answers_429_with_the_cool_off_as_retry_after(self):
        for _attempt in range(3):
            self.post("bo@example.com", "fel")
        response = self.post("bo@example.com", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], str(15 * 60))
        self.assertContains(response, reverse("accounts:password_reset"), status_code=429)


@override_settings(AXES_FAILURE_LIMIT=3)
class LockoutBehindAProxyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("cecilia@example.com")
        cls.other = make_person("dan@example.com")

    def post(self, email, password, client_address, remote=PROXY):
        return self.client.post(
            reverse("accounts:login"),
            {"username": email, "password": password},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    def logs_in(self, email, client_address, remote=PROXY):
        response = self.post(email, PASSWORD, client_address, remote)
        self.client.logout()
        return response.status_code == 302

    @BEHIND_THE_PROXY
    def test_someone_elses_failures_behind_the_proxy_do_not_lock_a_person_out(self):
        for _attempt in range(5):
            self.post("cecilia@example.com", "fel", "203.0.113.66")
        self.assertFalse(self.logs_in("cecilia@example.com", "203.0.113.66"))
        self.assertTrue(self.logs_in("cecilia@example.com", "198.51.100.7"))

    def test_without_the_proxy_configured_everyone_behind_it_shares_one_address(self):
        # What the attack found: the balancer's address keys the lockout for everybody.
        for _attempt in range(5):
            self.post("cecilia@example.com", "fel", "203.0.113.66")
        self.assertFalse(self.logs_in("cecilia@example.com", "198.51.100.7"))

    @BEHIND_THE_PROXY
    def test_a_forged_header_from_outside_the_proxy_is_not_believed(self):
        for n in range(5):
            # Straight to the server, claiming a new address each time.
            self.post("dan@example.com", "fel", f"198.51.100.{n}", remote="203.0.113.66")
        self.assertFalse(self.logs_in("dan@example.com", "198.51.100.50", remote="203.0.113.66"))

    @BEHIND_THE_PROXY
    def test_addresses_the_client_wrote_left_of_the_proxys_entry_are_not_believed(self):
        for n in range(5):
            self.post("dan@example.com", "fel", f"192.0.2.{n}, 203.0.113.66")
        self.assertFalse(self.logs_in("dan@example.com", "203.0.113.66"))

    @BEHIND_THE_PROXY
    def test_a_new_password_lifts_the_lockout(self):
        for _attempt in range(3):
            self.post("cecilia@example.com", "fel", "203.0.113.66")
        self.client.post(reverse("accounts:password_reset"), {"email": "cecilia@example.com"})
        [message] = mail.outbox
        form_url = self.client.get(link_in(message), follow=True).redirect_chain[-1][0]
        self.client.post(
            form_url, {"new_password1": "nytt-losenord-123", "new_password2": "nytt-losenord-123"}
        )
        response = self.post("cecilia@example.com", "nytt-losenord-123", "203.0.113.66")
        self.assertEqual(response.status_code, 302)
