"""submit_evaluation: one response per invitation, in one transaction, with valid answers only."""

from django.test import override_settings

from yrkesresan.rounds.models import CourseDay
from yrkesresan.rounds.testing import make_round

from ..models import Answer, Invitation, Response
from ..services import (
    AlreadyAnswered,
    EvaluationError,
    invitation_for,
    open_invitations_for,
    submit_evaluation,
)
from .helpers import (
    EvaluationTestCase,
    answers_for,
    complete,
    completed_round,
    course_text,
    day_text,
    satisfaction,
    submit_and_move,
    usefulness,
)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class SubmitTests(EvaluationTestCase):
    def assertNothingWritten(self):
        self.assertEqual(Response.objects.count(), 0)
        self.assertEqual(Answer.objects.count(), 0)
        self.assertFalse(Invitation.objects.get(pk=self.invitation.pk).answered)

    def test_answers_are_saved_for_each_day_with_its_mode(self):
        submit_and_move(self.invitation, answers_for(self.round, useful=5, day_words="Mer fika."))
        [response] = Response.objects.all()
        self.assertEqual(response.round, self.round)
        day_1, day_2 = self.round.days.get(number=1), self.round.days.get(number=2)
        useful = {a.day: a for a in Answer.objects.filter(question=usefulness())}
        self.assertEqual(useful[day_1].score, 5)
        self.assertEqual(useful[day_1].day_mode, CourseDay.Mode.PHYSICAL)
        self.assertEqual(useful[day_2].day_mode, CourseDay.Mode.DIGITAL)
        self.assertEqual(Answer.objects.filter(question=day_text()).count(), 4)
        [satisfied] = Answer.objects.filter(question=satisfaction())
        self.assertIsNone(satisfied.day)
        self.assertEqual(satisfied.day_mode, "")
        self.assertTrue(Invitation.objects.get(pk=self.invitation.pk).answered)
        self.assertTrue(self.invitation.answered)

    def test_the_mode_is_kept_as_it_was_when_the_day_changes_later(self):
        submit_and_move(self.invitation, answers_for(self.round))
        self.round.days.filter(number=2).update(mode=CourseDay.Mode.PHYSICAL)
        day_2 = self.round.days.get(number=2)
        modes = set(Answer.objects.filter(day=day_2).values_list("day_mode", flat=True))
        self.assertEqual(modes, {CourseDay.Mode.DIGITAL})

    def test_skipped_questions_are_fine(self):
        day = self.round.days.get(number=3)
        submit_and_move(
            self.invitation,
            {
                (usefulness().pk, day.pk): 2,
                (day_text().pk, day.pk): "   ",
                (satisfaction().pk, None): None,
                (course_text().pk, None): "",
            },
        )
        [answer] = Answer.objects.all()
        self.assertEqual((answer.question, answer.day, answer.score), (usefulness(), day, 2))

    def test_texts_are_trimmed(self):
        submit_and_move(self.invitation, {(course_text().pk, None): "  Bra kurs.\n"})
        self.assertEqual(Answer.objects.get().text, "Bra kurs.")

    def test_no_answer_at_all_is_refused(self):
        with self.assertRaisesMessage(EvaluationError, "at least one question"):
            submit_and_move(self.invitation, {(course_text().pk, None): ""})
        self.assertNothingWritten()

    def test_a_second_answer_is_refused_and_changes_nothing(self):
        submit_and_move(self.invitation, answers_for(self.round, useful=5))
        # A stale copy of the invitation, as a second browser tab would have.
        stale = Invitation.objects.get(pk=self.invitation.pk)
        stale.answered = False
        with self.assertRaisesMessage(AlreadyAnswered, "already answered"):
            submit_evaluation(stale, answers_for(self.round, useful=1))
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(
            set(Answer.objects.filter(question=usefulness()).values_list("score", flat=True)), {5}
        )

    def test_a_score_outside_1_to_5_is_refused_and_nothing_is_written(self):
        day = self.round.days.get(number=1)
        for score in [0, 6, 7, -1, True]:
            with self.subTest(score=score):
                answers = answers_for(self.round)
                answers[(usefulness().pk, day.pk)] = score
                with self.assertRaisesMessage(EvaluationError, "from 1 to 5"):
                    submit_and_move(self.invitation, answers)
                self.assertNothingWritten()

    def test_words_for_a_scale_or_a_score_for_words_are_refused(self):
        for key, value in [((satisfaction().pk, None), "fem"), ((course_text().pk, None), 5)]:
            with self.subTest(value=value):
                with self.assertRaises(EvaluationError):
                    submit_and_move(self.invitation, {key: value})
                self.assertNothingWritten()

    def test_a_day_of_another_round_or_no_day_is_refused(self):
        other = make_round(self.course, self.region_x, name="Omgång 9")
        foreign_day = other.days.get(number=1)
        for day_id in [foreign_day.pk, None, 999999]:
            with self.subTest(day_id=day_id):
                answers = answers_for(self.round)
                answers[(usefulness().pk, day_id)] = 3
                with self.assertRaisesMessage(EvaluationError, "a day of this round"):
                    submit_and_move(self.invitation, answers)
                self.assertNothingWritten()

    def test_a_course_question_about_a_day_is_refused(self):
        day = self.round.days.get(number=1)
        with self.assertRaisesMessage(EvaluationError, "not about one day"):
            submit_and_move(self.invitation, {(satisfaction().pk, day.pk): 4})
        self.assertNothingWritten()

    def test_an_unknown_or_retired_question_is_refused(self):
        retired = course_text()
        retired.active = False
        retired.save()
        for key in [(999999, None), (retired.pk, None)]:
            with self.subTest(key=key):
                with self.assertRaisesMessage(EvaluationError, "question"):
                    submit_and_move(self.invitation, {key: "Hej"})
                self.assertNothingWritten()

    def test_a_very_long_text_is_refused(self):
        with self.assertRaisesMessage(EvaluationError, "characters"):
            submit_and_move(self.invitation, {(course_text().pk, None): "x" * 4001})
        self.assertNothingWritten()


class OpenInvitationTests(EvaluationTestCase):
    def test_a_person_sees_their_unanswered_invitations_only(self):
        other_round = completed_round(self.course, self.region_x, name="Omgång 2")
        complete(self.colleague, other_round)
        self.assertEqual(list(open_invitations_for(self.participant)), [self.invitation])
        submit_and_move(self.invitation, answers_for(self.round))
        self.assertEqual(list(open_invitations_for(self.participant)), [])

    def test_the_invitation_for_a_round_is_the_persons_own(self):
        self.assertEqual(invitation_for(self.participant, self.round.pk), self.invitation)
        self.assertIsNone(invitation_for(self.colleague, self.round.pk))
