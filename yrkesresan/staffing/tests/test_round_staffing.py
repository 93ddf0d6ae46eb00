import datetime

from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase, count_queries
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Team, TeamDay
from yrkesresan.staffing.services import (
    assign_team_to_day,
    create_team,
    set_course_leader,
)

from .helpers import make_trainer

FIRST_DAY = timezone.localdate() + datetime.timedelta(days=60)


class RoundStaffingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainer_2 = make_trainer("utbildare2@example.com", cls.region_x, cls.kumla)
        cls.round = make_round(cls.course, cls.region_x, first_day=FIRST_DAY)
        cls.round_y = make_round(cls.course, cls.region_y, first_day=FIRST_DAY)
        cls.days = list(cls.round.days.order_by("number"))
        set_course_leader(cls.round, cls.course_leader_x, by=cls.coordinator_x)
        cls.team = create_team(cls.round, "Team 1", [cls.trainer_x], by=cls.coordinator_x)
        assign_team_to_day(cls.days[0], cls.team, by=cls.coordinator_x)
        # Another round on the same dates, whose trainers are checked for double bookings.
        cls.round_2 = make_round(cls.course, cls.region_x, name="Omgång 2", first_day=FIRST_DAY)
        team = create_team(cls.round_2, "Team 1", [cls.trainer_2], by=cls.coordinator_x)
        assign_team_to_day(cls.round_2.days.get(number=1), team, by=cls.coordinator_x)

    def url(self, name="round_staffing", round=None, **kwargs):
        return reverse(f"staffing:{name}", kwargs={"pk": (round or self.round).pk, **kwargs})


class PageAccessTests(RoundStaffingTestCase):
    def test_who_sees_the_page_and_who_may_change_it(self):
        register(self.participant, self.round, by=self.manager_a)
        table = [
            # (persona, status, may manage)
            ("coordinator_x", 200, True),
            ("admin", 200, True),
            ("course_leader_x", 200, False),
            ("trainer_x", 200, False),
            ("trainer_2", 200, False),
            ("manager_a", 403, None),  # sees the round to register staff
            ("contact_eskilstuna", 403, None),
            ("participant", 403, None),  # registered in the round
            ("colleague", 404, None),
            ("solna_participant", 404, None),
            ("coordinator_y", 404, None),
            ("editor", 404, None),
        ]
        for persona, status, may_manage in table:
            with self.subTest(persona=persona):
                self.client.force_login(getattr(self, persona))
                response = self.client.get(self.url())
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertEqual(response.context["viewer"].may_manage_round, may_manage)
                    self.assertEqual("course_leader_form" in response.context, may_manage)

    def test_another_regions_round_is_not_found_by_its_trainers(self):
        for persona in ["coordinator_x", "trainer_x", "course_leader_x"]:
            with self.subTest(persona=persona):
                self.client.force_login(getattr(self, persona))
                self.assertEqual(self.client.get(self.url(round=self.round_y)).status_code, 404)
        self.client.force_login(self.coordinator_y)
        self.assertEqual(self.client.get(self.url(round=self.round_y)).status_code, 200)

    def test_anonymous_is_sent_to_log_in(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_only_the_coordinator_may_post_changes(self):
        posts = [
            (self.url("set_course_leader"), {"leader-course_leader": ""}),
            (self.url("create_team"), {"new-team-name": "Team 2"}),
            (self.url("change_team", team=self.team.pk), {}),
            (self.url("remove_team", team=self.team.pk), {}),
            (self.url("assign_day", day=self.days[1].pk), {f"day-{self.days[1].pk}-team": ""}),
        ]
        table = [
            ("anonymous", 302),
            ("trainer_x", 403),
            ("course_leader_x", 403),
            ("manager_a", 403),
            ("coordinator_y", 404),
            ("participant", 404),
        ]
        for persona, status in table:
            self.client.logout()
            if persona != "anonymous":
                self.client.force_login(getattr(self, persona))
            for url, data in posts:
                with self.subTest(persona=persona, url=url):
                    self.assertEqual(self.client.post(url, data).status_code, status)
        self.round.refresh_from_db()
        self.assertEqual(self.round.course_leader, self.course_leader_x)
        self.assertEqual(Team.objects.count(), 2)
        self.assertEqual(TeamDay.objects.count(), 2)

    def test_changes_are_posts(self):
        self.client.force_login(self.coordinator_x)
        self.assertEqual(self.client.get(self.url("create_team")).status_code, 405)
        self.assertEqual(self.client.post(self.url()).status_code, 405)

    def test_a_team_or_day_of_another_round_is_not_found(self):
        other = create_team(self.round_y, "Team 1", [], by=self.coordinator_y)
        day_y = self.round_y.days.first()
        self.client.force_login(self.coordinator_x)
        self.assertEqual(self.client.post(self.url("change_team", team=other.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("remove_team", team=other.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("assign_day", day=day_y.pk)).status_code, 404)


class ShowsStaffingTests(RoundStaffingTestCase):
    def test_the_page_shows_days_teams_and_warnings(self):
        self.client.force_login(self.trainer_x)
        response = self.client.get(self.url())
        staffing = response.context["staffing"]
        self.assertEqual([d.team for d in staffing.days], [self.team, None, None, None])
        self.assertEqual(staffing.teams, [self.team])
        self.assertEqual(len(staffing.warnings), 3)  # days 2–4 have no team
        self.assertContains(response, 'role="alert"')
        self.assertNotContains(response, '<form method="post" action="/omgangar')

    def test_query_count_does_not_grow_with_days_teams_and_other_rounds(self):
        for persona in [self.coordinator_x, self.trainer_x]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                self.assertEqual(
                    count_queries(self.client, self.url()),
                    self.queries_after_adding_data(persona),
                )

    def queries_after_adding_data(self, persona):
        before = count_queries(self.client, self.url())
        n = Team.objects.count() + 1
        team = create_team(self.round, f"Team {n + 1}", [self.trainer_2], by=self.coordinator_x)
        for day in self.days[1:]:
            assign_team_to_day(day, team, by=self.coordinator_x)
        other = make_round(self.course, self.region_x, name=f"Omgång {n + 2}", first_day=FIRST_DAY)
        extra = make_trainer(f"extra{n}@example.com", self.region_x)
        other_team = create_team(other, "Team 1", [extra, self.trainer_x], by=self.coordinator_x)
        for day in other.days.all():
            assign_team_to_day(day, other_team, by=self.coordinator_x)
        with self.assertNumQueries(before):
            response = self.client.get(self.url())
        self.assertGreater(len(response.context["staffing"].warnings), 0)
        return before


class ChangeStaffingTests(RoundStaffingTestCase):
    def setUp(self):
        self.client.force_login(self.coordinator_x)

    def test_sets_the_course_leader(self):
        response = self.client.post(self.url("set_course_leader"), {"leader-course_leader": ""})
        self.assertRedirects(response, self.url())
        self.round.refresh_from_db()
        self.assertIsNone(self.round.course_leader)

    def test_a_person_without_the_course_leader_role_is_refused(self):
        response = self.client.post(
            self.url("set_course_leader"), {"leader-course_leader": str(self.trainer_x.pk)}
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["course_leader_form"].errors)
        self.round.refresh_from_db()
        self.assertEqual(self.round.course_leader, self.course_leader_x)

    def test_creates_a_team(self):
        response = self.client.post(
            self.url("create_team"),
            {"new-team-name": "Team 2", "new-team-members": [str(self.trainer_2.pk)]},
        )
        self.assertRedirects(response, self.url())
        team = Team.objects.get(round=self.round, name="Team 2")
        self.assertEqual(list(team.members.all()), [self.trainer_2])

    def test_a_person_who_is_not_a_trainer_is_a_form_error(self):
        before = AuditEvent.objects.count()
        for person in [self.participant, self.coordinator_x]:
            with self.subTest(person=person.email):
                response = self.client.post(
                    self.url("create_team"),
                    {"new-team-name": "Team 2", "new-team-members": [str(person.pk)]},
                )
                self.assertEqual(response.status_code, 400)
                form = response.context["new_team_form"]
                self.assertIn("members", form.errors)
                self.assertEqual(form["name"].value(), "Team 2")
        response = self.client.post(
            self.url("change_team", team=self.team.pk),
            {f"team-{self.team.pk}-members": [str(self.participant.pk)]},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("members", response.context["staffing"].teams[0].form.errors)
        self.assertEqual(Team.objects.filter(round=self.round).count(), 1)
        self.assertEqual(list(self.team.members.all()), [self.trainer_x])
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_a_team_needs_a_unique_name(self):
        for name in ["", "team 1"]:
            with self.subTest(name=name):
                response = self.client.post(self.url("create_team"), {"new-team-name": name})
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["new_team_form"].errors)
        self.assertEqual(Team.objects.filter(round=self.round).count(), 1)

    def test_changes_team_members(self):
        response = self.client.post(
            self.url("change_team", team=self.team.pk),
            {f"team-{self.team.pk}-members": [str(self.trainer_x.pk), str(self.trainer_2.pk)]},
        )
        self.assertRedirects(response, self.url())
        self.assertEqual(set(self.team.members.all()), {self.trainer_x, self.trainer_2})

    def test_removes_a_team(self):
        response = self.client.post(self.url("remove_team", team=self.team.pk))
        self.assertRedirects(response, self.url())
        self.assertFalse(Team.objects.filter(round=self.round).exists())
        self.assertFalse(TeamDay.objects.filter(day__round=self.round).exists())

    def test_assigns_a_team_to_a_day_and_takes_it_away(self):
        day = self.days[1]
        field = f"day-{day.pk}-team"
        response = self.client.post(self.url("assign_day", day=day.pk), {field: self.team.pk})
        self.assertRedirects(response, self.url())
        self.assertEqual(TeamDay.objects.get(day=day).team, self.team)
        self.client.post(self.url("assign_day", day=day.pk), {field: ""})
        self.assertFalse(TeamDay.objects.filter(day=day).exists())

    def test_a_team_of_another_round_is_a_form_error(self):
        other = create_team(self.round_y, "Team Y", [], by=self.coordinator_y)
        day = self.days[1]
        response = self.client.post(
            self.url("assign_day", day=day.pk), {f"day-{day.pk}-team": str(other.pk)}
        )
        self.assertEqual(response.status_code, 400)
        [bound] = [d.form for d in response.context["staffing"].days if d.form.is_bound]
        self.assertIn("team", bound.errors)
        self.assertFalse(TeamDay.objects.filter(day=day).exists())
