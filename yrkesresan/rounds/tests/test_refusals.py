"""A service's refusal (a DomainError) reaches the user once, with its sentence and status:
as a message on the refusal page, as plain text to htmx, as the JSON error of the API."""

from unittest import mock

from django.urls import reverse

from yrkesresan.core.errors import DomainError
from yrkesresan.enrolment import services
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.models import Round

from .test_support import RoundsTestCase


class PageRefusalTests(RoundsTestCase):
    def setUp(self):
        self.client.force_login(self.coordinator_x)

    def test_a_refusal_on_a_page_is_a_message_on_the_refusal_page_with_its_status(self):
        # Someone cancels the round between the page's check and the service's lock.
        change_status = services.change_status

        def cancelled_meanwhile(round, new_status, *, by):
            Round.objects.filter(pk=round.pk).update(status=Round.Status.CANCELLED)
            return change_status(round, new_status, by=by)

        url = reverse("enrolment:status", args=[self.round.pk])
        with mock.patch.object(services, "change_status", cancelled_meanwhile):
            response = self.client.post(url, {"status": "closed"})
        self.assertEqual(response.status_code, 409)
        self.assertTemplateUsed(response, "refused.html")
        messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
        self.assertEqual(
            messages,
            [("error", "En omgång med status inställd kan inte få status anmälan stängd.")],
        )
        self.assertContains(response, messages[0][1], status_code=409)

    def test_a_refusal_to_htmx_is_its_sentence_as_text_and_no_message(self):
        Round.objects.filter(pk=self.round.pk).update(status=Round.Status.CANCELLED)
        url = reverse("rounds:logistics", args=[self.round.pk, 2])
        response = self.client.post(url, {"item": "link_sent", "done": "1"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(
            response.content.decode(), "En genomförd eller inställd omgång kan inte ändras."
        )
        page = self.client.get(reverse("enrolment:round", args=[self.round.pk]))
        self.assertEqual(list(page.context["messages"]), [])
        self.assertFalse(self.round.days.get(number=2).link_sent)


class ApiRefusalTests(ApiTestCase):
    def test_a_refusal_is_the_json_error_with_its_status_and_code(self):
        class Refused(DomainError):
            status = 422
            code = "example_refusal"

        url = self.registrations_url(self.round_x)
        with mock.patch.object(services, "register", side_effect=Refused("Not now.")):
            response = self.api(
                "POST", url, "manager_kumla", {"email": self.kumla_participant.email}
            )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json(), {"error": "Not now.", "code": "example_refusal"})
        self.assertFalse(
            Registration.objects.filter(round=self.round_x, person=self.kumla_participant).exists()
        )

    def test_a_registration_refusal_is_409_naming_its_code_and_round(self):
        error = services.RegistrationError(
            "Booked elsewhere.", code=services.RegistrationError.BOOKED_ON_COURSE, round_id=7
        )
        url = self.registrations_url(self.round_x)
        with mock.patch.object(services, "register", side_effect=error):
            response = self.api(
                "POST", url, "manager_kumla", {"email": self.kumla_participant.email}
            )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json(), {"error": "Booked elsewhere.", "code": "booked_on_course", "round": 7}
        )
