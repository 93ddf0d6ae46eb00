"""Material lists grouped by course version when a course has material for more than one:
newest version first, each with its own day titles, the reader's round's version marked."""

import copy

from django.urls import reverse

from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.enrolment.services import register
from yrkesresan.materials.models import Material
from yrkesresan.materials.services import add_material
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

ENGLISH = {"accept-language": "en"}
PARTICIPANT = Material.Audience.PARTICIPANT
TRAINER = Material.Audience.TRAINER
OWN = "Your round&#x27;s version"


class MaterialByVersionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v20 = publish_draft(
            start_draft(cls.course, by=cls.editor), by=cls.editor, number="2.0", change_note="1."
        )
        cls.round = make_round(cls.course, cls.region_x)
        Round.objects.filter(pk=cls.round.pk).update(
            course_version=cls.v20, course_leader=cls.course_leader_x
        )
        register(cls.participant, cls.round, by=cls.manager_a)
        for audience in (PARTICIPANT, TRAINER):
            add_material(
                cls.course, by=cls.editor, audience=audience, title="Fallet Elsa", day_number=1,
                body="Enligt gamla SoL.",
            )  # fmt: skip

    @classmethod
    def publish_21(cls):
        draft = start_draft(cls.course, by=cls.editor)
        content = copy.deepcopy(draft.content)
        content["day_plans"][0]["title"] = "Aktualisering enligt nya SoL"
        save_draft(draft, content, by=cls.editor, revision=0)
        cls.v21 = publish_draft(draft, by=cls.editor, number="2.1", change_note="Nya SoL.")
        for audience in (PARTICIPANT, TRAINER):
            add_material(
                cls.course, by=cls.editor, audience=audience, title="Fallet Elsa", day_number=1,
                body="Enligt nya SoL.",
            )  # fmt: skip

    def page(self, person, name="materials:course"):
        self.client.force_login(person)
        return self.client.get(reverse(name, args=[self.course.slug]), headers=ENGLISH)


class OneVersionTests(MaterialByVersionTestCase):
    def test_material_of_one_version_is_listed_by_day_without_version_headings(self):
        response = self.page(self.participant)
        self.assertEqual(len(response.context["groups"]), 1)
        self.assertNotContains(response, "Course version 2.0")
        self.assertNotContains(response, OWN)
        self.assertContains(response, "Day 1: Aktualisering")


class SeveralVersionsTests(MaterialByVersionTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.publish_21()

    def test_participant_material_is_grouped_newest_version_first(self):
        response = self.page(self.participant)
        groups = response.context["groups"]
        self.assertEqual([g.number for g in groups], ["2.1", "2.0"])
        self.assertEqual(
            [[(s.title, [i.current.body for i in s.items]) for s in g.shelves] for g in groups],
            [
                [("Aktualisering enligt nya SoL", ["Enligt nya SoL."])],
                [("Aktualisering", ["Enligt gamla SoL."])],
            ],
        )
        content = response.content.decode()
        self.assertLess(content.index("Course version 2.1"), content.index("Course version 2.0"))

    def test_the_participants_round_version_is_marked(self):
        response = self.page(self.participant)
        self.assertEqual([g.is_own for g in response.context["groups"]], [False, True])
        self.assertContains(
            response,
            f'<h2 id="version-2">Course version 2.0 <span class="badge badge--ok">{OWN}</span>'
            "</h2>",
            html=True,
        )

    def test_a_round_moved_to_2_1_marks_2_1(self):
        Round.objects.filter(pk=self.round.pk).update(course_version=self.v21)
        response = self.page(self.participant)
        self.assertEqual([g.is_own for g in response.context["groups"]], [True, False])

    def test_the_course_leader_sees_the_version_of_the_round_they_lead_marked(self):
        response = self.page(self.course_leader_x, "materials:trainer")
        self.assertEqual([g.number for g in response.context["groups"]], ["2.1", "2.0"])
        self.assertEqual([g.is_own for g in response.context["groups"]], [False, True])

    def test_a_trainer_without_a_round_of_the_course_sees_no_version_marked(self):
        response = self.page(self.trainer_x, "materials:trainer")
        self.assertEqual([g.is_own for g in response.context["groups"]], [False, False])
        self.assertNotContains(response, OWN)

    def test_the_list_takes_the_same_queries_however_many_versions(self):
        self.client.force_login(self.participant)
        url = reverse("materials:course", args=[self.course.slug])
        before = count_queries(self.client, url)
        draft = start_draft(self.course, by=self.editor)
        publish_draft(draft, by=self.editor, number="2.2", change_note="Till.")
        for day in (1, 2, 3):
            add_material(
                self.course, by=self.editor, audience=PARTICIPANT, title=f"Dag {day}",
                day_number=day, body="Text.",
            )  # fmt: skip
        self.assertEqual(len(self.page(self.participant).context["groups"]), 3)
        self.assertEqual(count_queries(self.client, url), before)
