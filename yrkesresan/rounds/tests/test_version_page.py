"""The round's version page: the coordinator sees the newer versions with their change notes
and what changed, and moves a round that has not started to one."""

from django.urls import reverse

from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.core.testing import count_queries

from .test_support import RoundsTestCase, create_round


class VersionPageTests(RoundsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        draft = start_draft(cls.course, by=cls.editor)
        cls.v20 = publish_draft(draft, by=cls.editor, number="2.0", change_note="Första.")
        cls.round = create_round(cls)
        draft = start_draft(cls.course, by=cls.editor)
        content = dict(draft.content)
        content["day_plans"] = [dict(row) for row in content["day_plans"]]
        content["day_plans"][1]["title"] = "Utredning enligt nya SoL"
        save_draft(draft, content, by=cls.editor, revision=0)
        cls.v21 = publish_draft(
            draft, by=cls.editor, number="2.1", change_note="Dag 2 följer nya socialtjänstlagen."
        )
        cls.url = reverse("rounds:version", args=[cls.round.pk])

    def test_the_coordinator_sees_the_change_note_and_what_changed(self):
        self.login(self.coordinator_x)
        response = self.client.get(self.url)
        self.assertContains(response, "Dag 2 följer nya socialtjänstlagen.")
        self.assertContains(response, "Utredning enligt nya SoL")
        self.assertContains(response, "<del>", html=False)

    def test_the_coordinator_moves_the_round_to_the_new_version(self):
        self.login(self.coordinator_x)
        response = self.client.post(self.url, {"version": self.v21.pk})
        self.assertRedirects(response, reverse("enrolment:round", args=[self.round.pk]))
        self.round.refresh_from_db()
        self.assertEqual(self.round.course_version, self.v21)
        page = self.client.get(reverse("enrolment:round", args=[self.round.pk]))
        self.assertContains(page, "2.1")

    def test_an_older_or_unknown_version_is_refused(self):
        self.login(self.coordinator_x)
        response = self.client.post(self.url, {"version": self.v20.pk})
        self.assertEqual(response.status_code, 400)
        self.round.refresh_from_db()
        self.assertEqual(self.round.course_version, self.v20)

    def test_other_regions_coordinators_get_404_and_trainers_403(self):
        self.login(self.coordinator_y)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.trainer_x)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_page_reads_as_many_queries_however_many_versions_are_newer(self):
        self.login(self.coordinator_x)
        self.assertEqual(count_queries(self.client, self.url), 7)
        draft = start_draft(self.course, by=self.editor)
        publish_draft(draft, by=self.editor, number="2.2", change_note="Mer.")
        self.assertEqual(count_queries(self.client, self.url), 7)
