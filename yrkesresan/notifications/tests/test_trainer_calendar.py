"""Trainers have the days of their team in their calendar, not the other team's."""

from django.urls import reverse
from icalendar import Calendar

from yrkesresan.staffing.services import assign_team_to_day, create_team

from ..models import CalendarFeed
from ..recipients import calendar_recipients_for_day
from .helpers import RoundTestCase


class TrainerCalendarTests(RoundTestCase):
    def setUp(self):
        self.days = list(self.round.days.order_by("number"))
        team = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        assign_team_to_day(self.days[0], team, by=self.coordinator_x)

    def test_the_feed_of_a_team_member_has_the_teams_days_only(self):
        url = reverse("notifications:feed", args=[CalendarFeed.for_user(self.trainer_x).token])
        calendar = Calendar.from_ical(self.client.get(url).content)
        uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
        self.assertEqual(uids, {f"{self.days[0].uid}@yrkesresan"})

    def test_a_changed_day_reaches_its_team(self):
        people = [r.person for r in calendar_recipients_for_day(self.days[0])]
        self.assertIn(self.trainer_x, people)
        people = [r.person for r in calendar_recipients_for_day(self.days[1])]
        self.assertNotIn(self.trainer_x, people)
