"""schemathesis against the generated OpenAPI document: every operation, with data that fits
the document and data that does not, as a coordinator and as a participant. No answer is a
server error, and every answer (status, content type, headers, body) is as documented.

The requests go to Django's WSGI application in the test's own thread and transaction
(schemathesis.openapi.from_wsgi), so the personas' data is there and nothing outlives the test.
The examples per operation and mode are bounded (FUZZ_EXAMPLES, default 25) to keep `make test`
fast; the outcome counts are printed (pytest -s) for the record.
"""

import collections
import os

import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.testing import make_round

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class in_test_transaction:
    """Requests to the WSGI application keep the test's connection: Django closes a connection
    in a transaction at the start and end of each request (the test client does the same)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@override_settings(ALLOWED_HOSTS=["*"], DEBUG_PROPAGATE_EXCEPTIONS=False)
class FuzzTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_round(cls.course, cls.region_x, name="Omgång 2")

    def checker(self, operation, mode, headers, outcomes):
        """A Hypothesis test of `operation` with data of `mode` that counts the outcomes."""
        real_ids = {"round_id": self.round_x.pk, "registration_id": self.registration_x.pk}

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            calls = sum(outcomes.values())
            # Every other case of data that fits is about objects (and a person) that exist.
            if mode is GenerationMode.POSITIVE and calls % 2:
                case.path_parameters = {name: real_ids[name] for name in case.path_parameters or {}}
                if isinstance(case.body, dict) and "email" in case.body:
                    case.body = {**case.body, "email": self.kumla_participant.email}
            response = case.call(headers=headers)
            outcomes[(operation.label, mode.value, response.status_code)] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        return check

    def fuzz(self, who):
        cache.clear()
        outcomes = collections.Counter()
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        with in_test_transaction():
            schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
            for result in schema.get_all_operations():
                operation = result.ok()
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    self.checker(operation, mode, headers, outcomes)()
        total = sum(outcomes.values())
        print(f"\nschemathesis as {who}: {total} requests")
        for (label, mode, status), count in sorted(outcomes.items()):
            print(f"  {label} [{mode}] {status}: {count}")
        self.assertFalse([key for key in outcomes if key[2] >= 500])
        return outcomes

    def test_a_coordinators_token_gets_no_server_error_and_only_documented_answers(self):
        outcomes = self.fuzz("coordinator_x")
        # The fuzzing reached past validation: some requests succeeded.
        self.assertTrue([key for key in outcomes if key[2] < 300])

    def test_a_participants_token_gets_no_server_error_and_only_documented_answers(self):
        outcomes = self.fuzz("participant")
        self.assertTrue([key for key in outcomes if key[2] < 300])
