import datetime

from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.rounds.models import Venue
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.services import assign_team_to_day, create_team, set_course_leader

from .helpers import make_trainer

FIRST_DAY = timezone.localdate() + datetime.timedelta(days=30)
URL = reverse("staffing:my_days")


class MyDaysTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainer_2 = make_trainer("utbildare2@example.com", cls.region_x, cls.kumla)
        cls.venue = Venue.objects.create(
            structure=cls.region_x,
            name="Eskilstuna konferenscenter",
            room="Sal Tunafors",
            address="Kungsgatan 12, Eskilstuna",
            capacity=40,
            accessibility_notes="Hiss och hörslinga.",
        )
        cls.round = cls.staffed_round("Omgång 1", FIRST_DAY)

    @classmethod
    def staffed_round(cls, name, first_day):
        round = make_round(
            cls.course, cls.region_x, name=name, first_day=first_day, venue=cls.venue
        )
        set_course_leader(round, cls.course_leader_x, by=cls.coordinator_x)
        team_1 = create_team(round, "Team 1", [cls.trainer_x, cls.trainer_2], by=cls.coordinator_x)
        team_2 = create_team(round, "Team 2", [cls.trainer_2], by=cls.coordinator_x)
        for day in round.days.all():
            assign_team_to_day(day, team_1 if day.number <= 2 else team_2, by=cls.coordinator_x)
        return round

    def test_a_trainer_sees_their_days_with_team_and_place(self):
        self.client.force_login(self.trainer_x)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        days = response.context["days"]
        self.assertEqual([d.number for d in days], [1, 2])
        self.assertEqual(days[0].teammates, [self.trainer_2])
        self.assertContains(response, "Kungsgatan 12, Eskilstuna")
        self.assertContains(response, "Hiss och hörslinga.")
        self.assertContains(response, 'href="https://meet.example.se/yrkesresan"')
        self.assertContains(response, reverse("staffing:round_staffing", args=[self.round.pk]))

    def test_the_course_leader_sees_every_day(self):
        self.client.force_login(self.course_leader_x)
        days = self.client.get(URL).context["days"]
        self.assertEqual([d.number for d in days], [1, 2, 3, 4])

    def test_people_without_days_get_an_empty_page(self):
        for persona, is_trainer in [
            (self.participant, False),
            (self.coordinator_x, False),
            (make_trainer("ny@example.com", self.region_x), True),
        ]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["days"], [])
                self.assertEqual(response.context["scope"].may_see_own_course_days, is_trainer)

    def test_anonymous_is_sent_to_log_in(self):
        self.assertEqual(self.client.get(URL).status_code, 302)
        self.assertEqual(self.client.post(URL).status_code, 302)

    def test_query_count_does_not_grow_with_the_days(self):
        for persona in [self.trainer_2, self.course_leader_x]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                before = count_queries(self.client, URL)
                count = len(self.client.get(URL).context["days"])
                self.staffed_round(
                    f"Omgång {persona.pk}", FIRST_DAY + datetime.timedelta(days=persona.pk)
                )
                with self.assertNumQueries(before):
                    response = self.client.get(URL)
                self.assertGreater(len(response.context["days"]), count)
