"""The participant's preparation: who may open it, marking modules done (htmx and plain POST),
private reflection notes that nobody else sees, bad input, and constant query counts."""

from django.urls import reverse
from django.utils import timezone, translation

from yrkesresan.catalog.models import PreparationTask
from yrkesresan.core.testing import PERSONAS, PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment import preparation
from yrkesresan.enrolment.models import PreparationProgress, Registration
from yrkesresan.rounds.testing import make_round

from .participant_support import complete, past_round, register

SECRET = "Min hemliga reflektion om barnsamtal"


class PreparationTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.text_module = cls.course.preparation_tasks.get()
        cls.video_module = PreparationTask.objects.create(
            course=cls.course,
            title="Film: Att samtala med barn",
            kind=PreparationTask.Kind.VIDEO,
            estimated_minutes=20,
            url="https://kunskapsguiden.se/film",
            goal="Se ett exempel.",
            order=2,
        )
        cls.reflection = PreparationTask.objects.create(
            course=cls.course,
            title="Reflektionsfrågor",
            kind=PreparationTask.Kind.REFLECTION,
            estimated_minutes=25,
            body="Vad känner du dig trygg i?\nVad vill du lära dig?",
            order=3,
        )
        cls.round = make_round(cls.course, cls.region_x)
        register(cls.participant, cls.round)
        register(cls.kumla_participant, cls.round)
        register(cls.other_unit_participant, cls.round, Registration.Status.WAITLISTED)
        register(cls.colleague, cls.round, Registration.Status.CANCELLED)
        # deltagare2-like: completed the course in an earlier round.
        cls.finished = make_person("klar@example.com", unit=cls.unit_a, started=years_ago(1))
        complete(register(cls.finished, past_round(cls.course, cls.region_x)))

    def list_url(self, slug=None):
        return reverse("participant:preparation", args=[slug or self.course.slug])

    def module_url(self, module):
        return reverse("participant:preparation_module", args=[self.course.slug, module.pk])

    def done_url(self, module):
        return reverse("participant:preparation_done", args=[self.course.slug, module.pk])

    def notes_url(self, module):
        return reverse("participant:preparation_notes", args=[self.course.slug, module.pk])

    def progress(self, person, module):
        return PreparationProgress.objects.filter(person=person, task=module).first()


class AccessTests(PreparationTestCase):
    def test_only_people_in_a_round_of_the_course_or_done_with_it_open_it(self):
        allowed = {"participant", "kumla_participant", "other_unit_participant"}
        pages = [self.list_url(), self.module_url(self.reflection)]
        for persona in PERSONAS:
            expected = 302 if persona == "anonymous" else 200 if persona in allowed else 404
            for url in pages:
                with self.subTest(persona=persona, url=url):
                    self.client.logout()
                    if persona != "anonymous":
                        self.login(getattr(self, persona))
                    self.assertEqual(self.client.get(url).status_code, expected)
        # A cancelled place (colleague) gives nothing; a completion keeps it open.
        self.login(self.finished)
        self.assertEqual(self.client.get(self.list_url()).status_code, 200)

    def test_posts_are_refused_to_others_as_well(self):
        for persona in ["colleague", "coordinator_x", "admin", "solna_participant"]:
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                self.assertEqual(
                    self.client.post(self.done_url(self.text_module), {"done": "1"}).status_code,
                    404,
                )
                self.assertEqual(
                    self.client.post(self.notes_url(self.reflection), {"notes": "x"}).status_code,
                    404,
                )
        self.assertFalse(PreparationProgress.objects.exists())

    def test_a_module_of_another_course_or_an_unknown_course_is_not_found(self):
        other = self.steps["van"].courses.create(slug="annan", title="Annan kurs")
        foreign = PreparationTask.objects.create(
            course=other, title="Annan modul", kind="text", estimated_minutes=5
        )
        self.login(self.participant)
        url = reverse("participant:preparation_module", args=[self.course.slug, foreign.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(self.list_url("finns-inte")).status_code, 404)


class PagesTests(PreparationTestCase):
    def test_the_list_shows_modules_with_time_estimates_and_progress(self):
        PreparationProgress.objects.create(
            person=self.participant, task=self.text_module, done_at=timezone.now()
        )
        self.login(self.participant)
        response = self.client.get(self.list_url())
        modules = response.context["modules"]
        self.assertEqual(
            [m.title for m in modules],
            ["Läs om aktualisering", "Film: Att samtala med barn", "Reflektionsfrågor"],
        )
        self.assertEqual([m.is_done for m in modules], [True, False, False])
        summary = response.context["summary"]
        self.assertEqual((summary.done, summary.total, summary.minutes_left), (1, 3, 45))
        with translation.override("sv"):
            minutes = translation.ngettext(
                "about %(minutes)s minute", "about %(minutes)s minutes", 20
            ) % {"minutes": 20}
        self.assertContains(response, minutes)
        self.assertContains(response, 'role="status"')
        self.assertContains(response, self.module_url(self.reflection))

    def test_a_video_module_links_to_the_video(self):
        self.login(self.participant)
        response = self.client.get(self.module_url(self.video_module))
        self.assertContains(response, 'href="https://kunskapsguiden.se/film"')
        self.assertContains(response, "Se ett exempel.")
        self.assertEqual(response.context["previous"].pk, self.text_module.pk)
        self.assertEqual(response.context["next"].pk, self.reflection.pk)
        self.assertIsNone(response.context["notes_form"])

    def test_a_reflection_module_shows_its_questions_and_a_notes_field(self):
        self.login(self.participant)
        response = self.client.get(self.module_url(self.reflection))
        self.assertContains(response, "<li>Vad känner du dig trygg i?</li>", html=True)
        self.assertContains(response, 'name="notes"')
        self.assertContains(response, '<label for="id_notes"')


class MarkDoneTests(PreparationTestCase):
    def test_mark_done_and_undo_without_javascript(self):
        self.login(self.participant)
        response = self.client.post(self.done_url(self.video_module), {"done": "1"})
        self.assertRedirects(response, self.module_url(self.video_module))
        done_at = self.progress(self.participant, self.video_module).done_at
        self.assertIsNotNone(done_at)
        # Marking it again keeps the first time.
        self.client.post(self.done_url(self.video_module), {"done": "1"})
        self.assertEqual(self.progress(self.participant, self.video_module).done_at, done_at)
        response = self.client.post(self.done_url(self.video_module), {"done": "0", "back": "list"})
        self.assertRedirects(
            response,
            self.list_url() + f"#modul-{self.video_module.pk}",
            fetch_redirect_response=False,
        )
        self.assertIsNone(self.progress(self.participant, self.video_module).done_at)

    def test_htmx_swaps_the_button_and_updates_the_count(self):
        self.login(self.participant)
        response = self.client.post(
            self.done_url(self.text_module), {"done": "1"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "learning/participant/_done_toggle.html")
        self.assertNotContains(response, "<html")
        self.assertContains(response, f'id="klar-{self.text_module.pk}"')
        self.assertContains(response, 'name="done" value="0"')  # the button now undoes
        self.assertContains(response, 'hx-swap-oob="innerHTML:#forberedelse-status"')
        self.assertEqual(response.context["summary"].done, 1)

    def test_bad_input_is_a_400_with_a_message(self):
        self.login(self.participant)
        response = self.client.post(self.done_url(self.text_module), {"done": "kanske"})
        self.assertEqual(response.status_code, 400)
        with translation.override("sv"):
            self.assertContains(
                response, translation.gettext("Choose whether the module is done."), status_code=400
            )
        self.assertFalse(PreparationProgress.objects.exists())
        self.assertEqual(self.client.get(self.done_url(self.text_module)).status_code, 405)

    def test_the_counts_other_pages_use_follow(self):
        self.login(self.participant)
        self.client.post(self.done_url(self.text_module), {"done": "1"})
        self.client.post(self.done_url(self.reflection), {"done": "1"})
        self.login(self.kumla_participant)
        self.client.post(self.done_url(self.text_module), {"done": "1"})
        counts = preparation.preparation_done_counts(
            [self.participant.pk, self.kumla_participant.pk, self.colleague.pk], self.course
        )
        self.assertEqual(counts, {self.participant.pk: 2, self.kumla_participant.pk: 1})
        self.assertEqual(preparation.preparation_total(self.course), 3)


class NotesTests(PreparationTestCase):
    def test_notes_are_saved_and_shown_only_to_their_writer(self):
        self.login(self.participant)
        response = self.client.post(self.notes_url(self.reflection), {"notes": SECRET})
        self.assertRedirects(response, self.module_url(self.reflection))
        self.assertEqual(self.progress(self.participant, self.reflection).notes, SECRET)
        self.assertContains(self.client.get(self.module_url(self.reflection)), SECRET)
        # Saving notes does not mark the module done.
        self.assertIsNone(self.progress(self.participant, self.reflection).done_at)

        # The same module for another participant of the round: their own, empty notes.
        self.login(self.kumla_participant)
        response = self.client.get(self.module_url(self.reflection))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, SECRET)

        # Nobody else reads them: not the manager, the course leader, the coordinator, nor an
        # administrator, on any page they have, the admin site included.
        urls = [
            self.module_url(self.reflection),
            self.list_url(),
            reverse("learning:person", args=[self.participant.pk]),
            reverse("home:home"),
            "/admin/learning/preparationprogress/",
            "/admin/learning/preparationprogress/"
            f"{self.progress(self.participant, self.reflection).pk}/change/",
        ]
        for persona in ["manager_a", "course_leader_x", "coordinator_x", "admin"]:
            self.login(getattr(self, persona))
            for url in urls:
                with self.subTest(persona=persona, url=url):
                    response = self.client.get(url)
                    self.assertNotIn(SECRET, response.content.decode())

    def test_only_reflection_modules_take_notes(self):
        self.login(self.participant)
        response = self.client.post(self.notes_url(self.text_module), {"notes": "Anteckning"})
        self.assertEqual(response.status_code, 400)
        with translation.override("sv"):
            self.assertContains(
                response,
                translation.gettext("Only reflection modules have notes."),
                status_code=400,
            )
        self.assertFalse(PreparationProgress.objects.exists())

    def test_too_long_notes_are_refused_and_kept_in_the_form(self):
        self.login(self.participant)
        too_long = "x" * (preparation.NOTES_MAX_LENGTH + 1)
        response = self.client.post(self.notes_url(self.reflection), {"notes": too_long})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'class="errorlist"', status_code=400)
        self.assertFalse(PreparationProgress.objects.exists())

    def test_notes_survive_marking_done_and_undoing(self):
        self.login(self.participant)
        self.client.post(self.notes_url(self.reflection), {"notes": SECRET})
        self.client.post(self.done_url(self.reflection), {"done": "1"})
        self.client.post(self.done_url(self.reflection), {"done": "0"})
        self.assertEqual(self.progress(self.participant, self.reflection).notes, SECRET)


class QueryCountTests(PreparationTestCase):
    def test_the_pages_make_the_same_queries_however_many_modules(self):
        self.login(self.participant)
        urls = [self.list_url(), self.module_url(self.reflection)]
        before = [count_queries(self.client, url) for url in urls]
        for n in range(20):
            task = PreparationTask.objects.create(
                course=self.course, title=f"Extra {n}", kind="source", estimated_minutes=5
            )
            PreparationProgress.objects.create(
                person=self.participant, task=task, done_at=timezone.now(), notes="n"
            )
            PreparationProgress.objects.create(
                person=self.kumla_participant, task=task, done_at=timezone.now()
            )
        after = [count_queries(self.client, url) for url in urls]
        self.assertEqual(before, after)
        # 9: one more than before course versions, to read which version the person is taught.
        for count in after:
            self.assertLessEqual(count, 9)
