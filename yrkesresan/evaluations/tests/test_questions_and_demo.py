"""The national question set (migration 0003) and the demo answers for seed_demo."""

import random
from statistics import mean

from yrkesresan.demo.evaluations import seed_evaluation_answers
from yrkesresan.rounds.models import CourseDay

from ..models import Answer, Invitation, Question, Response
from ..services import compare_modes
from .helpers import EvaluationTestCase, complete_many, completed_round, day_form, usefulness


class NationalQuestionsTests(EvaluationTestCase):
    def test_each_day_and_the_whole_course_have_scales_and_free_text_in_swedish(self):
        kinds = {
            about: list(
                Question.objects.filter(about=about, active=True)
                .order_by("order")
                .values_list("kind", flat=True)
            )
            for about in Question.About.values
        }
        self.assertEqual(kinds["day"], ["scale", "scale", "text"])
        self.assertEqual(kinds["course"], ["scale", "scale", "scale", "text"])
        self.assertEqual(usefulness().text, "Hur användbar var dagen för ditt arbete?")
        self.assertIn("fysisk eller digital", day_form().text)
        for question in Question.objects.filter(kind=Question.Kind.SCALE):
            self.assertTrue(question.low_label and question.high_label, question)


class DemoAnswersTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Round 1 (the participant's): day 1 physical, days 2–4 digital; round 2 all physical.
        cls.completions = [i.completion for i in complete_many(cls.round, 23, cls.unit_a)]
        cls.completions.append(cls.invitation.completion)
        cls.round_2 = completed_round(cls.course, cls.region_x, name="Omgång 2", all_physical=True)
        cls.completions_2 = [i.completion for i in complete_many(cls.round_2, 24, cls.unit_a2)]

    def test_about_seventy_percent_answer_with_varied_scores_and_some_texts(self):
        answered = seed_evaluation_answers(self.round, self.completions, random.Random(7))
        self.assertGreaterEqual(answered, 12)
        self.assertLessEqual(answered, 21)
        self.assertEqual(Response.objects.filter(round=self.round).count(), answered)
        self.assertEqual(
            Invitation.objects.filter(round=self.round, answered=True).count(), answered
        )
        scores = set(Answer.objects.exclude(score=None).values_list("score", flat=True))
        self.assertGreaterEqual(len(scores), 4)
        self.assertTrue(Answer.objects.exclude(text="").exists())

    def test_a_second_run_with_the_same_seed_changes_nothing(self):
        first = seed_evaluation_answers(self.round, self.completions, random.Random(7))
        answers = Answer.objects.count()
        again = seed_evaluation_answers(self.round, self.completions, random.Random(7))
        self.assertGreater(first, 0)
        self.assertEqual(again, 0)
        self.assertEqual(Answer.objects.count(), answers)

    def test_completions_without_an_invitation_get_one(self):
        Invitation.objects.filter(completion=self.completions[0]).delete()
        seed_evaluation_answers(self.round, self.completions, random.Random(7))
        self.assertTrue(Invitation.objects.filter(completion=self.completions[0]).exists())

    def test_physical_days_are_more_useful_and_digital_days_work_better_as_a_form(self):
        rng = random.Random(11)
        seed_evaluation_answers(self.round, self.completions, rng)
        seed_evaluation_answers(self.round_2, self.completions_2, rng)
        rows = {row.question: row for row in compare_modes(self.course).rows}
        useful, form = rows[usefulness()], rows[day_form()]
        self.assertTrue(useful.physical.shown and useful.digital.shown)
        self.assertGreater(useful.physical.mean, useful.digital.mean)
        self.assertGreater(form.digital.mean, form.physical.mean)
        self.assertEqual(useful.physical_rounds, 2)
        digital_texts = Answer.objects.filter(day_mode=CourseDay.Mode.DIGITAL).exclude(text="")
        self.assertTrue(digital_texts.exists())
        self.assertLess(mean(a.score for a in Answer.objects.exclude(score=None)), 5)
