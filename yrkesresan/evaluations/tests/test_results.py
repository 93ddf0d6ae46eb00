"""results_for_round and compare_modes: figures from the database, the threshold of five."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yrkesresan.rounds.models import CourseDay

from ..disclosure import THRESHOLD
from ..models import Answer
from ..services import compare_modes, results_for_round
from .helpers import (
    EvaluationTestCase,
    answers_for,
    complete_many,
    completed_round,
    course_text,
    day_form,
    day_text,
    satisfaction,
    submit_and_move,
    usefulness,
)


def answer(invitations, round, **scores):
    for invitation in invitations:
        submit_and_move(invitation, answers_for(round, **scores))


def by_question(results, question):
    return next(r for r in results if r.question == question)


class ThresholdTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.others = complete_many(cls.round, 7, cls.unit_a)
        cls.everyone = [cls.invitation, *cls.others]

    def answer_with_texts(self, count):
        for n, invitation in enumerate(self.everyone[:count]):
            submit_and_move(
                invitation,
                answers_for(self.round, day_words=f"Dagtext {n}", words=f"Kurstext {n}"),
            )

    def test_the_threshold_is_five(self):
        self.assertEqual(THRESHOLD, 5)

    def test_with_four_responses_no_free_text_and_no_breakdown(self):
        self.answer_with_texts(4)
        results = results_for_round(self.round)
        self.assertFalse(results.shows_texts)
        self.assertIsNone(by_question(results.course, course_text()).texts)
        for day in results.days:
            self.assertIsNone(by_question(day.questions, day_text()).texts)
        # Four people: twelve answers on the three digital days, still hidden.
        for row in results.modes:
            self.assertEqual(row.physical.count, 4)
            self.assertEqual(row.digital.count, 12)
            self.assertFalse(row.physical.shown)
            self.assertFalse(row.digital.shown)
        # The overall figures are counted, and not shown from four people.
        figure = by_question(results.course, satisfaction()).figure
        self.assertEqual((figure.count, figure.mean), (4, 4.0))
        self.assertFalse(figure.shown)

    def test_with_five_responses_free_text_and_breakdown_appear(self):
        self.answer_with_texts(5)
        results = results_for_round(self.round)
        self.assertTrue(results.shows_texts)
        self.assertEqual(
            by_question(results.course, course_text()).texts,
            [f"Kurstext {n}" for n in range(5)],
        )
        day_2 = results.days[1]
        self.assertEqual(len(by_question(day_2.questions, day_text()).texts), 5)
        for row in results.modes:
            self.assertTrue(row.physical.shown)
            self.assertTrue(row.digital.shown)

    def test_free_texts_are_sorted_by_text_not_by_when_they_came(self):
        for invitation, words in zip(
            self.everyone[:6], ["Ö sist", "b", "A först", "c", "a också", "B"], strict=True
        ):
            submit_and_move(invitation, answers_for(self.round, words=words))
        texts = by_question(results_for_round(self.round).course, course_text()).texts
        self.assertEqual(texts, ["A först", "a också", "B", "b", "c", "Ö sist"])

    def test_response_rate_is_responses_over_invitations(self):
        empty = completed_round(self.course, self.region_x, name="Tom")
        self.assertIsNone(results_for_round(empty).response_rate)
        results = results_for_round(self.round)
        self.assertEqual((results.invited, results.responses, results.response_rate), (8, 0, 0))
        answer(self.everyone[:6], self.round)
        results = results_for_round(self.round)
        self.assertEqual((results.invited, results.responses), (8, 6))
        self.assertEqual(results.response_rate, 0.75)
        self.assertEqual(results.response_percent, 75)


class FigureTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.others = complete_many(cls.round, 5, cls.unit_a)

    def test_mean_and_count_per_day_and_question(self):
        day_1 = self.round.days.get(number=1)
        scores = [5, 4, 4, 3, 2, 1]
        for invitation, score in zip([self.invitation, *self.others], scores, strict=True):
            submit_and_move(invitation, {(usefulness().pk, day_1.pk): score})
        results = results_for_round(self.round)
        day_1_result, day_2_result = results.days[0], results.days[1]
        figure = by_question(day_1_result.questions, usefulness()).figure
        self.assertEqual(figure.count, 6)
        self.assertAlmostEqual(figure.mean, sum(scores) / 6)
        # Nobody answered about day 2: no mean, no answers.
        empty = by_question(day_2_result.questions, usefulness()).figure
        self.assertEqual((empty.count, empty.mean), (0, None))
        self.assertEqual(by_question(day_1_result.questions, day_form()).figure.count, 0)

    def test_the_breakdown_separates_physical_and_digital_days(self):
        answer([self.invitation, *self.others], self.round, useful=5)
        # Day 1 is physical; lower the digital days' scores in the database directly.
        Answer.objects.filter(question=usefulness(), day_mode=CourseDay.Mode.DIGITAL).update(
            score=2
        )
        row = by_question(results_for_round(self.round).modes, usefulness())
        self.assertEqual((row.physical.mean, row.physical.count), (5.0, 6))
        self.assertEqual((row.digital.mean, row.digital.count), (2.0, 18))

    def test_results_take_a_constant_number_of_queries(self):
        answer([self.invitation, *self.others[:4]], self.round, words="Text")
        with CaptureQueriesContext(connection) as small:
            results_for_round(self.round)
        more = complete_many(self.round, 15, self.unit_a2, prefix="fler")
        answer([self.others[4], *more], self.round, words="Text")
        with CaptureQueriesContext(connection) as large:
            results = results_for_round(self.round)
        self.assertEqual(results.responses, 21)
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 7)


class CompareModesTests(EvaluationTestCase):
    """Round 1 (the participant's): day 1 physical, days 2–4 digital. Round 2: every day
    physical."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round_2 = completed_round(
            cls.course, cls.region_y, name="Omgång 2", days_ago=200, all_physical=True
        )
        cls.first = [cls.invitation, *complete_many(cls.round, 4, cls.unit_a)]
        cls.second = complete_many(cls.round_2, 3, cls.unit_solna)

    def test_physical_and_digital_days_over_every_round_of_the_course(self):
        second = [*self.second, *complete_many(self.round_2, 2, self.unit_solna, prefix="fler")]
        answer(self.first, self.round, useful=4, form=5)
        answer(second, self.round_2, useful=2, form=3)
        comparison = compare_modes(self.course)
        self.assertEqual((comparison.responses, comparison.rounds), (10, 2))
        row = by_question(comparison.rows, usefulness())
        # Physical: 5 people × day 1 in round 1 (4) and 5 people × 4 days in round 2 (2).
        self.assertEqual(row.physical.count, 5 + 20)
        self.assertAlmostEqual(row.physical.mean, (5 * 4 + 20 * 2) / 25)
        self.assertEqual(row.physical_rounds, 2)
        self.assertTrue(row.physical.shown)
        # Digital: 5 people × 3 days in round 1.
        self.assertEqual((row.digital.count, row.digital.mean, row.digital_rounds), (15, 4.0, 1))
        self.assertTrue(row.digital.shown)
        form_row = by_question(comparison.rows, day_form())
        self.assertEqual(form_row.digital.mean, 5.0)
        # Only the scale questions about the days are compared.
        self.assertEqual([r.question for r in comparison.rows], [usefulness(), day_form()])

    def test_a_round_of_fewer_than_five_people_counts_in_no_figure(self):
        answer(self.first, self.round, useful=4)
        answer(self.second, self.round_2, useful=1)
        comparison = compare_modes(self.course)
        # Round 2's three people are left out of every figure and of the lead's counts.
        self.assertEqual((comparison.responses, comparison.rounds), (5, 1))
        row = by_question(comparison.rows, usefulness())
        self.assertEqual((row.physical.count, row.physical.mean, row.physical_rounds), (5, 4.0, 1))
        self.assertTrue(row.physical.shown)

    def test_a_group_of_four_people_is_withheld_even_with_twelve_answers(self):
        answer(self.first[:4], self.round)
        answer(self.second[:1], self.round_2)
        row = by_question(compare_modes(self.course).rows, usefulness())
        # Four digital people (twelve answers) in round 1, one physical person in round 2.
        for figure in [row.digital, row.physical]:
            self.assertEqual(figure.count, 0)
            self.assertTrue(figure.withheld)
            self.assertFalse(figure.shown)

    def test_other_courses_do_not_count(self):
        answer(self.first, self.round)
        other_course = self.course.__class__.objects.create(
            step=self.course.step, slug="annan-kurs", title="Annan kurs", course_days=2
        )
        comparison = compare_modes(other_course)
        self.assertEqual((comparison.responses, comparison.rounds), (0, 0))
        self.assertTrue(all(r.physical.count == r.digital.count == 0 for r in comparison.rows))

    def test_the_comparison_takes_a_constant_number_of_queries(self):
        answer(self.first[:2], self.round)
        with CaptureQueriesContext(connection) as small:
            compare_modes(self.course)
        answer(self.first[2:], self.round)
        answer(self.second, self.round_2)
        with CaptureQueriesContext(connection) as large:
            compare_modes(self.course)
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 3)
