"""The knowledge bank: one search over courses, preparation, material and laws, with Swedish
inflections finding each other on PostgreSQL, and only what the person may see."""

import copy
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from yrkesresan.catalog.models import Course, PreparationTask
from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.learning.knowledge import _postgres_queryset, _sources, search, stem
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


class PublishedOnlyTests(KnowledgeBankTestCase):
    """Nobody finds what an editor is still drafting; what is published is found."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        draft = start_draft(cls.course, by=cls.editor)
        content = copy.deepcopy(draft.content)
        content["summary"] = "Om vårdnadsöverflyttning."
        content["preparation"][0]["body"] = "Läs om vårdnadsöverflyttningar."
        cls.draft = save_draft(draft, content, by=cls.editor, revision=draft.revision)
        cls.draft_material = Material.objects.create(
            course=cls.course, audience="participant", title="Arbetsblad: vårdnadsöverflyttning",
            published_on=datetime.date(2026, 2, 1), course_version=cls.draft,
        )  # fmt: skip

    def test_a_drafts_texts_and_material_are_found_by_nobody(self):
        for person in [self.participant, self.trainer_x, self.editor, self.admin]:
            with self.subTest(person=person):
                self.assertEqual(self.titles(person, "vårdnadsöverflyttning"), set())

    def test_once_published_they_are_found(self):
        publish_draft(self.draft, by=self.editor, number="2.0", change_note="Nytt.")
        self.assertEqual(
            self.titles(self.participant, "vårdnadsöverflyttning"),
            {"Handläggning med barnet i centrum", "Läs om aktualisering",
             "Arbetsblad: vårdnadsöverflyttning"},
        )  # fmt: skip

    def test_the_catalogue_and_the_material_pages_show_the_published_course_only(self):
        self.login(self.participant)
        page = self.client.get(reverse("catalog:course", args=[self.course.slug]))
        self.assertNotContains(page, "vårdnadsöverflyttning")
        self.assertNotContains(
            self.client.get(reverse("materials:course", args=[self.course.slug])),
            "vårdnadsöverflyttning",
        )
        item = reverse("materials:item", args=[self.course.slug, self.draft_material.pk])
        self.assertEqual(self.client.get(item).status_code, 404)


class WaitingPlaceTests(KnowledgeBankTestCase):
    def test_a_waiting_place_finds_the_preparation_but_not_the_participant_material(self):
        Registration.objects.filter(person=self.participant).update(status="waitlisted")
        found = self.titles(self.participant, "barnets")
        self.assertIn("Samtal med barnen", self.titles(self.participant, "samtal"))
        self.assertNotIn("Arbetsblad: barnets nätverk", found)

    def test_a_cancelled_place_finds_neither(self):
        Registration.objects.filter(person=self.participant).update(status="cancelled")
        self.assertEqual(self.titles(self.participant, "samtal"), set())
        self.assertNotIn("Arbetsblad: barnets nätverk", self.titles(self.participant, "nätverk"))


class QueryCountTests(KnowledgeBankTestCase):
    def add_content(self, n):
        for i in range(n):
            course = Course.objects.create(
                step=self.course.step, slug=f"barn-{Course.objects.count()}",
                title=f"Barnen i fokus {n}.{i}",
            )  # fmt: skip
            PreparationTask.objects.create(
                course=course, title=f"Barnets röst {i}", kind="text", estimated_minutes=5
            )
            Registration.objects.create(
                round=make_round(course, self.region_x, name=f"Omgång {n}.{i}"),
                person=self.participant, status="registered",
            )  # fmt: skip
            Material.objects.create(
                course=course, audience="participant", title=f"Barnets nätverk {i}",
                published_on=datetime.date(2026, 1, 1),
            )  # fmt: skip

    def queries(self, person):
        person = type(person).objects.get(pk=person.pk)  # as a request has it, nothing cached
        with CaptureQueriesContext(connection) as context:
            hits = search(person, "barnets")
        return len(context.captured_queries), len(hits)

    def test_a_search_makes_as_many_queries_however_much_content_there_is(self):
        for person in [self.participant, self.trainer_x, self.colleague]:
            with self.subTest(person=person):
                self.add_content(2)
                few, few_hits = self.queries(person)
                self.add_content(12)
                many, many_hits = self.queries(person)
                self.assertEqual(few, many)
                self.assertGreater(few_hits, 0)
                self.assertGreaterEqual(many_hits, few_hits)


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

    def test_every_search_can_use_its_gin_index(self):
        indexes = {
            "Course": "catalog_course_search",
            "Preparation": "catalog_preparationtask_search",
            "Material": "materials_material_search",
        }
        # The tables are small here, so PostgreSQL would rather read them whole: forbid that,
        # and the plan shows whether the search's expression is the index's. The expression is
        # asked of the table alone: joined to the person's scope, a small table is reached by
        # its foreign key first, whatever the index.
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        with translation.override("en"):
            sources = {str(kind): (queryset, fields) for kind, queryset, fields, *_ in
                       _sources(self.trainer_x)}  # fmt: skip
        for kind, index in indexes.items():
            queryset, fields = sources[kind]
            with self.subTest(kind=kind):
                table = queryset.model.objects.all()
                self.assertIn(index, _postgres_queryset(table, fields, "barnets").explain())
