"""The term timeline: every round a row, every day a mark in its week with mode, team and
checklist, today marked, filters by course and status, the same content as a table."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.learning.tests.participant_support import dated_round
from yrkesresan.reports.planning import term_timeline
from yrkesresan.rounds.models import CourseDay, Round, term_of
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Team, TeamDay


class TimelineTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.term = term_of(cls.today)
        # A round whose second day is today, and a draft later in the term.
        cls.running = dated_round(
            cls.course,
            cls.region_x,
            cls.today - datetime.timedelta(days=7),
            name="Norrgruppen",
            status=Round.Status.RUNNING,
        )
        cls.team = Team.objects.create(round=cls.running, name="Team Norr")
        cls.day_1 = cls.running.days.get(number=1)
        TeamDay.objects.create(day=cls.day_1, team=cls.team)
        CourseDay.objects.filter(pk=cls.day_1.pk).update(
            room_booked=True, fika_ordered=True, material_sent=True
        )
        Round.objects.filter(pk=cls.running.pk).update(term=cls.term)
        cls.draft = dated_round(
            cls.course, cls.region_x, cls.today - datetime.timedelta(days=14), name="Utkast",
            status=Round.Status.DRAFT,
        )  # fmt: skip
        Round.objects.filter(pk=cls.draft.pk).update(term=cls.term)
        cls.other_region = make_round(cls.course, cls.region_y, name="Annan region")
        Round.objects.filter(pk=cls.other_region.pk).update(term=cls.term)


class TermTimelineTests(TimelineTestCase):
    def timeline(self):
        return term_timeline(Round.objects.filter(structure=self.region_x), self.term, self.today)

    def test_every_round_is_a_row_in_order_of_its_first_day(self):
        timeline = self.timeline()
        self.assertEqual([row.round.name for row in timeline.rows], ["Utkast", "Norrgruppen"])
        self.assertEqual([mark.day.number for mark in timeline.rows[1].days], [1, 2, 3, 4])

    def test_every_day_is_a_mark_in_its_week_of_the_term(self):
        """HT 2030 begins on Monday 1 July (week 27): a round from Wednesday 4 September, week
        36, has its days in the term's weeks 10 to 13 of 27."""
        round = dated_round(self.course, self.region_x, datetime.date(2030, 9, 4), name="2030")
        Round.objects.filter(pk=round.pk).update(term="HT 2030")
        timeline = term_timeline(Round.objects.filter(term="HT 2030"), "HT 2030", self.today)
        self.assertEqual(len(timeline.weeks), 27)
        self.assertEqual((timeline.weeks[9].column, timeline.weeks[9].number), (10, 36))
        self.assertEqual([mark.column for mark in timeline.rows[0].days], [10, 11, 12, 13])
        self.assertIsNone(timeline.today_column)

    def test_a_day_carries_its_team_and_its_checklist(self):
        day_1, day_2 = self.timeline().rows[1].days[:2]
        self.assertEqual(day_1.day.mode, CourseDay.Mode.PHYSICAL)
        self.assertEqual(day_1.team, "Team Norr")
        self.assertTrue(day_1.checklist_complete)  # physical: room, fika, material
        self.assertEqual(day_2.team, "")
        self.assertEqual((day_2.checklist_done, len(day_2.checklist)), (0, 2))  # digital

    def test_today_is_marked_on_its_day_and_its_week(self):
        timeline = self.timeline()
        today = [mark for mark in timeline.rows[1].days if mark.is_today]
        self.assertEqual([mark.day.number for mark in today], [2])
        self.assertEqual(timeline.today_column, today[0].column)

    def test_two_queries_whatever_the_number_of_rounds(self):
        with CaptureQueriesContext(connection) as few:
            self.timeline()
        for n in range(5):
            round = make_round(self.course, self.region_x, name=f"Fler {n}")
            Round.objects.filter(pk=round.pk).update(term=self.term)
        with CaptureQueriesContext(connection) as more:
            timeline = self.timeline()
        self.assertEqual(len(timeline.rows), 7)
        self.assertEqual((len(few), len(more)), (2, 2))


class TimelinePageTests(TimelineTestCase):
    url = reverse("reports:timeline")

    def test_the_coordinator_sees_their_rounds_as_marks_and_as_a_table(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Norrgruppen", html)
        self.assertNotIn("Annan region", html)
        day_url = reverse("rounds:day_edit", args=[self.running.pk, 2])
        self.assertIn(f'href="{day_url}"', html)
        self.assertIn("■", html)  # the physical day's shape
        self.assertIn("◆", html)  # the digital days' shape
        self.assertIn("<caption", html)
        self.assertIn("Team Norr", html)

    def test_filters_by_course_and_status(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.get(self.url, {"status": Round.Status.DRAFT})
        self.assertContains(response, "Utkast")
        self.assertNotContains(response, "Norrgruppen")
        response = self.client.get(self.url, {"kurs": self.course.slug, "status": ""})
        self.assertContains(response, "Norrgruppen")

    def test_an_unknown_status_is_a_400(self):
        self.client.force_login(self.coordinator_x)
        self.assertEqual(self.client.get(self.url, {"status": "nej"}).status_code, 400)

    def test_a_trainer_is_refused(self):
        self.client.force_login(self.trainer_x)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_page_reads_a_constant_number_of_queries(self):
        self.client.force_login(self.coordinator_x)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        for n in range(6):
            round = make_round(self.course, self.region_x, name=f"Fler {n}")
            Round.objects.filter(pk=round.pk).update(term=self.term)
            TeamDay.objects.create(
                day=round.days.get(number=1), team=Team.objects.create(round=round, name="T")
            )
        with CaptureQueriesContext(connection) as large:
            self.client.get(self.url)
        self.assertEqual(len(small), len(large))
