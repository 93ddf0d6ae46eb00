"""Sessions read from a shared cache (CACHE_URL: cached_db sessions, config/settings.py).

In the cluster the cache is Redis, shared by every node; here the test client is one process,
so Django's local-memory cache stands in for it faithfully. A logged-in page then needs no
session query, and logging out, changing one's password and being deactivated still end the
session, for every copy of its cookie.
"""

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesresan.core.testing import PASSWORD, PersonaTestCase

CACHED_SESSIONS = {
    "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


@override_settings(**CACHED_SESSIONS)
class CachedSessionTests(PersonaTestCase):
    def setUp(self):
        cache.clear()
        self.page = reverse("reports:term_overview")

    def log_in(self, client, person, password=PASSWORD):
        response = client.post(
            reverse("accounts:login"), {"username": person.email, "password": password}
        )
        assert response.status_code == 302

    def logged_in(self, client):
        return client.get(self.page).wsgi_request.user.is_authenticated

    def another_device_with_the_same_cookie(self):
        other = self.client_class()
        other.cookies = self.client.cookies.__class__(self.client.cookies)
        return other

    def test_a_logged_in_page_reads_no_session_from_the_database(self):
        self.log_in(self.client, self.manager_a)
        self.client.get(self.page)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.page)
        assert response.status_code == 200
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]

    def test_the_database_sessions_cost_a_query_that_the_cache_saves(self):
        self.log_in(self.client, self.manager_a)
        self.client.get(self.page)
        with CaptureQueriesContext(connection) as cached:
            self.client.get(self.page)
        # cached_db writes the session through to the database, where the db engine finds it.
        with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db"):
            database_client = self.another_device_with_the_same_cookie()
            database_client.get(self.page)
            with CaptureQueriesContext(connection) as in_database:
                database_client.get(self.page)
        assert len(in_database.captured_queries) == len(cached.captured_queries) + 1

    def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(self):
        self.log_in(self.client, self.manager_a)
        copy = self.another_device_with_the_same_cookie()
        assert self.logged_in(copy)
        self.client.post(reverse("accounts:logout"))
        assert not self.logged_in(copy)

    def test_changing_ones_password_ends_ones_other_sessions(self):
        laptop, phone = self.client_class(), self.client_class()
        self.log_in(laptop, self.manager_a)
        self.log_in(phone, self.manager_a)
        response = laptop.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "ett-nytt-langt-losenord-42",
                "new_password2": "ett-nytt-langt-losenord-42",
            },
        )
        assert response.status_code == 302
        assert self.logged_in(laptop)
        assert not self.logged_in(phone)

    def test_a_deactivated_person_is_logged_out(self):
        self.log_in(self.client, self.manager_a)
        assert self.logged_in(self.client)
        self.manager_a.is_active = False
        self.manager_a.save(update_fields=["is_active"])
        assert not self.logged_in(self.client)
