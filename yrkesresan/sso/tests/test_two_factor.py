import importlib

from django.apps import apps
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yrkesresan.accounts.privacy import erase_person
from yrkesresan.core.testing import PASSWORD, PersonaTestCase
from yrkesresan.sso.services import issue_recovery_codes, recovery_code_digest


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
        # The app works: ten recovery codes are shown once, then on to where the person was going.
        self.assertEqual(len(response.context["codes"]), 10)
        self.assertContains(response, f'href="{reverse("accounts:profile")}"')
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


class RecoveryCodeTests(PersonaTestCase):
    """Recovery codes stand in for the authenticator app the day the phone is lost."""

    def setUp(self):
        TOTPDevice.objects.create(user=self.admin, name="app", confirmed=True)
        self.codes = issue_recovery_codes(self.admin)

    def log_in_with_password(self):
        self.client.logout()
        self.client.post(
            reverse("accounts:login"), {"username": self.admin.email, "password": PASSWORD}
        )

    def test_a_recovery_code_logs_in_once_and_tells_how_many_are_left(self):
        self.log_in_with_password()
        response = self.client.post(reverse("sso:totp"), {"token": self.codes[0].upper()})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("home:home")), "9 finns kvar")
        self.log_in_with_password()
        again = self.client.post(reverse("sso:totp"), {"token": self.codes[0]})
        self.assertContains(again, "Koden är fel", status_code=400)

    def test_new_codes_replace_the_old_ones(self):
        self.client.force_login(self.admin)
        page = self.client.get(reverse("sso:recovery_codes"))
        self.assertContains(page, "10 oanvända")
        new = self.client.post(reverse("sso:recovery_codes")).context["codes"]
        self.assertEqual(len(set(new) & set(self.codes)), 0)
        self.log_in_with_password()
        fresh = self.client.post(reverse("sso:totp"), {"token": new[1]})
        self.assertEqual(fresh.status_code, 302)
        self.log_in_with_password()
        old = self.client.post(reverse("sso:totp"), {"token": self.codes[1]})
        self.assertEqual(old.status_code, 400)

    def test_only_a_person_with_an_authenticator_app_makes_codes(self):
        self.client.force_login(self.coordinator_x)
        self.assertContains(self.client.get(reverse("sso:recovery_codes")), "ingen")
        self.assertEqual(self.client.post(reverse("sso:recovery_codes")).status_code, 404)
        self.assertFalse(StaticDevice.objects.filter(user=self.coordinator_x).exists())

    def test_the_database_keeps_a_keyed_hash_of_each_code_not_the_code(self):
        stored = set(
            StaticToken.objects.filter(device__user=self.admin).values_list("token", flat=True)
        )
        self.assertEqual(len(stored), 10)
        self.assertFalse(stored & set(self.codes))
        self.assertEqual(stored, {recovery_code_digest(code) for code in self.codes})
        # Keyed: without the server's key the same code gives another hash.
        with self.settings(SECRET_KEY="another-key-entirely-for-this-test"):
            self.assertFalse(stored & {recovery_code_digest(code) for code in self.codes})

    def test_codes_stored_plain_before_are_hashed_by_the_migration_and_still_work(self):
        device = StaticDevice.objects.get(user=self.admin)
        device.token_set.all().delete()
        plain = StaticToken.random_token()
        device.token_set.create(token=plain)
        migration = importlib.import_module("yrkesresan.sso.migrations.0002_recovery_codes_hashed")
        migration.hash_plain_codes(apps, None)
        self.assertEqual(device.token_set.get().token, recovery_code_digest(plain))
        self.log_in_with_password()
        response = self.client.post(reverse("sso:totp"), {"token": plain})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)

    def test_an_erased_persons_key_and_codes_are_gone(self):
        erase_person(self.admin, by=None, reason="Begärt")
        self.assertFalse(TOTPDevice.objects.filter(user=self.admin).exists())
        self.assertFalse(StaticToken.objects.filter(device__user=self.admin).exists())
