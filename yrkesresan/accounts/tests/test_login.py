from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from yrkesresan.core.testing import PASSWORD, make_person

User = get_user_model()


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("anna.andersson@example.com")

    def post(self, email, password):
        return self.client.post(
            reverse("accounts:login"), {"username": email, "password": password}
        )

    def test_logs_in_by_email_in_any_case(self):
        response = self.post("Anna.Andersson@Example.com ", PASSWORD)
        self.assertRedirects(response, reverse("home:home"))

    def test_a_wrong_password_gets_a_swedish_message_and_keeps_the_email(self):
        response = self.post("anna.andersson@example.com", "fel")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "E-postadressen eller lösenordet är fel")
        self.assertContains(response, 'value="anna.andersson@example.com"')

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_login_is_rate_limited(self):
        for _attempt in range(3):
            self.post("anna.andersson@example.com", "fel")
        response = self.post("anna.andersson@example.com", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "För många försök", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_emails_are_unique_whatever_the_case(self):
        self.assertEqual(
            User.objects.create_user("NY@Example.COM", PASSWORD).email, "ny@example.com"
        )


class PasswordTests(TestCase):
    def test_passwords_are_checked_by_djangos_validators(self):
        person = make_person("bo@example.com")
        self.client.force_login(person)
        response = self.client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Detta lösenord är alldeles för vanligt")
        person.refresh_from_db()
        self.assertTrue(person.check_password(PASSWORD))

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
    def test_production_hasher_is_pbkdf2(self):
        person = User.objects.create_user("c@example.com", "ett-langt-losenord-2026")
        self.assertTrue(person.password.startswith("pbkdf2_sha256$"))


class ProfileTests(TestCase):
    def test_a_person_edits_their_own_profile(self):
        person = make_person("dag@example.com")
        self.client.force_login(person)
        response = self.client.post(
            reverse("accounts:profile"),
            {
                "first_name": "Dag",
                "last_name": "Ek",
                "title": "Socialsekreterare",
                "profession_started_on": "2024-08-15",
                "findable_by_colleagues": "on",
            },
        )
        self.assertRedirects(response, reverse("accounts:profile"))
        person.refresh_from_db()
        self.assertEqual(person.title, "Socialsekreterare")
        self.assertTrue(person.findable_by_colleagues)

    def test_a_start_date_in_the_future_is_refused_in_swedish(self):
        person = make_person("eva@example.com")
        self.client.force_login(person)
        response = self.client.post(
            reverse("accounts:profile"),
            {
                "first_name": "Eva",
                "last_name": "Ek",
                "title": "Min titel",
                "profession_started_on": "2999-01-01",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Startdatumet kan inte ligga i framtiden")
        self.assertContains(response, 'value="Min titel"')
        person.refresh_from_db()
        self.assertEqual(person.title, "")
