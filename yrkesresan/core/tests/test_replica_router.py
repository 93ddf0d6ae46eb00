"""The database router against a real streaming replica (core/replicas.py).

They need DATABASE_URL on a PostgreSQL primary and REPLICA_DATABASE_URL on its streaming
replica: `.ci/run` starts both (cluster/cluster.py's primary and replica) and runs them;
elsewhere they are skipped. The test database is made on the primary and reaches the replica
by replication, so the tests commit (transaction=True) and wait for the replica to replay.
"""

import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesresan.accounts.models import User
from yrkesresan.core import replicas
from yrkesresan.core.testing import PASSWORD, PersonaTestCase

HAS_REPLICA = replicas.REPLICA in settings.DATABASES
needs_replica = pytest.mark.skipif(
    not HAS_REPLICA,
    reason="no streaming replica: set REPLICA_DATABASE_URL to a replica of DATABASE_URL's "
    "primary (.ci/run starts one with cluster/cluster.py) to test the router",
)


def caught_up(email):
    """Wait until the replica has replayed the primary's commits up to now."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if User.objects.using(replicas.REPLICA).filter(email=email).exists():
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 20 s")


@needs_replica
class ReplicaRouterTests(TransactionTestCase):
    databases = {"default", replicas.REPLICA}

    def setUp(self):
        # The personas, committed, so that the replica receives them.
        PersonaTestCase.setUpTestData.__func__(type(self))
        replicas.forget_status()
        self.report = reverse("reports:term_overview")

    def get(self, url):
        """GET `url` as the client, counting the queries each database answered (apart from
        the measurement of the replica's lag)."""
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[replicas.REPLICA]) as replica,
        ):
            response = self.client.get(url)
        reads = [q for q in replica.captured_queries if "pg_is_in_recovery" not in q["sql"]]
        return response, len(primary.captured_queries), len(reads)

    def log_in_through_the_form(self, person):
        response = self.client.post(
            reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.content[:500]
        return response

    def test_a_report_reads_from_the_replica(self):
        self.client.force_login(self.manager_a)
        self.client.cookies.pop(replicas.PIN_COOKIE, None)
        caught_up(self.manager_a.email)
        response, on_primary, on_replica = self.get(self.report)
        assert response.status_code == 200
        assert response.wsgi_request.database == replicas.REPLICA
        assert on_replica > 0
        assert on_primary == 0

    def test_a_page_that_is_no_report_reads_from_the_primary(self):
        self.client.force_login(self.manager_a)
        caught_up(self.manager_a.email)
        response, on_primary, on_replica = self.get(reverse("home:home"))
        assert response.status_code == 200
        assert on_primary > 0
        assert on_replica == 0

    def test_a_person_who_has_just_written_reads_their_writes_from_the_primary(self):
        response = self.log_in_through_the_form(self.manager_a)
        assert replicas.PIN_COOKIE in response.cookies
        response, on_primary, on_replica = self.get(self.report)
        assert response.status_code == 200
        assert response.wsgi_request.database == "default"
        assert on_primary > 0
        assert on_replica == 0

    def test_the_pin_to_the_primary_ends(self):
        self.log_in_through_the_form(self.manager_a)
        self.client.cookies.pop(replicas.PIN_COOKIE)  # as the browser does when it expires
        caught_up(self.manager_a.email)
        response, on_primary, on_replica = self.get(self.report)
        assert response.wsgi_request.database == replicas.REPLICA
        assert on_replica > 0

    def test_a_forged_pin_is_ignored_rather_than_trusted(self):
        self.client.force_login(self.manager_a)
        caught_up(self.manager_a.email)
        self.client.cookies[replicas.PIN_COOKIE] = "1"
        response, _, on_replica = self.get(self.report)
        assert response.wsgi_request.database == replicas.REPLICA
        assert on_replica > 0

    def test_a_replica_too_far_behind_is_not_used(self):
        self.client.force_login(self.manager_a)
        caught_up(self.manager_a.email)
        with override_settings(REPLICA_MAX_LAG_SECONDS=-1):
            replicas.forget_status()
            response, on_primary, on_replica = self.get(self.report)
            health = self.client.get(reverse("core:healthz")).json()
        assert response.wsgi_request.database == "default"
        assert on_replica == 0
        assert health["replica"]["status"] == "behind"

    def test_healthz_shows_the_replicas_lag_in_json(self):
        health = self.client.get(reverse("core:healthz")).json()
        assert health["replica"]["status"] == "ok"
        assert 0 <= health["replica"]["lag_seconds"] <= settings.REPLICA_MAX_LAG_SECONDS
        assert health["replica"]["max_lag_seconds"] == settings.REPLICA_MAX_LAG_SECONDS

    def test_writes_go_to_the_primary(self):
        router = replicas.PrimaryReplicaRouter()
        assert router.db_for_write(User) == "default"
        assert not router.allow_migrate(replicas.REPLICA, "accounts")


@pytest.mark.skipif(HAS_REPLICA, reason="this is the platform without a replica")
@pytest.mark.django_db
def test_without_a_replica_every_query_goes_to_the_one_database(client):
    response = client.get(reverse("core:healthz"))
    assert response.json()["replica"] == {"status": "none"}
    assert response.wsgi_request.database == "default"
