"""/kalender/<token>.ics: a person's course days, behind nothing but the secret token."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from yrkesresan.catalog.models import Course
from yrkesresan.enrolment.services import cancel_registration, register
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

from ..models import CalendarFeed
from .helpers import RoundTestCase


class FeedTests(RoundTestCase):
    def setUp(self):
        self.registration = register(self.participant, self.round, by=self.manager_a)
        self.other_round = make_round(
            self.course, self.region_x, name="Omgång 2", first_day=datetime.date(2027, 9, 6)
        )

    def fetch(self, person):
        url = reverse("notifications:feed", args=[CalendarFeed.for_user(person).token])
        return self.client.get(url)

    def uids(self, response):
        calendar = Calendar.from_ical(response.content)
        return {str(event["UID"]) for event in calendar.walk("VEVENT")}

    def round_uids(self, round):
        return {f"{day.uid}@yrkesresan" for day in round.days.all()}

    def test_the_feed_has_the_days_of_the_rounds_the_person_has_a_seat_in(self):
        response = self.fetch(self.participant)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("private", response["Cache-Control"])
        self.assertEqual(self.uids(response), self.round_uids(self.round))
        calendar = Calendar.from_ical(response.content)
        self.assertNotIn("METHOD", calendar)
        self.assertEqual([tz.tz_name for tz in calendar.timezones], ["Europe/Stockholm"])
        for event in calendar.walk("VEVENT"):
            self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Stockholm")
            self.assertEqual(event["SEQUENCE"], 1)  # the invitation's revision

    def test_the_course_leader_s_feed_has_the_days_they_lead(self):
        self.other_round.course_leader = self.course_leader_x
        self.other_round.save()
        response = self.fetch(self.course_leader_x)
        self.assertEqual(
            self.uids(response),
            self.round_uids(self.round) | self.round_uids(self.other_round),
        )

    def test_a_round_still_being_planned_is_tentative(self):
        draft = make_round(self.course, self.region_x, name="Utkast", status=Round.Status.DRAFT)
        draft.course_leader = self.course_leader_x
        draft.save()
        calendar = Calendar.from_ical(self.fetch(self.course_leader_x).content)
        statuses = {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
        for uid in self.round_uids(draft):
            self.assertEqual(statuses[uid], "TENTATIVE")
        for uid in self.round_uids(self.round):
            self.assertEqual(statuses[uid], "CONFIRMED")

    def test_waiting_cancelled_and_other_people_s_days_are_left_out(self):
        self.round.seats = 1
        self.round.save()
        register(self.colleague, self.round, by=self.manager_a, step_mismatch_reason="Ny.")
        self.assertEqual(self.uids(self.fetch(self.colleague)), set())
        self.assertEqual(self.uids(self.fetch(self.trainer_x)), set())
        self.assertEqual(self.uids(self.fetch(self.manager_a)), set())
        cancel_registration(self.registration, by=self.participant, reason="Sjuk")
        self.assertEqual(self.uids(self.fetch(self.participant)), set())

    def test_a_cancelled_round_leaves_the_feed(self):
        Round.objects.filter(pk=self.round.pk).update(status=Round.Status.CANCELLED)
        self.assertEqual(self.uids(self.fetch(self.participant)), set())

    def test_an_empty_feed_is_still_a_valid_calendar(self):
        response = self.fetch(self.solna_participant)
        self.assertEqual(response.status_code, 200)
        calendar = Calendar.from_ical(response.content)
        self.assertEqual(calendar.walk("VEVENT"), [])

    def test_an_unknown_or_old_token_is_404(self):
        feed = CalendarFeed.for_user(self.participant)
        old = feed.token
        feed.rotate()
        for token in [old, "not-a-token", old[:-1]]:
            with self.subTest(token=token):
                response = self.client.get(reverse("notifications:feed", args=[token]))
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.fetch(self.participant).status_code, 200)

    def test_an_inactive_person_s_feed_is_404(self):
        self.participant.is_active = False
        self.participant.save()
        self.assertEqual(self.fetch(self.participant).status_code, 404)

    def test_only_get_is_allowed(self):
        url = reverse("notifications:feed", args=[CalendarFeed.for_user(self.participant).token])
        self.assertEqual(self.client.post(url).status_code, 405)

    def test_the_feed_needs_no_login_and_ignores_who_is_logged_in(self):
        self.login(self.admin)
        self.assertEqual(self.uids(self.fetch(self.participant)), self.round_uids(self.round))

    def test_the_number_of_queries_does_not_grow_with_the_days(self):
        url = reverse("notifications:feed", args=[CalendarFeed.for_user(self.participant).token])
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for number in range(2, 5):
            extra = make_round(
                self.course, self.region_x, name=f"Omgång {number + 10}", seats=5, days=5
            )
            extra.course_leader = self.participant
            extra.save()
            # One place per course: each of these rounds is of a course of its own.
            course = Course.objects.create(
                step=self.course.step, slug=f"kurs-{number}", title=f"Kurs {number}"
            )
            register(
                self.participant,
                make_round(course, self.region_y, name=f"Y{number}"),
                by=self.admin,
                step_mismatch_reason="x",
            )
        with self.assertNumQueries(len(before.captured_queries)):
            response = self.client.get(url)
        self.assertEqual(len(Calendar.from_ical(response.content).walk("VEVENT")), 4 + 15 + 12)
