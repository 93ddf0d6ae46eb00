"""A round keeps the course version published when it was planned; the coordinator may move a
round that has not started to a newer version, and no other."""

import datetime

from django.test import override_settings
from django.utils import timezone

from yrkesresan.catalog.services import publish_draft, start_draft
from yrkesresan.core.models import AuditEvent
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import Round

from .test_support import RoundsTestCase, create_round


def publish(test, number, note="Ändrat."):
    draft = start_draft(test.course, by=test.editor)
    version = publish_draft(draft, by=test.editor, number=number, change_note=note)
    test.course.refresh_from_db()
    return version


@override_settings(LANGUAGE_CODE="en")  # refusals checked in their English source
class RoundVersionTests(RoundsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v20 = publish(cls, "2.0")

    def test_a_round_is_planned_on_the_version_published_then_and_keeps_it(self):
        round = create_round(self)
        self.assertEqual(round.course_version, self.v20)
        publish(self, "2.1")
        round.refresh_from_db()
        self.assertEqual(round.version_number, "2.0")
        self.assertEqual(planning.copy_round(
            round, first_day=round.days.first().date + datetime.timedelta(days=7),
            name="Omgång 2", by=self.coordinator_x,
        ).version_number, "2.1")  # fmt: skip

    def test_a_round_not_started_is_offered_newer_versions_and_moves_to_one(self):
        round = create_round(self)
        self.assertEqual(planning.newer_versions(round), [])
        v21 = publish(self, "2.1", note="Följer den nya socialtjänstlagen.")
        offered = planning.newer_versions(round)
        self.assertEqual(offered, [v21])
        self.assertEqual(offered[0].change_note, "Följer den nya socialtjänstlagen.")
        planning.move_to_version(round, v21, by=self.coordinator_x)
        round.refresh_from_db()
        self.assertEqual(round.version_number, "2.1")
        changed = AuditEvent.objects.filter(action="round.version_changed", data__version="2.1")
        self.assertEqual(changed.get().data["previous"], "2.0")

    def test_a_round_that_has_started_keeps_its_version(self):
        round = create_round(self)
        v21 = publish(self, "2.1")
        round.days.filter(number=1).update(date=timezone.localdate())
        self.assertEqual(planning.newer_versions(round), [])
        with self.assertRaisesMessage(planning.PlanningError, "has started"):
            planning.move_to_version(round, v21, by=self.coordinator_x)
        Round.objects.filter(pk=round.pk).update(status=Round.Status.RUNNING)
        round.days.update(date=timezone.localdate() + datetime.timedelta(days=30))
        with self.assertRaisesMessage(planning.PlanningError, "has started"):
            planning.move_to_version(round, v21, by=self.coordinator_x)
        round.refresh_from_db()
        self.assertEqual(round.version_number, "2.0")

    def test_only_a_newer_published_version_of_the_same_course_may_be_chosen(self):
        round = create_round(self)
        publish(self, "2.1")
        draft = start_draft(self.course, by=self.editor)
        for version in [self.v20, draft]:
            with self.subTest(version=version), self.assertRaises(planning.PlanningError):
                planning.move_to_version(round, version, by=self.coordinator_x)
