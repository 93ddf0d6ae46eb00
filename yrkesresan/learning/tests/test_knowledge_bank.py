"""The knowledge bank: one search over courses, preparation, material and laws, with Swedish
inflections finding each other on PostgreSQL, and only what the person may see."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from yrkesresan.catalog.models import PreparationTask
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.learning.knowledge import search, stem
from yrkesresan.materials.models import Material
from yrkesresan.rounds.testing import make_round

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Swedish stemming is PostgreSQL's"
)


class KnowledgeBankTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.module = PreparationTask.objects.create(
            course=cls.course, title="Samtal med barnen", kind="text", estimated_minutes=10,
            body="Om barns rätt att komma till tals i utredningen.",
        )  # fmt: skip
        day = datetime.date(2026, 1, 1)
        cls.participant_guide = Material.objects.create(
            course=cls.course, audience="participant", title="Arbetsblad: barnets nätverk",
            published_on=day, body="Rita barnets nätverk.",
        )  # fmt: skip
        cls.trainer_guide = Material.objects.create(
            course=cls.course, audience="trainer", title="Handledning: barnets röst",
            published_on=day, body="Så leder du övningen om barnets röst.",
        )  # fmt: skip
        round = make_round(cls.course, cls.region_x)
        Registration.objects.create(round=round, person=cls.participant, status="registered")
        done = Registration.objects.create(
            round=make_round(cls.course, cls.region_x, name="Omgång 0"),
            person=cls.kumla_participant,
            status="registered",
        )
        Completion.objects.create(
            registration=done, person=cls.kumla_participant, course=cls.course,
            completed_on=day, verification_code="KUMLA-DONE",
        )  # fmt: skip

    def titles(self, person, text):
        return {hit.title for hit in search(person, text)}


class ScopeTests(KnowledgeBankTestCase):
    def test_a_participant_finds_their_courses_preparation_and_material_but_not_the_trainers(self):
        found = self.titles(self.participant, "barnets")
        self.assertIn("Arbetsblad: barnets nätverk", found)
        self.assertNotIn("Handledning: barnets röst", found)

    def test_a_finished_participant_keeps_their_courses_material(self):
        self.assertIn("Arbetsblad: barnets nätverk", self.titles(self.kumla_participant, "nätverk"))

    def test_someone_outside_the_course_finds_the_course_and_laws_but_no_material(self):
        found = self.titles(self.colleague, "barnet")
        self.assertIn("Handläggning med barnet i centrum", found)
        for hidden in ["Samtal med barnen", "Arbetsblad: barnets nätverk",
                       "Handledning: barnets röst"]:  # fmt: skip
            self.assertNotIn(hidden, self.titles(self.colleague, hidden))
        self.assertIn("Socialtjänstlag", self.titles(self.colleague, "socialtjänstlag"))

    def test_trainers_find_the_trainer_material(self):
        self.assertIn("Handledning: barnets röst", self.titles(self.trainer_x, "röst"))

    def test_the_page_shows_highlighted_hits_and_escapes_the_rest(self):
        Material.objects.filter(pk=self.participant_guide.pk).update(
            body="Rita barnets nätverk <script>alert(1)</script>"
        )
        self.login(self.participant)
        page = self.client.get(reverse("catalog:knowledge_bank"), {"q": "nätverk"})
        self.assertContains(page, "<mark>")
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "Arbetsblad: barnets nätverk")

    def test_an_empty_query_finds_nothing(self):
        self.assertEqual(search(self.participant, "   "), [])

    def test_the_fallback_cuts_swedish_endings(self):
        self.assertEqual({stem(w) for w in ["barnet", "barnen", "barns", "barn"]}, {"barn"})


@postgres_only
class SwedishStemmingTests(KnowledgeBankTestCase):
    def test_inflected_forms_find_each_other(self):
        for word in ["barnet", "barnen", "barns", "barn"]:
            with self.subTest(word=word):
                found = self.titles(self.participant, word)
                self.assertIn("Handläggning med barnet i centrum", found)
                self.assertIn("Samtal med barnen", found)
                self.assertIn("Arbetsblad: barnets nätverk", found)

    def test_hits_are_ranked_and_highlighted(self):
        hits = search(self.participant, "barnets nätverk")
        self.assertEqual(hits[0].title, "Arbetsblad: barnets nätverk")
        self.assertIn("<mark>", hits[0].snippet)
        self.assertEqual(hits, sorted(hits, key=lambda hit: -hit.rank))
