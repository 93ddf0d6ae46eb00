"""A signed-in request reads its session, then its user with their roles: two queries before
the page's own (accounts/backends.py, core/sessions.py), with Django's rules kept."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.access import scope_for
from yrkesresan.accounts.backends import PasswordBackend, user_with_scope
from yrkesresan.accounts.models import User
from yrkesresan.core.sessions import SessionStore
from yrkesresan.core.testing import PersonaTestCase


class SignedInUserTests(PersonaTestCase):
    def test_each_persona_comes_with_the_scope_its_role_assignments_give(self):
        for person in User.objects.all():
            with self.subTest(person=person.email):
                with CaptureQueriesContext(connection) as queries:
                    user = user_with_scope(person.pk)
                self.assertEqual(len(queries), 1)
                self.assertEqual(user, person)
                self.assertEqual(user.first_name, person.first_name)
                self.assertEqual(scope_for(user), scope_for(User.objects.get(pk=person.pk)))

    def test_a_coordinator_scope_holds_the_counties_of_the_structure(self):
        scope = scope_for(user_with_scope(self.coordinator_x.pk))
        self.assertEqual(
            scope.coordinated_county_ids, {self.sodermanland.pk, self.orebro_county.pk}
        )

    def test_no_one_is_signed_in_as_an_unknown_or_deactivated_person(self):
        self.assertIsNone(PasswordBackend().get_user(987_654_320))
        User.objects.filter(pk=self.participant.pk).update(is_active=False)
        self.assertIsNone(PasswordBackend().get_user(self.participant.pk))

    def test_a_signed_in_page_reads_the_session_and_the_user_with_roles_before_its_own(self):
        self.login(self.coordinator_x)
        self.client.get(reverse("colleagues:search"))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("colleagues:search"))
        first, second = (query["sql"] for query in queries.captured_queries[:2])
        self.assertIn('FROM "django_session"', first)
        self.assertIn('FROM "accounts_user"', second)
        self.assertIn('"accounts_roleassignment"', second)
        roles = [q["sql"] for q in queries.captured_queries if "roleassignment" in q["sql"]]
        self.assertEqual(len(roles), 1, "the menu's scope comes with the user")


class CompiledSessionTests(PersonaTestCase):
    def test_a_stored_session_loads_and_an_expired_one_starts_empty(self):
        session = SessionStore()
        session[SESSION_KEY] = str(self.participant.pk)
        session.create()
        self.assertEqual(
            SessionStore(session.session_key).load(), {SESSION_KEY: str(self.participant.pk)}
        )
        session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
        session.save()
        expired = SessionStore(session.session_key)
        self.assertEqual(expired.load(), {})
        self.assertIsNone(expired.session_key)

    def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(self):
        self.client.force_login(self.participant)
        cookie = self.client.cookies["sessionid"].value
        self.client.post(reverse("accounts:logout"))
        self.assertEqual(SessionStore(cookie).load(), {})
