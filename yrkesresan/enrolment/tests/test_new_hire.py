"""A manager adds a new hire from the start page: an account in their unit, an invitation and
the suggested step."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

from yrkesresan.accounts.models import User
from yrkesresan.core.errors import DomainError
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.new_hire import add_new_hire


class NewHireTests(PersonaTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def hire(self, **fields):
        values = dict(
            first_name="Nora",
            last_name="Ny",
            email="Nora.Ny@example.com",
            unit=self.unit_a,
            years=1,
            by=self.manager_a,
        )
        values.update(fields)
        return add_new_hire(**values)

    def test_the_new_hire_gets_an_account_in_the_unit_and_an_invitation(self):
        with self.captureOnCommitCallbacks(execute=True):
            hire = self.hire()
        person = User.objects.get(email="nora.ny@example.com")
        self.assertEqual((person.unit, person.municipality), (self.unit_a, self.eskilstuna))
        self.assertEqual(person.years_in_profession(), 1)
        self.assertFalse(person.has_usable_password())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nora.ny@example.com"])
        self.assertIn((self.journey, self.steps["ny"]), hire.steps)

    def test_years_in_the_profession_suggest_the_step(self):
        hire = self.hire(years=6)
        self.assertIn((self.journey, self.steps["erfaren"]), hire.steps)

    def test_only_to_ones_own_units(self):
        with self.assertRaisesMessage(DomainError, "only to your own units"):
            self.hire(unit=self.unit_a2)
        self.assertFalse(User.objects.filter(email="nora.ny@example.com").exists())

    def test_an_e_mail_in_use_is_refused(self):
        with self.assertRaisesMessage(DomainError, "already has an account"):
            self.hire(email=self.participant.email.upper())


class NewHirePageTests(PersonaTestCase):
    def test_the_manager_adds_a_new_hire_and_is_back_on_the_start_page(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(
            reverse("enrolment:new_hire"),
            {
                "first_name": "Nora",
                "last_name": "Ny",
                "email": "nora@example.com",
                "unit": self.unit_a.pk,
                "years": 0,
            },
        )
        self.assertRedirects(
            response, reverse("home:home") + "#team-heading", fetch_redirect_response=False
        )
        response = self.client.get(reverse("home:home"))
        self.assertIn(
            "nora@example.com", {row.person.email for row in response.context["team"]["rows"]}
        )

    def test_bad_input_is_a_400_with_the_form_and_nothing_written(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(
            reverse("enrolment:new_hire"),
            {
                "first_name": "Nora",
                "last_name": "Ny",
                "email": "inte-en-adress",
                "unit": self.unit_a2.pk,
                "years": 99,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"email", "unit", "years"})
        self.assertFalse(User.objects.filter(first_name="Nora").exists())
