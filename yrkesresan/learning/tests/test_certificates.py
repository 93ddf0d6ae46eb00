"""Certificates: verification codes, the PDF, who may download it, and the public check."""

import contextlib
import re
import zlib

from django.test import override_settings
from django.urls import reverse

from yrkesresan.catalog.models import KnowledgeGoal
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
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        data = match.group(1)
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
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
        KnowledgeGoal.objects.create(
            course=self.course, kind=KnowledgeGoal.Kind.FACTS, text="Från anmälan → beslut ✓"
        )
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
