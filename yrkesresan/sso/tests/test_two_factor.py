from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yrkesresan.core.testing import PASSWORD, PersonaTestCase


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


class TwoFactorTests(PersonaTestCase):
    def log_in_with_password(self, person, next_url=""):
        return self.client.post(
            reverse("accounts:login") + (f"?next={next_url}" if next_url else ""),
            {"username": person.email, "password": PASSWORD, "next": next_url},
        )

    def test_an_administrators_password_login_waits_for_a_code_on_every_page(self):
        self.log_in_with_password(self.admin)
        for url in [reverse("home:home"), reverse("accounts:profile"), "/admin/"]:
            response = self.client.get(url)
            self.assertRedirects(
                response,
                f"{reverse('sso:totp')}?next={url.replace('/', '%2F')}",
                fetch_redirect_response=False,
            )

    def test_setting_up_shows_a_qr_code_and_the_key_and_the_first_code_confirms(self):
        self.log_in_with_password(self.admin)
        page = self.client.get(reverse("sso:totp"))
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.admin)
        self.assertFalse(device.confirmed)
        self.assertContains(page, page.context["secret"])
        response = self.client.post(
            reverse("sso:totp"), {"token": code_for(device), "next": reverse("accounts:profile")}
        )
        self.assertRedirects(response, reverse("accounts:profile"), fetch_redirect_response=False)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)

    def test_a_wrong_code_is_refused_with_a_message(self):
        TOTPDevice.objects.create(user=self.coordinator_x, name="app", confirmed=True)
        self.log_in_with_password(self.coordinator_x)
        page = self.client.get(reverse("sso:totp"))
        self.assertNotContains(page, "<svg")
        response = self.client.post(reverse("sso:totp"), {"token": "000000"})
        self.assertContains(response, "Koden är fel", status_code=400)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 302)

    def test_a_confirmed_device_asks_for_its_code_at_the_next_login(self):
        device = TOTPDevice.objects.create(user=self.admin, name="app", confirmed=True)
        self.log_in_with_password(self.admin)
        response = self.client.post(reverse("sso:totp"), {"token": code_for(device)})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)

    def test_other_roles_log_in_with_the_password_alone(self):
        for person in [self.participant, self.manager_a, self.contact_eskilstuna, self.trainer_x]:
            self.client.logout()
            self.log_in_with_password(person)
            self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)
        self.assertFalse(TOTPDevice.objects.exists())

    def test_a_session_not_opened_by_the_password_form_is_not_asked(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)
        self.assertRedirects(
            self.client.get(reverse("sso:totp")),
            reverse("home:home"),
            fetch_redirect_response=False,
        )

    def test_logging_out_needs_no_code(self):
        self.log_in_with_password(self.admin)
        self.client.post(reverse("sso:logout"))
        self.assertNotIn("_auth_user_id", self.client.session)
