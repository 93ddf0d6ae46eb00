"""Hostile input reaches no error page: NUL bytes, non-ASCII digits, deeply nested JSON, wrong
types and over-long strings are refused at the edge with a JSON 400 and a stable code, and
nothing is written. The API caps a reason as the form does (models.REASON_MAX_LENGTH)."""

import json

from django.urls import reverse

from yrkesresan.enrolment.forms import CancelForm, RegistrationForm
from yrkesresan.enrolment.models import REASON_MAX_LENGTH, Registration
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.testing import make_round


class HostileInputTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.later_x = make_round(cls.course, cls.region_x, name="Omgång 2")

    def assert_refused(self, response, code="invalid_request"):
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], code)
        self.assertTrue(response.json()["error"].endswith("."))
        return response.json()["error"]

    def register(self, body):
        url = reverse("api:round_registrations", args=[self.later_x.pk])
        return self.api("POST", url, "coordinator_x", body)

    def test_query_strings_with_nul_bytes_or_non_ascii_digits_are_400(self):
        url = reverse("api:round_list")
        for query in (
            "course=a%00b",
            "term=VT%002027",
            "structure=%D9%A1%D9%A2",  # Arabic-Indic digits
            "page=%C2%B2",  # a superscript two
            "page=%EF%BC%91",  # a full-width one
            "term=VT%20%D9%A2%D9%A0%D9%A2%D9%A7",
            "status=open%00",
            "page=99999999999999999999999",
        ):
            with self.subTest(query=query):
                self.assert_refused(self.api("GET", f"{url}?{query}", "coordinator_x"))

    def test_bodies_with_nul_bytes_wrong_types_or_deep_nesting_are_400(self):
        email = self.kumla_participant.email
        for body, code in (
            ({"email": email + "\x00"}, "invalid_request"),
            ({"email": email, "reason": "a\x00b"}, "invalid_request"),
            ({"email": ["x"]}, "invalid_request"),
            ({"email": 12}, "invalid_request"),
            ({"email": email, "reason": {"a": 1}}, "invalid_request"),
            ("[" * 100_000 + "]" * 100_000, "invalid_json"),
            ('{"email": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid_json"),
            ("not json", "invalid_json"),
            (b"\xff\xfe", "invalid_json"),
            ("[1, 2]", "invalid_json"),
        ):
            with self.subTest(body=repr(body)[:60]):
                self.assert_refused(self.register(body), code)
        self.assertFalse(Registration.objects.filter(round=self.later_x).exists())

    def test_an_over_long_reason_is_refused_by_the_api_as_by_the_form(self):
        too_long = "x" * (REASON_MAX_LENGTH + 1)
        message = self.assert_refused(
            self.register({"email": self.colleague.email, "reason": too_long})
        )
        self.assertIn("reason", message)
        self.assertFalse(Registration.objects.filter(round=self.later_x).exists())
        self.assertEqual(
            RegistrationForm.base_fields["step_mismatch_reason"].max_length, REASON_MAX_LENGTH
        )
        self.assertEqual(CancelForm.base_fields["reason"].max_length, REASON_MAX_LENGTH)

        url = reverse("api:registration_detail", args=[self.registration_x.pk])
        for response in (
            self.api("DELETE", url, "coordinator_x", {"reason": too_long}),
            self.api("DELETE", f"{url}?reason={too_long}", "coordinator_x"),
        ):
            self.assert_refused(response)
        self.registration_x.refresh_from_db()
        self.assertEqual(self.registration_x.status, "registered")

    def test_a_reason_at_the_limit_is_kept_whole(self):
        reason = "x" * REASON_MAX_LENGTH
        response = self.register({"email": self.colleague.email, "reason": reason})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["step_mismatch_reason"], reason)

    def test_an_over_long_address_is_refused(self):
        self.assert_refused(self.register({"email": "a" * 250 + "@example.com"}))

    def test_unknown_addresses_and_methods_answer_json(self):
        response = self.api("GET", "/api/v1/rounds/%00", "coordinator_x")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")
        response = self.api("PUT", reverse("api:round_list"), "coordinator_x", json.dumps({}))
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["code"], "method_not_allowed")
        self.assertEqual(response["Allow"], "GET")
