from django.urls import reverse

from yrkesresan.catalog.models import Course, KnowledgeGoal, PreparationTask, Step
from yrkesresan.core.testing import PersonaTestCase, count_queries


class CoursePageTests(PersonaTestCase):
    def test_laws_are_shown_by_the_date_they_are_in_force(self):
        response = self.client.get(reverse("catalog:course", args=[self.course.slug]))
        in_force = [r.sfs_number for r in response.context["references_in_force"]]
        past = [r.sfs_number for r in response.context["references_past"]]
        self.assertEqual((in_force, past), (["2025:400"], ["2001:453"]))
        self.assertContains(response, "ersatt av Socialtjänstlag (2025:400)")

    def test_goals_are_tagged_by_the_4f_model(self):
        response = self.client.get(reverse("catalog:course", args=[self.course.slug]))
        self.assertContains(response, '<span class="goal-kind">Fakta</span>', html=True)


class JourneyPagesTests(PersonaTestCase):
    def test_coming_journeys_are_shown_as_coming(self):
        response = self.client.get(reverse("catalog:journeys"))
        self.assertContains(response, "Äldreomsorg, utförarverksamheter")
        self.assertContains(response, "Kommer")

    def test_the_logged_in_person_sees_their_step_on_the_journey(self):
        self.client.force_login(self.colleague)
        response = self.client.get(reverse("catalog:journey", args=["barn-och-unga"]))
        self.assertEqual(response.context["placement"].step.slug, "erfaren")

    def test_query_counts_do_not_grow_with_the_catalog(self):
        urls = [
            reverse("catalog:journeys"),
            reverse("catalog:journey", args=["barn-och-unga"]),
            reverse("catalog:course", args=[self.course.slug]),
        ]
        self.client.force_login(self.participant)
        counts = {url: count_queries(self.client, url) for url in urls}
        for n in range(5):
            course = Course.objects.create(
                step=self.steps["van"], slug=f"kurs-{n}", title=f"Kurs {n}", course_days=2
            )
            KnowledgeGoal.objects.create(course=self.course, kind="fakta", text=f"Mål {n}")
            PreparationTask.objects.create(
                course=self.course, title=f"Uppgift {n}", kind="text", estimated_minutes=10
            )
            Step.objects.create(
                journey=self.elderly_journey, slug=f"s{n}", name=f"S{n}", order=10 + n
            )
            self.assertTrue(course.pk)
        for url in urls:
            with self.subTest(url=url), self.assertNumQueries(counts[url]):
                self.client.get(url)


class StartPageTests(PersonaTestCase):
    def test_visitors_get_the_introduction(self):
        response = self.client.get(reverse("home:home"))
        self.assertTemplateUsed(response, "home/home_public.html")

    def test_the_start_page_adapts_to_the_roles(self):
        cases = {
            self.participant: ["my_journey"],
            self.manager_a: ["my_journey", "team"],
            self.contact_eskilstuna: ["contact_municipalities"],
            self.coordinator_x: ["structures"],
            self.trainer_x: ["structures"],
            self.editor: ["edited_courses"],
            self.admin: ["edited_courses"],
        }
        for person, sections in cases.items():
            with self.subTest(person=person.email):
                self.client.force_login(person)
                response = self.client.get(reverse("home:home"))
                for section in sections:
                    self.assertTrue(response.context.get(section), section)
        self.client.force_login(self.participant)
        response = self.client.get(reverse("home:home"))
        self.assertIsNone(response.context.get("team"))
        self.assertContains(response, "Handläggning med barnet i centrum")

    def test_coordinator_sees_member_counts_of_their_structure(self):
        self.client.force_login(self.coordinator_x)
        structure = self.client.get(reverse("home:home")).context["structures"][0]
        self.assertEqual((structure.member_count, structure.municipality_count), (3, 3))
