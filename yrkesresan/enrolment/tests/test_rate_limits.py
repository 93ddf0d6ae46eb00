"""Rate limits (settings.RATE_LIMITS, core/ratelimits.py over django-ratelimit): a spent limit
answers 429 with Retry-After, as JSON in the API and as the refusal page with a Swedish message
on the registration page, and registers nobody."""

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase

LIMITS = {"api": "3/m", "registration": "2/m"}


@override_settings(RATE_LIMITS=LIMITS)
class RateLimitTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def assert_limited_json(self, response):
        self.assertEqual(response.status_code, 429, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], "rate_limited")
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)

    def test_the_api_answers_429_with_retry_after_when_a_token_spends_its_limit(self):
        url = reverse("api:round_list")
        for _ in range(3):
            self.assertEqual(self.api("GET", url, "coordinator_x").status_code, 200)
        self.assert_limited_json(self.api("GET", url, "coordinator_x"))
        # Counted per token owner: another token is not limited.
        self.assertEqual(self.api("GET", url, "coordinator_y").status_code, 200)

    def test_requests_without_a_valid_token_are_limited_by_address(self):
        url = reverse("api:round_list")
        for _ in range(3):
            self.assertEqual(self.api("GET", url, token="wrong").status_code, 401)
        self.assert_limited_json(self.api("GET", url, token="wrong"))

    def test_api_registrations_have_their_own_limit(self):
        url = reverse("api:round_registrations", args=[self.round_x.pk])
        body = {"email": self.kumla_participant.email}
        self.assertEqual(self.api("POST", url, "manager_kumla", body).status_code, 201)
        self.assertEqual(self.api("POST", url, "manager_kumla", body).status_code, 200)
        self.assert_limited_json(self.api("POST", url, "manager_kumla", body))
        self.assertEqual(Registration.objects.filter(person=self.kumla_participant).count(), 1)

    def test_the_registration_page_answers_429_with_a_swedish_message(self):
        self.login(self.manager_kumla)
        url = reverse("enrolment:register", args=[self.round_x.pk])
        for _ in range(2):
            self.assertEqual(self.client.post(url, {}).status_code, 400)
        response = self.client.post(
            url, {"person": self.kumla_participant.pk}, headers={"Accept-Language": "sv"}
        )
        self.assertEqual(response.status_code, 429)
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertContains(response, "Vänta", status_code=429)
        self.assertFalse(Registration.objects.filter(person=self.kumla_participant).exists())
        # Reading the page is not limited.
        self.assertEqual(self.client.get(url).status_code, 200)

    @override_settings(RATELIMIT_ENABLE=False)
    def test_limits_can_be_turned_off(self):
        url = reverse("api:round_list")
        for _ in range(5):
            self.assertEqual(self.api("GET", url, "coordinator_x").status_code, 200)
