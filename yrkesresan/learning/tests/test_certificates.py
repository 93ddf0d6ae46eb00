"""Certificates: verification codes, the PDF, who may download it, and the public check."""

import contextlib
import datetime
import importlib
import json
import re
import zlib

from django.apps import apps as django_apps
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from yrkesresan.catalog.models import Course, KnowledgeGoal
from yrkesresan.enrolment.certificates import (
    ALPHABET,
    certificate_pdf,
    find_certificate,
    new_verification_code,
    new_verification_codes,
    normalise_code,
)
from yrkesresan.enrolment.completion import complete
from yrkesresan.enrolment.models import Attendance, Completion, MakeUpDay
from yrkesresan.enrolment.tasks import completion_message
from yrkesresan.learning.tests.test_record import pdf_text as record_pdf_text
from yrkesresan.rounds.models import CourseDay

from .leader_helpers import (
    LeaderTestCase,
    answer_all,
    days_ago,
    make_round,
    mark_all,
    prepare_all,
)


def pdf_text(content):
    """The text drawn in a PDF's content streams (inflated), for assertions."""
    parts = []
    # The end of line before "endstream" stays with the data: a compressed stream may itself end
    # in a carriage return, and decompressobj leaves what follows the stream alone.
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1)
        with contextlib.suppress(zlib.error):
            data = zlib.decompressobj().decompress(data)
        parts.append(data.decode("cp1252", errors="replace"))
    return "\n".join(parts)


class CodeTests(LeaderTestCase):
    def test_codes_are_grouped_and_free_of_look_alikes(self):
        for _ in range(200):
            code = new_verification_code()
            self.assertRegex(code, r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
            self.assertFalse(set(code) & set("01OI"))
        self.assertEqual(len(ALPHABET), 32)
        self.assertEqual(len(set(new_verification_codes(50))), 50)

    def test_typed_codes_are_normalised(self):
        self.assertEqual(normalise_code(" abcd efgh-jkl2 "), "ABCD-EFGH-JKL2")
        self.assertEqual(normalise_code("ABCDEFGHJKL2"), "ABCD-EFGH-JKL2")
        self.assertEqual(normalise_code("abcd–efgh–jkl2"), "ABCD-EFGH-JKL2")
        for bad in ["", "ABCD-EFGH", "ABCD-EFGH-JKL0", "ABCD-EFGH-JKLI", "ABCD-EFGH-JKL22"]:
            with self.subTest(bad=bad):
                self.assertIsNone(normalise_code(bad))


class CertificateTestCase(LeaderTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        KnowledgeGoal.objects.create(
            course=cls.course, kind=KnowledgeGoal.Kind.SKILL, text="Kunna föra barnsamtal"
        )
        # Day 2 taken as a make-up day in a later round.
        later = make_round(cls.course, cls.region_x, name="Omgång 2", first_day=days_ago(18))
        mark_all(cls.reg)
        Attendance.objects.filter(registration=cls.reg, day=cls.days[1]).update(status="absent")
        make_up_day = later.days.get(number=2)
        MakeUpDay.objects.create(registration=cls.reg, day=make_up_day)
        Attendance.objects.create(registration=cls.reg, day=make_up_day, status="present")
        prepare_all(cls.participant, cls.course)
        answer_all(cls.reg)
        [cls.completion] = complete([cls.reg], by=cls.course_leader_x)


class CertificatePdfTests(CertificateTestCase):
    def test_the_pdf_says_who_what_when_and_how_to_check_it(self):
        content = certificate_pdf(
            Completion.objects.select_related(
                "person", "course__step__journey", "registration__round__structure"
            ).get()
        )
        self.assertTrue(content.startswith(b"%PDF-"))
        text = pdf_text(content)
        for expected in [
            "Deltagare Testsson",
            "Handläggning med barnet i centrum",
            "1.0",  # content version
            "Omgång 1",
            "Region Mälardalen",
            "Kunna föra barnsamtal",
            "Känna till socialtjänstlagen",
            self.completion.verification_code,
            "/intyg/",
            "Omgång 2",  # the make-up day
        ]:
            with self.subTest(expected=expected):
                self.assertIn(expected, text)
        self.assertIn(days_ago(0).strftime("%Y"), text)

    def test_characters_the_core_fonts_lack_do_not_break_it(self):
        self.completion.knowledge_goals.append(
            {"kind": KnowledgeGoal.Kind.FACTS, "text": "Från anmälan → beslut ✓"}
        )
        self.completion.save()
        completion = Completion.objects.select_related(
            "person", "course__step__journey", "registration__round__structure"
        ).get()
        text = pdf_text(certificate_pdf(completion))
        self.assertIn("Från anmälan ? beslut ?", text)

    def test_who_may_download_it(self):
        url = reverse("leader:certificate", args=[self.completion.pk])
        expected = {
            "anonymous": 302,
            "participant": 200,
            "manager_a": 200,
            "contact_eskilstuna": 200,
            "coordinator_x": 200,
            "admin": 200,
            "colleague": 404,
            "kumla_participant": 404,
            "manager_kumla": 404,
            "coordinator_y": 404,
            "trainer_x": 404,
            "course_leader_x": 404,
            "editor": 404,
        }
        self.statuses("get", url, expected)
        self.login(self.participant)
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn(
            "intyg-handlaggning-med-barnet-i-centrum.pdf", response["Content-Disposition"]
        )
        self.assertEqual(
            self.client.get(reverse("leader:certificate", args=[999999])).status_code, 404
        )


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class VerificationPageTests(CertificateTestCase):
    @override_settings(LANGUAGE_CODE="sv")
    def test_the_form_is_public(self):
        response = self.client.get(reverse("leader:verify"))
        self.assertContains(response, 'name="kod"')
        self.assertContains(response, '<html lang="sv">')

    def test_the_form_sends_a_typed_code_to_its_page(self):
        typed = self.completion.verification_code.replace("-", "").lower()
        response = self.client.get(reverse("leader:verify"), {"kod": typed})
        self.assertRedirects(
            response, reverse("leader:verify_code", args=[self.completion.verification_code])
        )

    def test_a_malformed_code_is_400(self):
        response = self.client.get(reverse("leader:verify"), {"kod": "hej"})
        self.assertContains(response, "twelve letters and digits", status_code=400)
        response = self.client.get(reverse("leader:verify"), {"kod": ""})
        self.assertEqual(response.status_code, 400)

    def test_the_page_confirms_name_course_and_date_and_nothing_more(self):
        code = self.completion.verification_code
        for typed in [code, code.lower(), code.replace("-", "")]:
            with self.subTest(typed=typed):
                response = self.client.get(reverse("leader:verify_code", args=[typed]))
                self.assertContains(response, "Deltagare Testsson")
                self.assertContains(response, "Handläggning med barnet i centrum")
                self.assertContains(response, self.completion.completed_on.strftime("%Y"))
                for private in [
                    self.participant.email,
                    "Eskilstuna",
                    self.unit_a.name,
                    "Omgång 1",
                    "Region Mälardalen",
                    "Socialsekreterare",
                    "Kunna föra barnsamtal",
                ]:
                    self.assertNotContains(response, private)

    def test_an_unknown_code_is_404_with_a_clear_message(self):
        for typed in ["ABCD-EFGH-JKLM", "inte-en-kod"]:
            with self.subTest(typed=typed):
                response = self.client.get(reverse("leader:verify_code", args=[typed]))
                self.assertContains(
                    response, "No certificate has this verification code", status_code=404
                )
                self.assertNotContains(response, "Deltagare", status_code=404)

    def test_find_certificate(self):
        self.assertEqual(
            find_certificate(self.completion.verification_code.lower()), self.completion
        )
        self.assertIsNone(find_certificate("ABCD-EFGH-JKLM"))
        self.assertIsNone(find_certificate(None))


class ACourseChangedAfterCompletionTests(CertificateTestCase):
    """A completion keeps what was taught: the course's title, content version, journey and
    step, knowledge goals and the days attended with their hours. An editor's later changes to
    the course and a coordinator's to the round's days leave every certificate as it was."""

    def change_the_course_and_its_days(self):
        course = Course.objects.select_related("step__journey").get(pk=self.course.pk)
        course.title = "Barnets bästa i praktiken"
        course.version = "2.1"
        course.course_days = 3
        course.save()
        course.step.name = "Nyanställd"
        course.step.save()
        course.step.journey.name = "Barn och unga, ny utgåva"
        course.step.journey.save()
        course.goals.update(text="Kunna den nya lagen")
        KnowledgeGoal.objects.create(
            course=course, kind=KnowledgeGoal.Kind.FACTS, text="Ett mål som kom till senare"
        )
        course.day_plans.update(title="Omplanerad dag")
        course.day_plans.filter(number=4).delete()
        CourseDay.objects.filter(round__course=course).update(
            date=F("date") + datetime.timedelta(days=1),
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(12, 0),
            mode=CourseDay.Mode.DIGITAL,
        )

    def get(self, name, *args):
        response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, 200, name)
        return response

    def test_the_certificate_pdf_still_says_what_was_taught(self):
        self.login(self.participant)
        before = pdf_text(self.get("leader:certificate", self.completion.pk).content)
        self.change_the_course_and_its_days()
        after = pdf_text(self.get("leader:certificate", self.completion.pk).content)
        self.assertEqual(after, before)
        self.assertIn("Innehållsversion 1.0", after)
        for changed in ["2.1", "Barnets bästa", "Nyanställd", "ny utgåva", "nya lagen", "senare"]:
            with self.subTest(changed=changed):
                self.assertNotIn(changed, after)

    def test_the_issues_example_a_new_content_version_leaves_the_old_certificate_alone(self):
        Course.objects.filter(pk=self.course.pk).update(version="2.0")
        self.reg.completion.delete()
        [completion] = complete([self.reg], by=self.course_leader_x)
        Course.objects.filter(pk=self.course.pk).update(version="2.1")
        self.login(self.participant)
        text = pdf_text(self.get("leader:certificate", completion.pk).content)
        self.assertIn("Innehållsversion 2.0", text)
        self.assertNotIn("Innehållsversion 2.1", text)

    def test_the_verification_page_names_the_course_as_completed(self):
        code = self.completion.verification_code
        self.change_the_course_and_its_days()
        response = self.get("leader:verify_code", code)
        self.assertContains(response, "Handläggning med barnet i centrum")
        self.assertNotContains(response, "Barnets bästa")

    def test_the_record_page_json_and_pdf_are_unchanged(self):
        def completed_courses_in_pdf():
            # From its heading on; the current step above is the person's today.
            text = record_pdf_text(self.get("record:mine_pdf").content)
            return text[text.index("Genomförda kurser") :]

        self.login(self.participant)
        page = self.get("record:mine")
        self.assertContains(page, "Handläggning med barnet i centrum")
        completions = json.loads(self.get("record:mine_json").content)["completions"]
        pdf = completed_courses_in_pdf()
        self.assertIn("Handläggning med barnet i centrum", pdf)
        self.change_the_course_and_its_days()
        page = self.get("record:mine")
        self.assertContains(page, "Handläggning med barnet i centrum")
        self.assertNotContains(page, "Barnets bästa")
        self.assertEqual(
            json.loads(self.get("record:mine_json").content)["completions"], completions
        )
        self.assertEqual(completed_courses_in_pdf(), pdf)

    def test_the_json_record_keeps_the_version_and_the_days_with_their_hours(self):
        make_up = MakeUpDay.objects.select_related("day").get(registration=self.reg).day
        self.change_the_course_and_its_days()
        self.login(self.participant)
        [data] = json.loads(self.get("record:mine_json").content)["completions"]
        self.assertEqual(data["course_title"], "Handläggning med barnet i centrum")
        self.assertEqual(data["course_version"], "1.0")
        self.assertEqual(data["journey_name"], "Barn och unga, myndighetsutövning")
        self.assertEqual(data["step_name"], "Ny")
        self.assertEqual(
            data["days"],
            [
                {
                    "number": day.number,
                    "date": day.date.isoformat(),
                    "starts_at": "09:00",
                    "ends_at": "16:00",
                    "mode": day.mode,
                    "make_up_round": "Omgång 2" if day == make_up else "",
                }
                for day in [self.days[0], make_up, self.days[2], self.days[3]]
            ],
        )
        self.assertEqual(data["hours"], 28)

    def test_the_managers_staff_list_and_person_page_name_the_course_as_completed(self):
        self.change_the_course_and_its_days()
        self.login(self.manager_a)
        for response in [
            self.get("learning:staff"),
            self.get("learning:person", self.participant.pk),
        ]:
            self.assertContains(response, "Handläggning med barnet i centrum")
            self.assertNotContains(response, "Barnets bästa")

    def test_the_completion_message_names_the_course_as_completed(self):
        self.change_the_course_and_its_days()
        message = completion_message(Completion.objects.get(pk=self.completion.pk))
        self.assertIn("Handläggning med barnet i centrum", message.subject)
        self.assertIn("Handläggning med barnet i centrum", message.body)


class CompletionsMarkedBeforeTheyKeptWhatWasTaughtTests(CertificateTestCase):
    def test_the_data_migration_fills_them_from_the_course_and_days_as_they_are(self):
        fields = [
            "course_title",
            "course_version",
            "journey_name",
            "step_name",
            "knowledge_goals",
            "attended_days",
        ]
        kept = Completion.objects.values(*fields).get()  # as complete() keeps them
        self.assertEqual(kept["course_version"], "1.0")
        self.assertEqual(len(kept["attended_days"]), 4)
        Completion.objects.update(
            course_title="",
            course_version="",
            journey_name="",
            step_name="",
            knowledge_goals=[],
            attended_days=[],
        )
        migration = importlib.import_module(
            "yrkesresan.enrolment.migrations.0004_fill_completion_frozen_course"
        )
        migration.fill(django_apps, None)
        self.assertEqual(Completion.objects.values(*fields).get(), kept)
