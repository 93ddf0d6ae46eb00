"""API tokens on a page: made, named, given an expiry, listed with their last use, revoked."""

import datetime
import io

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import ApiToken
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase


class TokensOnTheirPage(PersonaTestCase):
    def make(self, person, **data):
        self.client.force_login(person)
        return self.client.post(
            reverse("accounts:api_tokens"), {"name": "Visma-kopplingen", "valid_days": 90, **data}
        )

    def call_api(self, token):
        return self.client.get(
            reverse("api:round_list"), headers={"Authorization": f"Bearer {token}"}
        )

    def test_a_person_makes_a_token_and_sees_it_once(self):
        page = self.make(self.manager_a)
        token = page.context["new_token"]
        self.assertContains(page, token)
        row = ApiToken.objects.get(digest=ApiToken.digest_of(token))
        self.assertEqual((row.user, row.name), (self.manager_a, "Visma-kopplingen"))
        self.assertAlmostEqual(
            row.expires_at,
            timezone.now() + datetime.timedelta(days=90),
            delta=datetime.timedelta(minutes=1),
        )
        again = self.client.get(reverse("accounts:api_tokens"))
        self.assertContains(again, "Visma-kopplingen")
        self.assertNotContains(again, token)

    def test_the_token_works_until_it_is_revoked(self):
        token = self.make(self.manager_a).context["new_token"]
        self.client.logout()
        self.assertEqual(self.call_api(token).status_code, 200)
        row = ApiToken.objects.get(digest=ApiToken.digest_of(token))
        self.assertIsNotNone(row.last_used_at)
        self.assertTrue(AuditEvent.objects.filter(action="api_token.used", object_id=str(row.pk)))
        self.client.force_login(self.manager_a)
        self.client.post(reverse("accounts:revoke_api_token", args=[row.pk]))
        self.client.logout()
        self.assertEqual(self.call_api(token).status_code, 401)
        self.assertTrue(
            AuditEvent.objects.filter(action="api_token.revoked", subject=self.manager_a)
        )

    def test_an_expired_token_is_refused(self):
        token = self.make(self.manager_a).context["new_token"]
        ApiToken.objects.filter(digest=ApiToken.digest_of(token)).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        self.client.logout()
        self.assertEqual(self.call_api(token).status_code, 401)

    def test_a_validity_beyond_the_limit_is_refused_on_the_page_and_the_command_line(self):
        page = self.make(self.manager_a, valid_days=ApiToken.MAX_VALID_DAYS + 1)
        self.assertEqual(page.status_code, 400)
        with self.assertRaisesMessage(CommandError, "1 to 365 days"):
            call_command("create_api_token", self.manager_a.email, days=366, stdout=io.StringIO())
        self.assertFalse(ApiToken.objects.filter(user=self.manager_a).exists())

    def test_a_person_sees_and_revokes_only_their_own_tokens(self):
        token = self.make(self.manager_a).context["new_token"]
        row = ApiToken.objects.get(digest=ApiToken.digest_of(token))
        self.client.force_login(self.manager_kumla)
        self.assertNotContains(self.client.get(reverse("accounts:api_tokens")), "Visma-kopplingen")
        response = self.client.post(reverse("accounts:revoke_api_token", args=[row.pk]))
        self.assertEqual(response.status_code, 404)
        row.refresh_from_db()
        self.assertIsNone(row.revoked_at)

    def test_an_administrator_makes_a_token_for_someone_else_and_sees_every_token(self):
        page = self.make(self.admin, owner_email=self.manager_kumla.email)
        row = ApiToken.objects.get(digest=ApiToken.digest_of(page.context["new_token"]))
        self.assertEqual(row.user, self.manager_kumla)
        self.assertContains(
            self.client.get(reverse("accounts:api_tokens")), self.manager_kumla.email
        )
        event = AuditEvent.objects.get(action="api_token.created")
        self.assertEqual((event.actor, event.subject), (self.admin, self.manager_kumla))

    def test_someone_elses_token_is_not_offered_to_a_non_administrator(self):
        page = self.make(self.manager_a, owner_email=self.manager_kumla.email)
        row = ApiToken.objects.get(digest=ApiToken.digest_of(page.context["new_token"]))
        self.assertEqual(row.user, self.manager_a)

    def test_an_unknown_owner_is_a_clear_message(self):
        page = self.make(self.admin, owner_email="ingen@example.com")
        self.assertContains(
            page, "Ingen person har e-postadressen ingen@example.com", status_code=400
        )
        self.assertFalse(ApiToken.objects.exists())
