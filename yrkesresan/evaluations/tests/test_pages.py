"""The evaluation's pages: answering, the results of a round, the course comparison, the index."""

from unittest import mock

from django.test import override_settings
from django.urls import reverse

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.core.testing import PERSONAS, count_queries
from yrkesresan.evaluations import access as evaluation_access
from yrkesresan.evaluations.access import rounds_with_results_for
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

from .. import views
from ..models import Answer, Invitation, Response
from ..services import move_sealed_answers
from .helpers import (
    EvaluationTestCase,
    answers_for,
    complete,
    complete_many,
    completed_round,
    course_text,
    day_form,
    satisfaction,
    submit_and_move,
    usefulness,
)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class AnswerPageTests(EvaluationTestCase):
    def setUp(self):
        self.url = reverse("evaluations:answer", args=[self.round.pk])
        self.login(self.participant)
        self.day_1 = self.round.days.get(number=1)

    def field(self, question, day=None):
        return f"day-{day.pk}-q{question.pk}" if day else f"course-q{question.pk}"

    @override_settings(LANGUAGE_CODE="sv")
    def test_the_form_has_a_fieldset_per_day_and_says_answers_are_anonymous_and_voluntary(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="sv">')
        self.assertContains(response, "Anonymt och frivilligt")
        self.assertContains(response, "Ingen, inte ens administratörer, kan se vad du har svarat")
        self.assertContains(response, "Det är frivilligt att svara")
        content = response.content.decode()
        # Four days and the whole course, each a fieldset with a legend.
        self.assertEqual(content.count('<fieldset class="evaluation-section">'), 5)
        date = self.day_1.date
        self.assertIn(f"Dag 1, {_swedish_weekday(date)} {date.day} ", content)
        self.assertIn(", fysisk</legend>", content)
        self.assertIn(", digital</legend>", content)
        # Each scale is a fieldset whose legend is the question; 1 and 5 have words.
        self.assertIn("<legend>Hur användbar var dagen för ditt arbete?</legend>", content)
        name = self.field(usefulness(), self.day_1)
        self.assertEqual(content.count(f'type="radio" name="{name}"'), 6)
        self.assertIn("1 – Inte alls användbar</label>", content)
        self.assertIn("5 – Mycket användbar</label>", content)
        self.assertContains(response, f'<textarea name="{self.field(course_text())}"')

    def test_answers_are_saved_and_the_thanks_follow(self):
        response = self.client.post(
            self.url,
            {
                self.field(usefulness(), self.day_1): "5",
                self.field(day_form(), self.day_1): "",
                self.field(satisfaction()): "4",
                self.field(course_text()): "Tack för en bra kurs.",
            },
        )
        self.assertRedirects(response, reverse("evaluations:thanks", args=[self.round.pk]))
        self.assertEqual(move_sealed_answers(self.round.pk, force=True), 1)
        self.assertEqual(
            set(Answer.objects.values_list("score", "text")),
            {(5, ""), (4, ""), (None, "Tack för en bra kurs.")},
        )
        thanks = self.client.get(response.url)
        self.assertContains(thanks, "Thank you for your answers")
        self.assertContains(thanks, 'role="status"')

    def test_once_answered_the_page_says_so_and_a_second_post_is_refused(self):
        submit_and_move(self.invitation, answers_for(self.round))
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "You have already answered")
        self.assertNotContains(page, 'class="evaluation-form"')
        again = self.client.post(self.url, {self.field(satisfaction()): "1"})
        self.assertContains(again, "Each person answers once.", status_code=409)
        self.assertContains(again, 'role="alert"', status_code=409)
        self.assertEqual(Response.objects.count(), 1)
        self.assertFalse(Answer.objects.filter(score=1).exists())

    def test_answers_racing_an_earlier_post_are_refused_by_the_lock(self):
        # The other tab's answers are saved between this request's read and its write.
        stale = Invitation.objects.select_related("round").get(pk=self.invitation.pk)
        submit_and_move(self.invitation, answers_for(self.round))
        with mock.patch.object(views, "own_invitation", return_value=stale):
            response = self.client.post(self.url, {self.field(satisfaction()): "1"})
        self.assertContains(response, "Each person answers once.", status_code=409)
        self.assertEqual(Response.objects.count(), 1)
        self.assertFalse(Answer.objects.filter(score=1).exists())

    @override_settings(LANGUAGE_CODE="sv")
    def test_a_score_of_7_is_refused_with_400_and_nothing_is_written(self):
        response = self.client.post(
            self.url,
            {self.field(usefulness(), self.day_1): "7", self.field(satisfaction()): "4"},
        )
        # Django's own message, in Swedish: the default language.
        self.assertContains(response, "Välj ett giltigt alternativ", status_code=400)
        self.assertContains(response, 'role="alert"', status_code=400)
        self.assertEqual(Response.objects.count(), 0)
        self.assertFalse(Invitation.objects.get(pk=self.invitation.pk).answered)

    def test_an_unknown_day_is_refused_with_400_and_nothing_is_written(self):
        other = completed_round(self.course, self.region_x, name="Omgång 2")
        foreign_day = other.days.get(number=1)
        response = self.client.post(
            self.url,
            {self.field(usefulness(), foreign_day): "4", self.field(satisfaction()): "4"},
        )
        self.assertContains(response, "not in this evaluation", status_code=400)
        self.assertEqual(Response.objects.count(), 0)
        self.assertFalse(Invitation.objects.get(pk=self.invitation.pk).answered)

    def test_an_empty_form_is_refused_with_400(self):
        response = self.client.post(self.url, {})
        self.assertContains(response, "at least one question", status_code=400)
        self.assertEqual(Response.objects.count(), 0)

    def test_without_an_invitation_the_page_and_the_thanks_are_404(self):
        self.login(self.colleague)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, {}).status_code, 404)
        thanks = reverse("evaluations:thanks", args=[self.round.pk])
        self.assertEqual(self.client.get(thanks).status_code, 404)

    def test_the_thanks_before_answering_lead_back_to_the_form(self):
        thanks = reverse("evaluations:thanks", args=[self.round.pk])
        self.assertRedirects(self.client.get(thanks), self.url)

    def test_the_form_takes_a_constant_number_of_queries(self):
        self.assertLessEqual(count_queries(self.client, self.url), 8)


def _swedish_weekday(date):
    return ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"][date.weekday()]


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ResultsPageTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.others = complete_many(cls.round, 9, cls.unit_a)
        cls.url = reverse("evaluations:round_results", args=[cls.round.pk])

    def answer(self, invitations, **kwargs):
        for invitation in invitations:
            submit_and_move(invitation, answers_for(self.round, **kwargs))

    def test_the_course_leader_sees_the_response_rate_and_the_counts(self):
        self.answer([self.invitation, *self.others[:4]], useful=4, words="Lärorikt.")
        self.login(self.course_leader_x)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        results = response.context["results"]
        self.assertEqual((results.invited, results.responses), (10, 5))
        content = response.content.decode()
        self.assertIn("50 %", content)
        self.assertIn("Lärorikt.", content)
        self.assertIn("<caption>", content)
        self.assertIn('scope="row"', content)
        # The names of those who completed the round appear nowhere.
        self.assertNotIn(self.participant.get_full_name(), content)
        self.assertNotIn(self.participant.email, content)

    def test_with_four_responses_the_page_hides_texts_and_breakdowns(self):
        self.answer([self.invitation, *self.others[:3]], words="Hemlig text")
        self.login(self.coordinator_x)
        response = self.client.get(self.url)
        self.assertNotContains(response, "Hemlig text")
        self.assertContains(response, "Too few answers to show")
        self.assertContains(response, "Fewer than 5 people have answered")

    def test_query_count_is_the_same_with_five_and_with_ten_responses(self):
        self.login(self.coordinator_x)
        self.answer([self.invitation, *self.others[:4]], words="Text")
        small = count_queries(self.client, self.url)
        self.answer(self.others[4:], words="Text")
        large = count_queries(self.client, self.url)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 14)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ComparisonPageTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("evaluations:course_comparison", args=[cls.course.slug])

    def test_the_table_has_both_modes_with_the_numbers_behind_each_figure(self):
        self.answer_round(self.round, [self.invitation, *complete_many(self.round, 5, self.unit_a)])
        self.login(self.editor)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("Physical days", content)
        self.assertIn("Digital days", content)
        self.assertIn("<caption>", content)
        self.assertIn('<meter class="score__bar" min="1" max="5" value="4.00"', content)
        self.assertIn('aria-hidden="true"', content)
        row = response.context["comparison"].rows[0]
        self.assertEqual((row.physical.count, row.digital.count), (6, 18))
        self.assertIn('<td class="number">18</td>', content)

    def answer_round(self, round, invitations):
        for invitation in invitations:
            submit_and_move(invitation, answers_for(round))

    def test_an_unknown_course_is_404(self):
        self.login(self.editor)
        url = reverse("evaluations:course_comparison", args=["ingen-sadan-kurs"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_query_count_is_the_same_with_one_and_with_three_rounds(self):
        self.answer_round(self.round, [self.invitation])
        self.login(self.coordinator_x)
        small = count_queries(self.client, self.url)
        for n in range(2):
            round = completed_round(self.course, self.region_x, name=f"Fler {n}")
            self.answer_round(round, complete_many(round, 6, self.unit_a2))
        large = count_queries(self.client, self.url)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 10)


class IndexPageTests(EvaluationTestCase):
    url = reverse("evaluations:index")

    def test_a_participant_finds_their_evaluation_to_answer(self):
        self.login(self.participant)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("evaluations:answer", args=[self.round.pk]))
        self.assertEqual(response.context["rounds"], [])
        submit_and_move(self.invitation, answers_for(self.round))
        response = self.client.get(self.url)
        self.assertNotContains(response, reverse("evaluations:answer", args=[self.round.pk]))

    def test_each_persona_gets_exactly_the_rounds_whose_results_they_may_open(self):
        round_y = completed_round(self.course, self.region_y, name="Omgång Y")
        complete(self.solna_participant, round_y)
        completed_round(self.course, self.region_x, name="Utan utvärdering")
        for name in PERSONAS[1:]:
            person = getattr(self, name)
            with self.subTest(person=name):
                self.login(person)
                listed = {r.pk for r in self.client.get(self.url).context["rounds"]}
                expected = {
                    r.pk
                    for r in Round.objects.filter(evaluation_invitations__isnull=False)
                    if evaluation_access.can_see_evaluation_results(person, r)
                }
                self.assertEqual(listed, expected)
        self.login(self.coordinator_x)
        listed = [r.pk for r in self.client.get(self.url).context["rounds"]]
        self.assertEqual(listed, [self.round.pk])

    def test_the_comparison_is_offered_to_those_who_may_see_it(self):
        submit_and_move(self.invitation, answers_for(self.round))
        comparison = reverse("evaluations:course_comparison", args=[self.course.slug])
        self.login(self.editor)
        self.assertContains(self.client.get(self.url), comparison)
        self.login(self.trainer_x)
        self.assertNotContains(self.client.get(self.url), comparison)

    def test_query_count_is_the_same_with_one_and_with_three_rounds(self):
        self.login(self.coordinator_x)
        small = count_queries(self.client, self.url)
        for n in range(2):
            round = completed_round(self.course, self.region_x, name=f"Fler {n}")
            for invitation in complete_many(round, 3, self.unit_a2):
                submit_and_move(invitation, answers_for(round))
        large = count_queries(self.client, self.url)
        self.assertEqual(len(rounds_with_results_for(self.coordinator_x)), 3)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 10)


class PermissionMatrixTests(EvaluationTestCase):
    """Persona × page. 200 may see; 403 sees the round but may not do this; 404 outside the
    scope (or, for the answer form, without an invitation); 302 sent to log in."""

    DEFAULTS = {"answer": 404, "round_results": 404, "course_comparison": 403, "index": 200}
    EXPECTED = {
        "answer": {"participant": 200},
        "round_results": {
            # Those who run the round, in its region.
            "coordinator_x": 200,
            "trainer_x": 200,
            "course_leader_x": 200,
            "admin": 200,
            # The journey's editors read the results, though not the round itself.
            "editor": 200,
            # They see the round (to register staff, or as its participant), not its results.
            "participant": 403,
            "manager_a": 403,
            "manager_kumla": 403,
            "contact_eskilstuna": 403,
        },
        "course_comparison": {
            "coordinator_x": 200,
            "coordinator_y": 200,
            "course_leader_x": 200,
            "editor": 200,
            "admin": 200,
        },
        "index": {},
    }

    def urls(self):
        return {
            "answer": reverse("evaluations:answer", args=[self.round.pk]),
            "round_results": reverse("evaluations:round_results", args=[self.round.pk]),
            "course_comparison": reverse("evaluations:course_comparison", args=[self.course.slug]),
            "index": reverse("evaluations:index"),
        }

    def test_every_persona_on_every_page(self):
        for page, url in self.urls().items():
            for name in PERSONAS:
                expected = (
                    302
                    if name == "anonymous"
                    else self.EXPECTED[page].get(name, self.DEFAULTS[page])
                )
                with self.subTest(page=page, persona=name):
                    self.client.logout()
                    if name != "anonymous":
                        self.login(getattr(self, name))
                    self.assertEqual(self.client.get(url).status_code, expected)

    def test_results_of_a_round_in_another_region_are_404_for_its_outsiders(self):
        round_y = completed_round(self.course, self.region_y, name="Omgång Y")
        url = reverse("evaluations:round_results", args=[round_y.pk])
        for name, expected in [("coordinator_x", 404), ("coordinator_y", 200), ("admin", 200)]:
            with self.subTest(persona=name):
                self.login(getattr(self, name))
                self.assertEqual(self.client.get(url).status_code, expected)

    def test_a_draft_round_is_not_shown_to_editors_of_its_journey(self):
        draft = make_round(
            self.course, self.region_y, name="Omgång utkast", status=Round.Status.DRAFT
        )
        self.assertEqual(draft.status, Round.Status.DRAFT)
        self.login(self.editor)
        results = reverse("evaluations:round_results", args=[draft.pk])
        self.assertEqual(self.client.get(results).status_code, 404)
        self.assertNotContains(self.client.get(reverse("evaluations:index")), "Omgång utkast")
        self.login(self.coordinator_y)
        self.assertEqual(self.client.get(results).status_code, 200)

    def test_editors_read_the_results_of_their_journeys_rounds_only(self):
        round_y = completed_round(self.course, self.region_y, name="Omgång Y")
        results = reverse("evaluations:round_results", args=[round_y.pk])
        self.login(self.editor)
        self.assertEqual(self.client.get(results).status_code, 200)
        # The round itself (its people and days) stays with those who run it.
        self.assertEqual(
            self.client.get(reverse("enrolment:round", args=[round_y.pk])).status_code, 404
        )
        other_journey = RoleAssignment.objects.get(
            user=self.editor, role=RoleAssignment.Role.NATIONAL_EDITOR
        )
        other_journey.journey = self.elderly_journey
        other_journey.save()
        self.login(self.editor)
        self.assertEqual(self.client.get(results).status_code, 404)
