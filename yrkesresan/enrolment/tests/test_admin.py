"""The admin site does not move registrations past the registration rules."""

from django.contrib.admin import site
from django.test import RequestFactory
from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round


class AdminTests(PersonaTestCase):
    def test_a_registration_keeps_its_person_and_round(self):
        first = make_round(self.course, self.region_x, name="Omgång 1")
        later = make_round(self.course, self.region_x, name="Omgång 2")
        registration = register(self.participant, first, by=self.manager_a)
        self.login(self.admin)
        url = reverse("admin:enrolment_registration_change", args=[registration.pk])
        form = self.client.get(url).context["adminform"].form
        self.assertNotIn("round", form.fields)
        self.assertNotIn("person", form.fields)
        self.client.post(url, {"round": later.pk, "person": self.colleague.pk})
        registration.refresh_from_db()
        self.assertEqual((registration.round, registration.person), (first, self.participant))

    def test_a_rounds_course_is_kept_once_the_round_exists(self):
        round = make_round(self.course, self.region_x)
        round_admin = site._registry[Round]
        request = RequestFactory().get("/")
        request.user = self.admin
        self.assertIn("course", round_admin.get_readonly_fields(request, round))
        self.assertNotIn("course", round_admin.get_readonly_fields(request, None))
