"""The counts the physical/digital comparison reads (ModeTally): kept by the evaluations'
batch move and by the deletion of a course day, equal to counting the answers themselves."""

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.evaluations.models import SealedAnswers
from yrkesresan.evaluations.services import move_sealed_answers, submit_evaluation
from yrkesresan.evaluations.tests.helpers import (
    answers_for,
    complete_many,
    completed_round,
    day_form,
    usefulness,
)
from yrkesresan.reports.models import ModeTally
from yrkesresan.reports.services import tally_rounds
from yrkesresan.rounds.models import CourseDay


class ModeTallyTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Day 1 physical, days 2–4 digital.
        cls.round = completed_round(cls.course, cls.region_x)
        cls.invitations = complete_many(cls.round, 6, cls.unit_a)

    def answer(self, invitations, useful):
        for invitation in invitations:
            submit_evaluation(invitation, answers_for(self.round, useful=useful, form=3))

    def tally(self, question, mode):
        return ModeTally.objects.filter(round=self.round, question=question, mode=mode).first()

    def test_answers_waiting_sealed_are_not_counted_the_batch_move_counts_them(self):
        self.answer(self.invitations[:4], useful=5)
        self.assertFalse(ModeTally.objects.exists())
        self.answer(self.invitations[4:], useful=2)
        move_sealed_answers(self.round.pk)
        self.assertFalse(SealedAnswers.objects.filter(round=self.round).exists())
        physical = self.tally(usefulness(), CourseDay.Mode.PHYSICAL)
        self.assertEqual(physical.people, 6)
        self.assertEqual(
            [physical.score_1, physical.score_2, physical.score_5], [0, 2, 4]
        )  # one physical day each
        digital = self.tally(usefulness(), CourseDay.Mode.DIGITAL)
        self.assertEqual((digital.people, digital.score_5, digital.score_2), (6, 12, 6))
        self.assertEqual(self.tally(day_form(), CourseDay.Mode.DIGITAL).score_3, 18)
        # Free text and questions about the whole course are not counted here.
        self.assertEqual(ModeTally.objects.filter(round=self.round).count(), 4)

    def test_a_later_batch_is_added_to_the_round_not_counted_twice(self):
        self.answer(self.invitations[:5], useful=4)
        move_sealed_answers(self.round.pk)
        self.answer(self.invitations[5:], useful=4)
        move_sealed_answers(self.round.pk, force=True)
        self.assertEqual(self.tally(usefulness(), CourseDay.Mode.PHYSICAL).people, 6)
        self.assertEqual(self.tally(usefulness(), CourseDay.Mode.PHYSICAL).score_4, 6)

    def test_a_deleted_course_day_takes_its_answers_out_of_the_counts(self):
        self.answer(self.invitations, useful=4)
        move_sealed_answers(self.round.pk)
        self.round.days.get(number=4).delete()
        digital = self.tally(usefulness(), CourseDay.Mode.DIGITAL)
        self.assertEqual(digital.score_4, 12)  # two digital days of six people left

    def test_counting_everything_again_gives_the_same_rows(self):
        self.answer(self.invitations, useful=3)
        move_sealed_answers(self.round.pk)
        fields = ["round", "question", "mode", "people", *[f"score_{n}" for n in range(1, 6)]]
        before = sorted(ModeTally.objects.values_list(*fields))
        tally_rounds()
        self.assertEqual(sorted(ModeTally.objects.values_list(*fields)), before)
