"""The learning record: one person's steps, completions and courses under way, on their own
page, on the person page of those who may see them, and as PDF and JSON downloads."""

import contextlib
import datetime
import json
import re
import zlib

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from yrkesresan.catalog.models import Course, PreparationTask
from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment.certificates import present_days, what_was_taught
from yrkesresan.enrolment.models import Completion, MakeUpDay, Registration
from yrkesresan.enrolment.placement import enter_directly
from yrkesresan.enrolment.services import register
from yrkesresan.learning.record import record_as_dict, record_of
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.rounds.testing import make_round

ENGLISH = {"accept-language": "en"}  # messages asserted in their English source


def second_course(cls):
    """A second course on the Ny step, with two preparation modules."""
    course = Course.objects.create(
        step=cls.steps["ny"], slug="samtal-med-barn", title="Samtal med barn", course_days=2
    )
    for order, title in enumerate(["Läs om barnsamtal", "Se filmen"], 1):
        PreparationTask.objects.create(
            course=course, title=title, kind="text", estimated_minutes=10, order=order
        )
    return course


def complete(person, round, *, code, on=None, by=None):
    """The person registered in `round` and marked complete (a certificate with `code`), with
    what was taught kept as complete() keeps it."""
    registration = Registration.objects.filter(round=round, person=person).first()
    if registration is None:
        registration = Registration.objects.create(
            round=round, person=person, status=Registration.Status.REGISTERED
        )
    return Completion.objects.create(
        registration=registration,
        person=person,
        course=round.course,
        completed_on=on or timezone.localdate() - datetime.timedelta(days=30),
        marked_by=by,
        verification_code=code,
        attended_days=present_days([registration]).get(registration.pk, []),
        **what_was_taught(round.course),
    )


def finished_round(course, structure, name="Omgång 1"):
    """A completed round whose days were some months ago."""
    round = make_round(course, structure, name=name)
    back = datetime.timedelta(days=200)
    Round.objects.filter(pk=round.pk).update(
        status=Round.Status.COMPLETED,
        registration_opens_on=F("registration_opens_on") - back,
        registration_closes_on=F("registration_closes_on") - back,
    )
    CourseDay.objects.filter(round=round).update(date=F("date") - back)
    round.refresh_from_db()
    return round


def pdf_text(content):
    """The text drawn on the PDF's pages (core fonts, Windows-1252), for assertions."""
    text = []
    # The end of line before "endstream" stays with the data (a compressed stream may end in a
    # carriage return); decompressobj leaves what follows the stream alone.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        with contextlib.suppress(zlib.error):
            stream = zlib.decompressobj().decompress(stream)
        text.extend(re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", stream, re.S))
    return b"".join(text).replace(b"\\(", b"(").replace(b"\\)", b")").decode("cp1252")


class RecordTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.talking = second_course(cls)
        cls.done_round = finished_round(cls.course, cls.region_x)
        cls.completion = complete(
            cls.participant, cls.done_round, code="ABCD-EFGH-JKLM", by=cls.course_leader_x
        )
        cls.open_round = make_round(cls.talking, cls.region_x, name="Omgång 2")
        cls.registration = register(cls.participant, cls.open_round, by=cls.manager_a)

    def lengthen_record(self):
        """Five more completed courses for the participant, each with a later round too."""
        for n in range(5):
            course = Course.objects.create(step=self.steps["van"], slug=f"kurs-{n}", title=f"K{n}")
            complete(self.participant, finished_round(course, self.region_x), code=f"CODE-{n}")
            # Booked again after completing: data from before services.register refused it.
            Registration.objects.create(
                round=make_round(course, self.region_x),
                person=self.participant,
                status=Registration.Status.REGISTERED,
            )


class RecordOfTests(RecordTestCase):
    def test_the_record_holds_steps_completions_and_courses_under_way(self):
        record = record_of(self.participant)
        self.assertEqual(
            [(j.slug, p.step.slug) for j, p in record.steps], [("barn-och-unga", "ny")]
        )
        self.assertEqual(record.completions, [self.completion])
        self.assertEqual(record.under_way, [self.registration])
        self.assertEqual(record.under_way[0].first_day, self.open_round.days.first().date)

    def test_completed_cancelled_and_finished_rounds_are_not_under_way(self):
        # Registered again in a round of the course already completed (data from before
        # services.register refused it): not under way.
        again = make_round(self.course, self.region_x, name="Omgång 3")
        Registration.objects.create(
            round=again, person=self.participant, status=Registration.Status.REGISTERED
        )
        # A cancelled registration is not under way either.
        third = make_round(self.talking, self.region_x, name="Omgång 4")
        other = register(self.other_unit_participant, third, by=self.admin)
        other.status = Registration.Status.CANCELLED
        other.save()
        # Nor a registration in a round that is over, unless a make-up day is booked.
        over = finished_round(self.talking, self.region_x, name="Omgång 0")
        missed = Registration.objects.create(
            round=over, person=self.other_unit_participant, status=Registration.Status.REGISTERED
        )
        self.assertEqual(record_of(self.participant).under_way, [self.registration])
        self.assertEqual(record_of(self.other_unit_participant).under_way, [])
        MakeUpDay.objects.create(registration=missed, day=third.days.get(number=2))
        self.assertEqual(record_of(self.other_unit_participant).under_way, [missed])

    def test_the_waiting_list_is_under_way(self):
        full = make_round(self.talking, self.region_x, name="Full", seats=0)
        waiting = register(self.other_unit_participant, full, by=self.admin)
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)
        self.assertEqual(record_of(self.other_unit_participant).under_way, [waiting])

    def test_the_record_takes_the_same_queries_however_long_it_is(self):
        with self.assertNumQueries(6):
            record_of(self.participant)
        for n in range(4):
            course = Course.objects.create(step=self.steps["van"], slug=f"kurs-{n}", title=f"K{n}")
            complete(self.participant, finished_round(course, self.region_x), code=f"CODE-{n}")
            # Booked again after completing: data from before services.register refused it.
            Registration.objects.create(
                round=make_round(course, self.region_x),
                person=self.participant,
                status=Registration.Status.REGISTERED,
            )
        enter_directly(self.participant, self.journey, self.steps["van"])
        with self.assertNumQueries(6):
            record = record_of(self.participant)
        self.assertEqual(len(record.completions), 5)


class MyRecordPageTests(RecordTestCase):
    def test_the_person_sees_their_record_with_certificates_and_downloads(self):
        self.login(self.participant)
        response = self.client.get(reverse("record:mine"))
        self.assertContains(response, "Handläggning med barnet i centrum")
        self.assertContains(response, "ABCD-EFGH-JKLM")
        self.assertContains(response, reverse("leader:certificate", args=[self.completion.pk]))
        self.assertContains(response, reverse("materials:course", args=[self.course.slug]))
        self.assertContains(response, "Samtal med barn")
        self.assertContains(response, reverse("record:mine_pdf"))
        self.assertContains(response, reverse("record:mine_json"))
        self.assertContains(response, '<html lang="sv">')

    def test_someone_with_nothing_yet_gets_an_empty_record(self):
        self.login(self.kumla_participant)
        response = self.client.get(reverse("record:mine"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["record"].completions, [])
        self.assertNotContains(response, "ABCD-EFGH-JKLM")

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for name in ["record:mine", "record:mine_pdf", "record:mine_json"]:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_page_takes_the_same_queries_however_long_the_record(self):
        self.login(self.participant)
        url = reverse("record:mine")
        before = count_queries(self.client, url)
        self.lengthen_record()
        self.assertEqual(count_queries(self.client, url), before)
        self.assertLessEqual(before, 12)


class DownloadTests(RecordTestCase):
    def test_the_json_download_has_the_documented_shape(self):
        self.login(self.participant)
        response = self.client.get(reverse("record:mine_json"))
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(".json", response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual(
            list(data),
            [
                "format",
                "version",
                "generated_at",
                "person",
                "steps",
                "completions",
                "registrations",
                "employer_changes",
            ],
        )
        self.assertEqual((data["format"], data["version"]), ("yrkesresan-record", 1))
        self.assertEqual(
            data["person"],
            {
                "name": "Deltagare Testsson",
                "first_name": "Deltagare",
                "last_name": "Testsson",
                "email": "deltagare@example.com",
                "title": "Socialsekreterare",
                "started_in_profession": years_ago(1).isoformat(),
                "employer": {
                    "municipality": "Eskilstuna",
                    "municipality_code": "0484",
                    "unit": "Utredningsenheten barn och familj",
                },
            },
        )
        self.assertEqual(
            data["steps"],
            [
                {
                    "journey": "barn-och-unga",
                    "journey_name": "Barn och unga, myndighetsutövning",
                    "step": "ny",
                    "step_name": "Ny",
                    "decided": "suggested",
                }
            ],
        )
        self.assertEqual(
            data["completions"],
            [
                {
                    "course": "handlaggning-med-barnet-i-centrum",
                    "course_title": "Handläggning med barnet i centrum",
                    "journey": "barn-och-unga",
                    "step": "ny",
                    "completed_on": self.completion.completed_on.isoformat(),
                    "round": "Omgång 1",
                    "term": self.done_round.term,
                    "organised_by": "Region Mälardalen",
                    "verification_code": "ABCD-EFGH-JKLM",
                    "verification_url": settings.SITE_URL
                    + reverse("leader:verify_code", args=["ABCD-EFGH-JKLM"]),
                    "course_version": "1.0",
                    "journey_name": "Barn och unga, myndighetsutövning",
                    "step_name": "Ny",
                    "days": [],
                    "hours": 0,
                }
            ],
        )
        days = list(self.open_round.days.values_list("date", flat=True))
        self.assertEqual(
            data["registrations"],
            [
                {
                    "course": "samtal-med-barn",
                    "course_title": "Samtal med barn",
                    "round": "Omgång 2",
                    "term": self.open_round.term,
                    "organised_by": "Region Mälardalen",
                    "status": "registered",
                    "first_day": min(days).isoformat(),
                    "last_day": max(days).isoformat(),
                }
            ],
        )
        self.assertEqual(data["employer_changes"], [])

    def test_json_of_a_person_without_employer_or_start_date(self):
        person = make_person("ingen@example.com")
        data = record_as_dict(record_of(person))
        self.assertIsNone(data["person"]["employer"])
        self.assertIsNone(data["person"]["started_in_profession"])
        self.assertEqual(data["steps"], [])

    def test_the_pdf_download_shows_the_record(self):
        self.login(self.participant)
        response = self.client.get(reverse("record:mine_pdf"), headers=ENGLISH)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"%PDF-"))
        text = pdf_text(response.content)
        for expected in [
            "Deltagare Testsson",
            "deltagare@example.com",
            "Eskilstuna",
            "Handläggning med barnet i centrum",
            "ABCD-EFGH-JKLM",
            "Samtal med barn",
            "Barn och unga, myndighetsutövning: Ny",
            "Completed courses",
        ]:
            self.assertIn(expected, text)

    def test_the_pdf_sets_names_beyond_windows_1252(self):
        self.participant.last_name = "Lőrinc–Åberg Łoś"
        self.participant.save()
        self.login(self.participant)
        response = self.client.get(reverse("record:mine_pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Lorinc–Åberg ?os", pdf_text(response.content))

    def test_who_may_download_a_persons_record(self):
        expected = {
            "participant": 200,  # their own
            "colleague": 404,
            "kumla_participant": 404,
            "manager_a": 200,
            "manager_kumla": 404,
            "contact_eskilstuna": 200,
            "coordinator_x": 200,
            "coordinator_y": 404,
            "trainer_x": 404,
            "course_leader_x": 404,
            "editor": 404,
            "admin": 200,
        }
        for name in ["record:person_pdf", "record:person_json"]:
            url = reverse(name, args=[self.participant.pk])
            for persona, status in expected.items():
                self.login(getattr(self, persona))
                self.assertEqual(self.client.get(url).status_code, status, f"{name} {persona}")
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)
        self.login(self.admin)
        missing = reverse("record:person_json", args=[999999])
        self.assertEqual(self.client.get(missing).status_code, 404)


class PersonPageTests(RecordTestCase):
    def test_the_manager_sees_the_record_on_the_person_page(self):
        self.login(self.manager_a)
        response = self.client.get(reverse("learning:person", args=[self.participant.pk]))
        self.assertContains(response, "ABCD-EFGH-JKLM")
        self.assertContains(response, "Samtal med barn")
        self.assertContains(response, reverse("record:person_pdf", args=[self.participant.pk]))
        self.assertContains(response, reverse("record:move", args=[self.participant.pk]))
        # Course material is the participant's, not the manager's: no link.
        self.assertNotContains(response, reverse("materials:course", args=[self.course.slug]))

    def test_a_coordinator_sees_the_record_but_may_not_record_a_move(self):
        self.login(self.coordinator_x)
        response = self.client.get(reverse("learning:person", args=[self.participant.pk]))
        self.assertContains(response, "ABCD-EFGH-JKLM")
        self.assertNotContains(response, reverse("record:move", args=[self.participant.pk]))

    def test_the_person_page_takes_the_same_queries_however_long_the_record(self):
        self.login(self.manager_a)
        url = reverse("learning:person", args=[self.participant.pk])
        before = count_queries(self.client, url)
        self.lengthen_record()
        self.assertEqual(count_queries(self.client, url), before)
        self.assertLessEqual(before, 14)


class MaterialAfterCompletionTests(RecordTestCase):
    def test_a_completed_participant_keeps_reading_the_participant_material(self):
        self.done_round.registrations.filter(person=self.participant).update(
            status=Registration.Status.CANCELLED
        )
        self.login(self.participant)
        url = reverse("materials:course", args=[self.course.slug])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.colleague)
        self.assertEqual(self.client.get(url).status_code, 404)
