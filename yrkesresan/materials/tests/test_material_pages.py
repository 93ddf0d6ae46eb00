"""Course material pages: participant material by day, trainer material, one item."""

import datetime

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.enrolment.services import register
from yrkesresan.materials.models import Material
from yrkesresan.rounds.testing import make_round

ENGLISH = {"accept-language": "en"}  # messages asserted in their English source
PARTICIPANT = Material.Audience.PARTICIPANT
TRAINER = Material.Audience.TRAINER


def material(course, audience, title, *, day=None, version="1.0", published=(2025, 6, 16), **kw):
    return Material.objects.create(
        course=course,
        audience=audience,
        title=title,
        day_number=day,
        version=version,
        published_on=datetime.date(*published),
        **kw,
    )


class MaterialTestCase(PersonaTestCase):
    """The participant is registered in a round; kumla_participant has completed the course;
    the colleague has neither."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = make_round(cls.course, cls.region_x)
        register(cls.participant, cls.round, by=cls.manager_a)
        finished = Registration.objects.create(
            round=cls.round, person=cls.kumla_participant, status=Registration.Status.CANCELLED
        )
        Completion.objects.create(
            registration=finished,
            person=cls.kumla_participant,
            course=cls.course,
            completed_on=datetime.date(2025, 12, 4),
            verification_code="KUML-A234-5678",
        )
        cls.plan = material(
            cls.course, PARTICIPANT, "Kursplan", body="Fyra kursdagar.\n\nFörberedelser först."
        )
        cls.case = material(cls.course, PARTICIPANT, "Fallet Elsa", day=1, version="2.0")
        cls.day3 = material(cls.course, PARTICIPANT, "Övning: mål för insatser", day=3)
        cls.old_guide = material(
            cls.course, TRAINER, "Handledning för utbildare", version="2.0", published=(2024, 8, 15)
        )
        cls.guide = material(
            cls.course,
            TRAINER,
            "Handledning för utbildare",
            version="2.1",
            published=(2025, 7, 1),
            url="https://samarbetsrum.example.se/handledning-2-1.pdf",
        )
        cls.slides = material(cls.course, TRAINER, "Presentation kursdag 2", day=2, version="2.1")

    def status(self, persona, url):
        if persona == "anonymous":
            self.client.logout()
        else:
            self.login(getattr(self, persona))
        return self.client.get(url).status_code


class PermissionTests(MaterialTestCase):
    def test_who_may_read_what(self):
        course = reverse("materials:course", args=[self.course.slug])
        trainer = reverse("materials:trainer", args=[self.course.slug])
        item = reverse("materials:item", args=[self.course.slug, self.case.pk])
        trainer_item = reverse("materials:item", args=[self.course.slug, self.guide.pk])
        expected = {
            # persona: (participant page, trainer page, participant item, trainer item)
            "anonymous": (302, 302, 302, 302),
            "participant": (200, 403, 200, 403),  # registered in a round
            "kumla_participant": (200, 403, 200, 403),  # completed the course
            "colleague": (404, 403, 404, 403),
            "solna_participant": (404, 403, 404, 403),
            "manager_a": (404, 403, 404, 403),
            "contact_eskilstuna": (404, 403, 404, 403),
            "coordinator_x": (200, 200, 200, 200),
            "coordinator_y": (200, 200, 200, 200),
            "trainer_x": (200, 200, 200, 200),
            "course_leader_x": (200, 200, 200, 200),
            "editor": (200, 200, 200, 200),
            "admin": (200, 200, 200, 200),
        }
        for persona, statuses in expected.items():
            got = tuple(self.status(persona, url) for url in [course, trainer, item, trainer_item])
            self.assertEqual(got, statuses, persona)

    def test_unknown_courses_and_items_are_404(self):
        self.login(self.admin)
        other = Course.objects.create(step=self.steps["van"], slug="annan-kurs", title="Annan")
        for url in [
            reverse("materials:course", args=["finns-inte"]),
            reverse("materials:trainer", args=["finns-inte"]),
            reverse("materials:item", args=[self.course.slug, 999999]),
            # An item under another course's address.
            reverse("materials:item", args=[other.slug, self.case.pk]),
        ]:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_a_cancelled_registration_without_completion_gives_no_access(self):
        Registration.objects.filter(person=self.participant).update(
            status=Registration.Status.CANCELLED
        )
        self.assertEqual(
            self.status("participant", reverse("materials:course", args=[self.course.slug])), 404
        )


class ListTests(MaterialTestCase):
    def test_participant_material_by_day_with_version_and_date(self):
        self.login(self.participant)
        response = self.client.get(
            reverse("materials:course", args=[self.course.slug]), headers=ENGLISH
        )
        shelves = response.context["shelves"]
        self.assertEqual(
            [(s.day_number, s.title, [i.current.title for i in s.items]) for s in shelves],
            [
                (None, "", ["Kursplan"]),
                (1, "Aktualisering", ["Fallet Elsa"]),
                (3, "Bedömning", ["Övning: mål för insatser"]),
            ],
        )
        self.assertContains(response, "Day 1: Aktualisering")
        self.assertContains(response, "Version 2.0, published 16 June 2025")
        self.assertNotContains(response, "Handledning för utbildare")
        # Participants get no link to the trainers' page.
        self.assertNotContains(response, reverse("materials:trainer", args=[self.course.slug]))

    def test_trainer_material_shows_the_current_version_and_the_earlier_ones(self):
        self.login(self.trainer_x)
        response = self.client.get(
            reverse("materials:trainer", args=[self.course.slug]), headers=ENGLISH
        )
        whole_course = response.context["shelves"][0]
        (guide,) = whole_course.items
        self.assertEqual(guide.current, self.guide)
        self.assertEqual(guide.earlier, [self.old_guide])
        self.assertContains(response, "Version 2.1, published 1 July 2025")
        self.assertContains(response, "Earlier versions:")
        self.assertContains(
            response, reverse("materials:item", args=[self.course.slug, self.old_guide.pk])
        )
        self.assertContains(response, "Day 2: Utredning")
        self.assertNotContains(response, "Fallet Elsa")

    def test_an_empty_course(self):
        self.login(self.admin)
        other = Course.objects.create(step=self.steps["van"], slug="annan-kurs", title="Annan")
        response = self.client.get(reverse("materials:course", args=[other.slug]), headers=ENGLISH)
        self.assertContains(response, "There is no material for this course yet.")

    def test_the_page_is_in_swedish_by_default(self):
        self.login(self.participant)
        response = self.client.get(reverse("materials:course", args=[self.course.slug]))
        self.assertContains(response, '<html lang="sv">')

    def test_the_lists_take_the_same_queries_however_much_material(self):
        self.login(self.trainer_x)
        url = reverse("materials:trainer", args=[self.course.slug])
        before = count_queries(self.client, url)
        for n in range(20):
            material(self.course, TRAINER, f"Övning {n}", day=n % 4 + 1, version=f"1.{n}")
        self.assertEqual(count_queries(self.client, url), before)
        self.assertLessEqual(before, 7)


class ItemTests(MaterialTestCase):
    def test_an_item_shows_its_text_and_link(self):
        self.login(self.participant)
        response = self.client.get(
            reverse("materials:item", args=[self.course.slug, self.plan.pk]), headers=ENGLISH
        )
        self.assertContains(response, "<p>Fyra kursdagar.</p>", html=True)
        self.assertContains(response, "<p>Förberedelser först.</p>", html=True)
        self.assertContains(response, "The whole course")
        self.assertNotContains(response, "There is a newer version")

    def test_an_earlier_version_points_to_the_current_one(self):
        self.login(self.trainer_x)
        response = self.client.get(
            reverse("materials:item", args=[self.course.slug, self.old_guide.pk]), headers=ENGLISH
        )
        self.assertContains(response, "There is a newer version of this material: version 2.1.")
        self.assertContains(
            response, reverse("materials:item", args=[self.course.slug, self.guide.pk])
        )
        current = self.client.get(
            reverse("materials:item", args=[self.course.slug, self.guide.pk]), headers=ENGLISH
        )
        self.assertNotContains(current, "There is a newer version")
        self.assertContains(current, 'href="https://samarbetsrum.example.se/handledning-2-1.pdf"')
