"""A completion keeps the course version its round taught: a certificate marked after a newer
version is published still names the round's version and its knowledge goals."""

from django.urls import reverse

from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.enrolment.certificates import certificate_pdf
from yrkesresan.enrolment.completion import complete
from yrkesresan.rounds.models import Round

from .leader_helpers import LeaderTestCase, answer_all, mark_all, prepare_all
from .test_certificates import pdf_text


class CertificateKeepsVersionTests(LeaderTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        draft = start_draft(cls.course, by=cls.editor)
        v20 = publish_draft(draft, by=cls.editor, number="2.0", change_note="Första.")
        Round.objects.filter(pk=cls.round.pk).update(course_version=v20)
        draft = start_draft(cls.course, by=cls.editor)
        content = dict(draft.content)
        content["goals"] = [{"id": None, "kind": "fakta", "text": "Känna till nya SoL"}]
        save_draft(draft, content, by=cls.editor, revision=0)
        publish_draft(draft, by=cls.editor, number="2.1", change_note="Nya SoL.")
        mark_all(cls.reg)
        prepare_all(cls.participant, cls.course)
        answer_all(cls.reg)

    def test_the_completion_keeps_the_rounds_version_and_its_goals(self):
        self.course.refresh_from_db()
        self.assertEqual(self.course.version, "2.1")
        [completion] = complete([self.reg], by=self.course_leader_x)
        self.assertEqual(completion.course_version, "2.0")
        self.assertEqual(
            [goal["text"] for goal in completion.knowledge_goals], ["Känna till socialtjänstlagen"]
        )
        self.assertIn("2.0", pdf_text(certificate_pdf(completion)))

    def test_the_participants_preparation_and_course_pages_show_the_rounds_version(self):
        self.client.force_login(self.participant)
        page = self.client.get(
            reverse("participant:preparation", args=[self.course.slug]),
            headers={"accept-language": "en"},
        )
        self.assertContains(page, "Course version 2.0")
        page = self.client.get(reverse("catalog:course", args=[self.course.slug]))
        self.assertContains(page, "<dd>2.0</dd>", html=True)
        self.assertContains(page, "Den senaste versionen är 2.1.")
        self.assertContains(page, "Känna till socialtjänstlagen")
        self.assertNotContains(page, "Känna till nya SoL")
