"""Participants are taught their round's course version: after 2.1 changes the texts, a round
on 2.0 still shows 2.0's day plans, preparation and deep-dive tasks, while its participants'
progress keeps counting on the course's live rows; a round on 2.1 shows 2.1's."""

import copy

from django.urls import reverse

from yrkesresan.catalog import versions
from yrkesresan.catalog.models import CourseDayPlan, PreparationTask
from yrkesresan.catalog.services import publish_draft, save_draft, start_draft
from yrkesresan.enrolment.models import PreparationProgress
from yrkesresan.rounds.models import Round

from .leader_helpers import LeaderTestCase

OLD_TITLE = "Handläggning med barnet i centrum"
NEW_TITLE = "Handläggning med barnet i centrum enligt nya SoL"
OLD_DAY = "Aktualisering"
NEW_DAY = "Aktualisering enligt nya socialtjänstlagen"
OLD_MODULE = "Läs om aktualisering"
NEW_MODULE = "Läs om aktualisering i nya SoL"
ADDED_MODULE = "Lyssna på podden om nya SoL"
OLD_TASK = "Skriv."
NEW_TASK = "Skriv om vad nya SoL ändrar i din handläggning."


class TwoVersionsTestCase(LeaderTestCase):
    """The course published as 2.0, the round planned on it, then 2.1 published."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        draft = start_draft(cls.course, by=cls.editor)
        cls.v20 = publish_draft(draft, by=cls.editor, number="2.0", change_note="Första.")
        Round.objects.filter(pk=cls.round.pk).update(course_version=cls.v20)
        draft = start_draft(cls.course, by=cls.editor)
        content = copy.deepcopy(draft.content)
        content["title"] = NEW_TITLE
        content["day_plans"][0]["title"] = NEW_DAY
        content["preparation"][0]["title"] = NEW_MODULE
        content["preparation"].append(
            {**content["preparation"][0], "id": None, "title": ADDED_MODULE}
        )
        content["deep_dive_tasks"][0]["instructions"] = NEW_TASK
        save_draft(draft, content, by=cls.editor, revision=0)
        cls.v21 = publish_draft(draft, by=cls.editor, number="2.1", change_note="Nya SoL.")
        cls.module = PreparationTask.objects.get(course=cls.course, title=NEW_MODULE)
        cls.added = PreparationTask.objects.get(course=cls.course, title=ADDED_MODULE)

    def my_course(self):
        self.client.force_login(self.participant)
        return self.client.get(reverse("participant:my_course", args=[self.round.pk]))

    def preparation(self):
        self.client.force_login(self.participant)
        return self.client.get(reverse("participant:preparation", args=[self.course.slug]))


class RoundVersionContentTests(TwoVersionsTestCase):
    def test_the_live_rows_hold_the_latest_version(self):
        self.assertTrue(CourseDayPlan.objects.filter(course=self.course, title=NEW_DAY).exists())

    def test_a_round_on_2_0_shows_2_0s_day_plan_and_deep_dive_task(self):
        page = self.my_course()
        self.assertContains(page, OLD_TITLE)
        self.assertNotContains(page, NEW_TITLE)
        self.assertContains(page, OLD_DAY)
        self.assertNotContains(page, NEW_DAY)
        self.assertContains(page, f"<p>{OLD_TASK}</p>", html=True)
        self.assertNotContains(page, NEW_TASK)

    def test_a_round_on_2_1_shows_2_1s_day_plan_and_deep_dive_task(self):
        Round.objects.filter(pk=self.round.pk).update(course_version=self.v21)
        page = self.my_course()
        self.assertContains(page, NEW_TITLE)
        self.assertContains(page, NEW_DAY)
        self.assertContains(page, NEW_TASK)

    def test_a_round_on_2_0_prepares_with_2_0s_modules(self):
        page = self.preparation()
        self.assertNotContains(page, NEW_TITLE)
        self.assertContains(page, OLD_MODULE)
        self.assertNotContains(page, NEW_MODULE)
        self.assertNotContains(page, ADDED_MODULE)
        module_page = self.client.get(
            reverse("participant:preparation_module", args=[self.course.slug, self.module.pk])
        )
        self.assertContains(module_page, f"<h1>{OLD_MODULE}</h1>", html=True)

    def test_a_module_added_by_a_later_version_is_not_found_for_a_round_on_2_0(self):
        self.client.force_login(self.participant)
        url = reverse("participant:preparation_module", args=[self.course.slug, self.added.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        done = reverse("participant:preparation_done", args=[self.course.slug, self.added.pk])
        self.assertEqual(self.client.post(done, {"done": "1"}).status_code, 404)
        self.assertFalse(PreparationProgress.objects.filter(task=self.added).exists())

    def test_a_round_on_2_1_prepares_with_2_1s_modules(self):
        Round.objects.filter(pk=self.round.pk).update(course_version=self.v21)
        page = self.preparation()
        self.assertContains(page, NEW_MODULE)
        self.assertContains(page, ADDED_MODULE)

    def test_progress_on_the_live_row_counts_for_the_rounds_version(self):
        self.client.force_login(self.participant)
        done = reverse("participant:preparation_done", args=[self.course.slug, self.module.pk])
        self.client.post(done, {"done": "1"})
        self.assertTrue(
            PreparationProgress.objects.filter(
                person=self.participant, task=self.module, done_at__isnull=False
            ).exists()
        )
        page = self.my_course()
        self.assertEqual(page.context["page"].preparation.done, 1)
        self.assertEqual(page.context["page"].preparation.total, 1)
        self.assertEqual([module.title for module in page.context["page"].modules], [OLD_MODULE])


class CoursePageVersionTests(TwoVersionsTestCase):
    """The catalogue's course page shows the latest published version, and a participant
    whose round teaches an older one that version."""

    def course_page(self, person=None):
        if person is not None:
            self.client.force_login(person)
        return self.client.get(reverse("catalog:course", args=[self.course.slug]))

    def test_a_visitor_reads_the_latest_version(self):
        page = self.course_page()
        self.assertContains(page, NEW_TITLE)
        self.assertContains(page, NEW_DAY)
        self.assertContains(page, ADDED_MODULE)
        self.assertContains(page, NEW_TASK)
        self.assertNotContains(page, "the one your round teaches")

    def test_a_participant_on_2_0_reads_2_0_and_is_told_the_latest_is_2_1(self):
        page = self.course_page(self.participant)
        self.assertContains(page, f"<h1>{OLD_TITLE}</h1>", html=True)
        self.assertContains(page, OLD_DAY)
        self.assertNotContains(page, NEW_DAY)
        self.assertContains(page, OLD_MODULE)
        self.assertNotContains(page, ADDED_MODULE)
        self.assertContains(page, f"<p>{OLD_TASK}</p>", html=True)
        self.assertContains(page, "Du ser version 2.0, den som din omgång går efter.")

    def test_a_participant_on_2_1_reads_2_1(self):
        Round.objects.filter(pk=self.round.pk).update(course_version=self.v21)
        page = self.course_page(self.participant)
        self.assertContains(page, NEW_DAY)
        self.assertContains(page, ADDED_MODULE)
        self.assertNotContains(page, "den som din omgång går efter")


class AsOfTests(LeaderTestCase):
    def test_a_row_a_later_version_removed_is_kept_to_be_read_when_asked(self):
        plans = list(self.course.day_plans.order_by("number"))
        document = {
            "day_plans": [
                {"id": plans[0].pk, "number": 1, "title": "Förr", "themes": ""},
                {"id": 999999, "number": 2, "title": "Borttagen", "themes": ""},
            ]
        }
        kept = versions.as_of(plans, document, "day_plans", keep_gone=True, model=CourseDayPlan)
        self.assertEqual(
            [(p.pk, p.title) for p in kept], [(plans[0].pk, "Förr"), (None, "Borttagen")]
        )
        dropped = versions.as_of(plans, document, "day_plans")
        self.assertEqual([p.title for p in dropped], ["Förr"])
        plans[0].refresh_from_db()
        self.assertEqual(plans[0].title, "Aktualisering")  # nothing saved
