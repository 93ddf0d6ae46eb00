"""Deep-dive answers: drafts at any time, handing in from the last course day, feedback and
handing in again, approved answers final; the service and the form on the course page."""

from django.test import override_settings
from django.urls import reverse
from django.utils import formats, translation

from yrkesresan.catalog.models import DeepDiveTask
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.deep_dive import DeepDiveError, last_course_day, save_answer
from yrkesresan.enrolment.models import DeepDiveAnswer, MakeUpDay, Registration
from yrkesresan.rounds.testing import make_round

from .participant_support import complete, dated_round, days_from_today, past_round, register


class DeepDiveTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task = cls.course.deep_dive_tasks.get()
        cls.second_task = DeepDiveTask.objects.create(
            course=cls.course, title="Barnets röst", instructions="Läs en utredning.", order=2
        )
        cls.past = past_round(cls.course, cls.region_x)
        cls.coming = make_round(cls.course, cls.region_x, name="Omgång kommande")
        cls.done_days = register(cls.participant, cls.past)
        cls.days_ahead = register(cls.kumla_participant, cls.coming)

    def in_sv(self, message, **values):
        with translation.override("sv"):
            text = translation.gettext(message)
        return text % values if values else text


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class ServiceTests(DeepDiveTestCase):
    def test_a_draft_may_be_saved_before_the_days(self):
        answer = save_answer(self.days_ahead, self.task, "  Ett första utkast  ", submit=False)
        self.assertEqual((answer.status, answer.text), ("draft", "Ett första utkast"))
        self.assertIsNone(answer.submitted_at)
        answer = save_answer(self.days_ahead, self.task, "Ett bättre utkast", submit=False)
        self.assertEqual(DeepDiveAnswer.objects.get().text, "Ett bättre utkast")

    def test_handing_in_waits_for_the_last_course_day(self):
        last = self.coming.days.get(number=4).date
        with self.assertRaisesMessage(DeepDiveError, last.strftime("%Y")):
            save_answer(self.days_ahead, self.task, "Svar", submit=True)
        self.assertFalse(DeepDiveAnswer.objects.exists())

    def test_the_last_day_itself_is_enough(self):
        round = dated_round(self.course, self.region_x, days_from_today(-21), name="Idag")
        registration = register(self.colleague, round)
        self.assertEqual(last_course_day(registration), days_from_today(0))
        answer = save_answer(registration, self.task, "Svar", submit=True)
        self.assertEqual(answer.status, "submitted")

    def test_a_later_make_up_day_moves_the_last_day(self):
        MakeUpDay.objects.create(registration=self.done_days, day=self.coming.days.get(number=2))
        self.assertEqual(last_course_day(self.done_days), self.coming.days.get(number=2).date)
        with self.assertRaises(DeepDiveError):
            save_answer(self.done_days, self.task, "Svar", submit=True)

    def test_handing_in_after_the_days(self):
        answer = save_answer(self.done_days, self.task, "Mitt svar", submit=True)
        self.assertEqual(answer.status, DeepDiveAnswer.Status.SUBMITTED)
        self.assertIsNotNone(answer.submitted_at)

    def test_an_answer_waiting_for_review_is_not_changed(self):
        save_answer(self.done_days, self.task, "Mitt svar", submit=True)
        for submit in (False, True):
            with self.assertRaises(DeepDiveError):
                save_answer(self.done_days, self.task, "Ändrat", submit=submit)
        self.assertEqual(DeepDiveAnswer.objects.get().text, "Mitt svar")

    def test_more_asked_for_keeps_the_feedback_until_handed_in_again(self):
        answer = save_answer(self.done_days, self.task, "Kort svar", submit=True)
        answer.status = DeepDiveAnswer.Status.NEEDS_MORE
        answer.feedback = "Utveckla målen."
        answer.save()
        answer = save_answer(self.done_days, self.task, "Längre svar", submit=False)
        self.assertEqual((answer.status, answer.feedback), ("needs_more", "Utveckla målen."))
        answer = save_answer(self.done_days, self.task, "Längre svar, klart", submit=True)
        self.assertEqual(answer.status, "submitted")
        self.assertEqual(answer.text, "Längre svar, klart")

    def test_an_approved_answer_is_final(self):
        DeepDiveAnswer.objects.create(
            registration=self.done_days, task=self.task, text="Godkänt", status="approved"
        )
        with self.assertRaisesMessage(
            DeepDiveError, "Your answer has been approved and can no longer be changed."
        ):
            save_answer(self.done_days, self.task, "Nytt", submit=False)
        self.assertEqual(DeepDiveAnswer.objects.get().text, "Godkänt")

    def test_nothing_changes_after_completion(self):
        complete(self.done_days)
        with self.assertRaisesMessage(DeepDiveError, "The course is completed"):
            save_answer(self.done_days, self.task, "Sent svar", submit=False)
        self.login(self.participant)
        page = self.client.get(reverse("participant:my_course", args=[self.past.pk]))
        self.assertNotContains(page, 'name="action"')

    def test_refusals(self):
        other_course = self.steps["van"].courses.create(slug="annan", title="Annan")
        foreign = DeepDiveTask.objects.create(course=other_course, title="X", instructions="Y")
        waiting = register(self.other_unit_participant, self.past, Registration.Status.WAITLISTED)
        cases = [
            (self.done_days, foreign, "Svar", "That deep-dive task belongs to another course."),
            (waiting, self.task, "Svar", "Only participants with a place in the round"),
            (self.done_days, self.task, "   ", "Write your answer before you save it."),
            (self.done_days, self.task, "x" * 20001, "at most 20000 characters"),
        ]
        for registration, task, text, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(DeepDiveError, message):
                save_answer(registration, task, text, submit=False)
        self.assertFalse(DeepDiveAnswer.objects.exists())


class FormTests(DeepDiveTestCase):
    def url(self, registration, task):
        return reverse("participant:deep_dive", args=[registration.round_id, task.pk])

    def page(self, registration):
        return reverse("participant:my_course", args=[registration.round_id])

    def post(self, registration, task, text, action):
        return self.client.post(
            self.url(registration, task), {f"uppgift-{task.pk}-text": text, "action": action}
        )

    def test_save_a_draft_then_hand_in(self):
        self.login(self.participant)
        response = self.post(self.done_days, self.task, "Utkast", "save")
        self.assertRedirects(response, self.page(self.done_days) + f"#uppgift-{self.task.pk}")
        self.assertEqual(DeepDiveAnswer.objects.get().status, "draft")
        page = self.client.get(self.page(self.done_days))
        self.assertContains(page, "Utkast")
        self.assertContains(page, 'value="submit"', count=2)  # both tasks may be handed in
        response = self.post(self.done_days, self.task, "Färdigt svar", "submit")
        self.assertRedirects(response, self.page(self.done_days) + f"#uppgift-{self.task.pk}")
        answer = DeepDiveAnswer.objects.get()
        self.assertEqual((answer.status, answer.text), ("submitted", "Färdigt svar"))
        page = self.client.get(self.page(self.done_days))
        self.assertContains(page, 'value="submit"', count=1)  # only the other task now

    def test_handing_in_too_early_is_a_400_with_the_date(self):
        self.login(self.kumla_participant)
        page = self.client.get(self.page(self.days_ahead))
        self.assertNotContains(page, 'value="submit"')
        self.assertContains(page, 'value="save"', count=2)
        response = self.post(self.days_ahead, self.task, "Svar", "submit")
        self.assertEqual(response.status_code, 400)
        last = self.coming.days.get(number=4).date
        self.assertContains(response, str(last.year), status_code=400)
        self.assertContains(response, 'class="form-errors"', status_code=400)
        self.assertContains(response, "Svar", status_code=400)  # the text is kept in the form
        self.assertFalse(DeepDiveAnswer.objects.exists())

    def test_an_empty_answer_is_a_400_with_a_message(self):
        self.login(self.participant)
        response = self.post(self.done_days, self.task, "", "save")
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, self.in_sv("Write your answer before you save it."), status_code=400
        )
        self.assertFalse(DeepDiveAnswer.objects.exists())

    def test_feedback_is_shown_and_the_answer_can_be_handed_in_again(self):
        DeepDiveAnswer.objects.create(
            registration=self.done_days,
            task=self.task,
            text="Första svaret",
            status="needs_more",
            feedback="Beskriv barnets mål tydligare.",
            reviewed_by=self.course_leader_x,
        )
        self.login(self.participant)
        page = self.client.get(self.page(self.done_days))
        self.assertContains(page, "Beskriv barnets mål tydligare.")
        self.assertContains(page, self.course_leader_x.get_full_name())
        self.assertContains(page, "Första svaret")
        response = self.post(self.done_days, self.task, "Andra svaret", "submit")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DeepDiveAnswer.objects.get().status, "submitted")

    def test_an_approved_answer_is_read_only(self):
        DeepDiveAnswer.objects.create(
            registration=self.done_days, task=self.task, text="Godkänt svar", status="approved"
        )
        self.login(self.participant)
        page = self.client.get(self.page(self.done_days))
        self.assertContains(page, "Godkänt svar")
        self.assertNotContains(page, f'name="uppgift-{self.task.pk}-text"')
        response = self.post(self.done_days, self.task, "Ändrat", "save")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(DeepDiveAnswer.objects.get().text, "Godkänt svar")

    def test_nobody_answers_in_someone_elses_round(self):
        self.login(self.colleague)
        response = self.post(self.done_days, self.task, "Svar", "save")
        self.assertEqual(response.status_code, 404)
        other_course = self.steps["van"].courses.create(slug="annan", title="Annan")
        foreign = DeepDiveTask.objects.create(course=other_course, title="X", instructions="Y")
        self.login(self.participant)
        self.assertEqual(self.post(self.done_days, foreign, "Svar", "save").status_code, 404)
        self.assertEqual(self.client.get(self.url(self.done_days, self.task)).status_code, 405)
        self.assertFalse(DeepDiveAnswer.objects.exists())

    def test_the_page_says_when_answers_can_be_handed_in(self):
        self.login(self.kumla_participant)
        page = self.client.get(self.page(self.days_ahead))
        self.assertEqual(page.context["page"].last_day, self.coming.days.get(number=4).date)
        self.assertFalse(page.context["page"].may_hand_in)
        with translation.override("sv"):
            date = formats.date_format(self.coming.days.get(number=4).date, "DATE_FORMAT")
        self.assertContains(page, date)
