"""When a new course version is published, trainers with days ahead in a round on an older
version are told by e-mail; their trainer material page shows what changed since the version
they last read until they acknowledge it; the coordinator sees who has not."""

from django.core import mail
from django.urls import reverse

from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.materials.models import VersionReading
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Team, TeamDay


def publish(test, number, day_two_title=None):
    draft = start_draft(test.course, by=test.editor)
    if day_two_title:
        content = dict(draft.content)
        content["day_plans"] = [dict(row) for row in content["day_plans"]]
        content["day_plans"][1]["title"] = day_two_title
        draft = save_draft(draft, content, by=test.editor, revision=draft.revision)
    with test.captureOnCommitCallbacks(execute=True):
        version = publish_draft(
            draft, by=test.editor, number=number, change_note=f"Ändringar i {number}."
        )
    return version


class NewVersionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v20 = publish(cls, "2.0")
        cls.round = make_round(cls.course, cls.region_x, status=Round.Status.OPEN)
        Round.objects.filter(pk=cls.round.pk).update(course_version=cls.v20)
        cls.round.refresh_from_db()
        team = Team.objects.create(round=cls.round, name="Team 1")
        team.members.add(cls.trainer_x)
        TeamDay.objects.create(day=cls.round.days.get(number=2), team=team)
        cls.trainer_url = reverse("materials:trainer", args=[cls.course.slug])

    def test_trainers_with_days_ahead_on_an_older_version_are_told(self):
        mail.outbox.clear()
        publish(self, "2.1", day_two_title="Utredning enligt nya SoL")
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.trainer_x.email])
        [message] = mail.outbox
        self.assertIn("2.1", message.subject)
        self.assertIn("Ändringar i 2.1.", message.body)
        self.assertIn(self.trainer_url, message.body)

    def test_nobody_is_told_when_every_round_ahead_teaches_the_new_version(self):
        mail.outbox.clear()
        Round.objects.filter(pk=self.round.pk).update(status=Round.Status.CANCELLED)
        publish(self, "2.1")
        self.assertEqual(mail.outbox, [])

    def test_the_trainer_reads_what_changed_and_acknowledges(self):
        self.login(self.trainer_x)
        page = self.client.get(self.trainer_url, headers={"accept-language": "en"})
        self.assertContains(page, "You are up to date with version 2.0")
        publish(self, "2.1", day_two_title="Utredning enligt nya SoL")
        page = self.client.get(self.trainer_url, headers={"accept-language": "en"})
        self.assertContains(page, "What changed since the version you last read: 2.0 to 2.1")
        self.assertContains(page, "Utredning enligt nya SoL")
        response = self.client.post(reverse("materials:acknowledge", args=[self.course.slug]))
        self.assertRedirects(response, self.trainer_url)
        reading = VersionReading.objects.get(person=self.trainer_x, course=self.course)
        self.assertEqual(reading.acknowledged.number, "2.1")
        page = self.client.get(self.trainer_url, headers={"accept-language": "en"})
        self.assertContains(page, "You are up to date with version 2.1")

    def test_the_coordinator_sees_who_has_not_read_the_rounds_version(self):
        url = reverse("materials:readers", args=[self.round.pk])
        self.login(self.coordinator_x)
        v21 = publish(self, "2.1")
        Round.objects.filter(pk=self.round.pk).update(course_version=v21)
        page = self.client.get(url, headers={"accept-language": "en"})
        name = self.trainer_x.get_full_name()
        self.assertContains(page, f"<td>{name}</td><td><strong>Not yet</strong></td>", html=True)
        self.client.force_login(self.trainer_x)
        self.client.get(self.trainer_url)
        self.client.post(reverse("materials:acknowledge", args=[self.course.slug]))
        self.login(self.coordinator_x)
        page = self.client.get(url, headers={"accept-language": "en"})
        self.assertContains(page, f"<td>{name}</td><td>Yes</td>", html=True)

    def test_only_the_rounds_coordinator_sees_the_readers(self):
        url = reverse("materials:readers", args=[self.round.pk])
        self.login(self.coordinator_y)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.trainer_x)
        self.assertEqual(self.client.get(url).status_code, 403)
