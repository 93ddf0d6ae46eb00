"""A draft round is for the people of its own structure: the region's managers and municipal
contacts, who see its open rounds to register staff, see neither the draft's page nor the draft
in the API (list and detail) until it is opened. One rule (rounds.access.rounds_visible_to)
serves the pages and the API."""

from django.urls import reverse

from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

REGISTRARS = ("manager_a", "contact_eskilstuna")
OWN_PEOPLE = ("coordinator_x", "trainer_x", "course_leader_x", "admin")


class DraftRoundTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_round(cls.course, cls.region_x, status=Round.Status.DRAFT, name="Utkast")

    def listed_ids(self, who):
        response = self.api("GET", reverse("api:round_list"), who)
        self.assertEqual(response.status_code, 200)
        return {round["id"] for round in response.json()["results"]}

    def test_the_regions_managers_and_contacts_do_not_see_a_draft_in_the_api(self):
        for who in REGISTRARS:
            with self.subTest(who=who):
                self.assertIn(self.round_x.pk, self.listed_ids(who))
                self.assertNotIn(self.draft.pk, self.listed_ids(who))
                url = reverse("api:round_detail", args=[self.draft.pk])
                response = self.api("GET", url, who)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["code"], "not_found")

    def test_the_regions_managers_and_contacts_do_not_see_a_drafts_page(self):
        for who in REGISTRARS:
            with self.subTest(who=who):
                self.login(getattr(self, who))
                url = reverse("enrolment:round", args=[self.draft.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
                url = reverse("enrolment:round", args=[self.round_x.pk])
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_structures_own_people_see_the_draft(self):
        for who in ("coordinator_x", "admin"):
            with self.subTest(who=who):
                self.assertIn(self.draft.pk, self.listed_ids(who))
        for who in OWN_PEOPLE:
            with self.subTest(who=who):
                url = reverse("api:round_detail", args=[self.draft.pk])
                self.assertEqual(self.api("GET", url, who).status_code, 200)

    def test_an_opened_draft_is_seen_by_the_region(self):
        Round.objects.filter(pk=self.draft.pk).update(status=Round.Status.OPEN)
        for who in REGISTRARS:
            with self.subTest(who=who):
                self.assertIn(self.draft.pk, self.listed_ids(who))
