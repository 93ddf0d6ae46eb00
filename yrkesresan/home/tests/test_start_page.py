"""The start page per role: each role's panel of work first, each item a link to where it is
done, with the same number of queries however much data there is."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import DeepDiveTask
from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment.models import DeepDiveAnswer, Registration
from yrkesresan.enrolment.queries import attention_for
from yrkesresan.enrolment.services import register
from yrkesresan.learning.tests.participant_support import dated_round
from yrkesresan.rounds.models import CourseDay, Round, Venue
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Plan, PlanAssignment, Team, TeamDay

HOME = reverse("home:home")


def staffed(round, trainer, leader=None):
    """Give `round` a course leader and every day a team of `trainer`."""
    team = Team.objects.create(round=round, name="Team 1")
    team.members.add(trainer)
    for day in round.days.all():
        TeamDay.objects.create(day=day, team=team)
    round.course_leader = leader
    round.save()
    return round


def checked(round):
    round.days.update(room_booked=True, fika_ordered=True, material_sent=True, link_sent=True)
    return round


class AttentionListTests(PersonaTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.today = timezone.localdate()

    def kinds(self, structure=None):
        items = attention_for({(structure or self.region_x).pk}, self.today)
        return [item.kind for item in items]

    def test_a_round_in_good_order_needs_nothing(self):
        checked(
            staffed(make_round(self.course, self.region_x), self.trainer_x, self.course_leader_x)
        )
        self.assertEqual(self.kinds(), [])

    def test_a_round_without_course_leader_and_a_day_without_team(self):
        round = checked(make_round(self.course, self.region_x, days=2))
        items = attention_for({self.region_x.pk}, self.today)
        self.assertEqual(
            [i.kind for i in items], ["no_course_leader", "day_without_team", "day_without_team"]
        )
        staffing_page = reverse("staffing:round_staffing", args=[round.pk])
        self.assertEqual(items[0].url, staffing_page)
        self.assertEqual(items[1].url, f"{staffing_page}#day-{round.days.get(number=1).pk}")

    def test_an_open_checklist_counts_within_fourteen_days_only(self):
        soon = self.today + datetime.timedelta(days=14)
        round = staffed(
            make_round(self.course, self.region_x, first_day=soon, days=2),
            self.trainer_x,
            self.course_leader_x,
        )
        items = attention_for({self.region_x.pk}, self.today)
        self.assertEqual([i.kind for i in items], ["checklist_open", "registration_closing"])
        self.assertIn("room, fika, material, link", items[0].text)
        self.assertEqual(items[0].url, reverse("rounds:day_edit", args=[round.pk, 1]))

    def test_a_venue_smaller_than_the_rounds_seats(self):
        venue = Venue.objects.create(
            structure=self.region_x, name="Lilla salen", address="Gatan 1", capacity=12
        )
        round = checked(
            staffed(
                make_round(self.course, self.region_x, seats=20, venue=venue),
                self.trainer_x,
                self.course_leader_x,
            )
        )
        items = attention_for({self.region_x.pk}, self.today)
        self.assertEqual([i.kind for i in items], ["over_capacity"])
        self.assertIn("Lilla salen takes 12, the round has 20 seats", items[0].text)
        self.assertEqual(items[0].url, reverse("rounds:day_edit", args=[round.pk, 1]))
        Round.objects.filter(pk=round.pk).update(seats=12)
        self.assertEqual(self.kinds(), [])

    def test_a_free_seat_with_people_waiting(self):
        round = checked(
            staffed(
                make_round(self.course, self.region_x, seats=1),
                self.trainer_x,
                self.course_leader_x,
            )
        )
        register(self.participant, round, by=self.manager_a)
        waiting = register(self.other_unit_participant, round, by=self.contact_eskilstuna)
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)
        self.assertEqual(self.kinds(), [])
        Round.objects.filter(pk=round.pk).update(seats=2)  # not through change_seats: no promotion
        self.assertEqual(self.kinds(), ["seat_with_waiting"])

    def test_a_draft_whose_registration_should_have_opened(self):
        checked(
            staffed(
                make_round(self.course, self.region_x, status=Round.Status.DRAFT),
                self.trainer_x,
                self.course_leader_x,
            )
        )
        self.assertEqual(self.kinds(), ["draft_should_open"])

    def test_a_round_under_its_minimum_three_weeks_before_it_starts(self):
        round = checked(
            staffed(
                make_round(
                    self.course,
                    self.region_x,
                    first_day=self.today + datetime.timedelta(days=21),
                ),
                self.trainer_x,
                self.course_leader_x,
            )
        )
        Round.objects.filter(pk=round.pk).update(registration_closes_on=self.today)
        Round.objects.filter(pk=round.pk).update(minimum_participants=2)
        register(self.participant, round, by=self.manager_a)
        items = attention_for({self.region_x.pk}, self.today)
        self.assertEqual([i.kind for i in items], ["under_minimum", "registration_closing"])
        self.assertIn("with 1 registered, fewer than its minimum of 2", items[0].text)
        self.assertEqual(items[0].url, reverse("enrolment:round", args=[round.pk]))
        register(self.other_unit_participant, round, by=self.contact_eskilstuna)
        self.assertEqual(self.kinds(), ["registration_closing"])

    def test_a_minimum_further_than_three_weeks_away_or_absent_waits(self):
        far = checked(
            staffed(
                make_round(
                    self.course,
                    self.region_x,
                    first_day=self.today + datetime.timedelta(days=22),
                ),
                self.trainer_x,
                self.course_leader_x,
            )
        )
        Round.objects.filter(pk=far.pk).update(minimum_participants=5)
        self.assertEqual(self.kinds(), [])
        Round.objects.filter(pk=far.pk).update(minimum_participants=None)
        far.days.update(date=self.today + datetime.timedelta(days=3))
        Round.objects.filter(pk=far.pk).update(
            registration_closes_on=self.today - datetime.timedelta(days=1)
        )
        self.assertEqual(self.kinds(), [])

    def test_a_trainer_who_has_not_confirmed_the_days_of_an_accepted_plan(self):
        round = checked(
            staffed(
                make_round(self.course, self.region_x, days=3), self.trainer_x, self.course_leader_x
            )
        )
        days = list(round.days.order_by("number"))
        plan = Plan.objects.create(
            structure=self.region_x, term=round.term, status=Plan.Status.ACCEPTED
        )
        for day, response in zip(
            days,
            (
                PlanAssignment.Response.CONFIRMED,
                PlanAssignment.Response.PENDING,
                PlanAssignment.Response.PENDING,
            ),
            strict=True,
        ):
            PlanAssignment.objects.create(
                plan=plan, day=day, person=self.trainer_x, team=1, date=day.date, response=response
            )
        items = attention_for({self.region_x.pk}, self.today)
        self.assertEqual([i.kind for i in items], ["day_not_confirmed"])
        self.assertIn(f"has not confirmed 2 days in the plan for {round.term}", items[0].text)
        self.assertEqual(
            items[0].url, reverse("staffing:term_plan", args=[self.region_x.pk, round.term])
        )
        self.assertEqual(items[0].date, days[1].date)
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PROPOSED)
        self.assertEqual(self.kinds(), [], "a proposal asks nobody yet")
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACCEPTED)
        plan.assignments.update(response=PlanAssignment.Response.CONFIRMED)
        self.assertEqual(self.kinds(), [])

    def test_another_regions_rounds_are_not_listed(self):
        make_round(self.course, self.region_x)
        self.assertEqual(self.kinds(self.region_y), [])

    def test_the_coordinator_sees_the_list_on_the_start_page(self):
        round = make_round(self.course, self.region_x, days=1)
        self.client.force_login(self.coordinator_x)
        response = self.client.get(HOME)
        self.assertContains(response, reverse("staffing:round_staffing", args=[round.pk]))
        self.assertContains(response, 'data-kind="day_without_team"')


class TeachingPanelTests(PersonaTestCase):
    def test_the_course_leader_opens_todays_attendance_from_the_start_page(self):
        today = timezone.localdate()
        round = staffed(
            dated_round(self.course, self.region_x, today, status=Round.Status.RUNNING),
            self.trainer_x,
            self.course_leader_x,
        )
        self.client.force_login(self.course_leader_x)
        response = self.client.get(HOME)
        self.assertContains(response, reverse("leader:attendance", args=[round.pk, 1]))
        self.assertEqual(response.context["teaching"]["days"][0].date, today)

    def test_answers_waiting_for_review_are_counted_with_a_link(self):
        round = staffed(
            make_round(self.course, self.region_x), self.trainer_x, self.course_leader_x
        )
        registration = register(self.participant, round, by=self.manager_a)
        DeepDiveAnswer.objects.create(
            registration=registration,
            task=DeepDiveTask.objects.get(course=self.course),
            text="Svar",
            status=DeepDiveAnswer.Status.SUBMITTED,
        )
        self.client.force_login(self.course_leader_x)
        response = self.client.get(HOME)
        (work,) = response.context["teaching"]["rounds"]
        self.assertEqual(work.to_review, 1)
        self.assertContains(response, reverse("leader:review", args=[round.pk]))

    def test_participants_to_mark_complete_once_the_last_day_has_passed(self):
        first = timezone.localdate() - datetime.timedelta(days=30)
        round = dated_round(self.course, self.region_x, first, status=Round.Status.RUNNING)
        round.course_leader = self.course_leader_x
        round.save()
        Registration.objects.create(
            round=round,
            person=self.participant,
            status=Registration.Status.REGISTERED,
            queued_at=timezone.now(),
        )
        self.client.force_login(self.course_leader_x)
        response = self.client.get(HOME)
        (work,) = response.context["teaching"]["rounds"]
        self.assertEqual(work.to_complete, 1)
        self.assertContains(response, reverse("leader:completion", args=[round.pk]))


class TeamPanelTests(PersonaTestCase):
    def test_the_manager_sees_their_units_staff_and_the_open_rounds_with_seats_left(self):
        round = make_round(self.course, self.region_x, seats=5)
        register(self.participant, round, by=self.manager_a)
        self.client.force_login(self.manager_a)
        response = self.client.get(HOME)
        team = response.context["team"]
        people = {row.person for row in team["rows"]}
        self.assertIn(self.participant, people)
        self.assertNotIn(self.other_unit_participant, people)
        self.assertEqual([(r.pk, r.seats_left) for r in team["rounds"]], [(round.pk, 4)])
        self.assertEqual(team["summary"].in_round, 1)
        by_step = {item.step: item for item in team["by_step"]}
        self.assertEqual(by_step["Ny"].in_round, 1)  # the participant, on the course's step
        self.assertEqual(by_step["Erfaren"].needs_seat, 0)  # the colleague: no course there
        self.assertContains(response, reverse("enrolment:register_many"))

    def test_a_participant_sees_no_work_panels(self):
        self.client.force_login(self.participant)
        response = self.client.get(HOME)
        for panel in ("attention", "teaching", "team"):
            self.assertNotIn(panel, response.context)


class ContactPanelTests(PersonaTestCase):
    def test_the_contact_sees_who_waits_the_rounds_and_what_is_owed_per_term(self):
        round = make_round(self.course, self.region_x, seats=1)
        Round.objects.filter(pk=round.pk).update(
            fee_model=Round.FeeModel.PER_PARTICIPANT, fee_amount=1500
        )
        register(self.participant, round, by=self.manager_a)
        register(self.other_unit_participant, round, by=self.contact_eskilstuna)
        register(self.kumla_participant, round, by=self.manager_kumla)  # another municipality
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(HOME)
        (work,) = response.context["contact_municipalities"]
        self.assertEqual(
            (work.municipality.in_round_count, work.municipality.waiting_count), (1, 1)
        )
        (shown,) = work.rounds
        self.assertEqual((shown.pk, shown.mine_registered, shown.mine_waiting), (round.pk, 1, 1))
        # The seat is billed, the waiting list is not.
        self.assertEqual(work.fees, [(round.term, 1500, 1)])

    def test_the_contact_sees_the_staff_by_step_with_who_is_in_a_round_and_who_waits(self):
        round = make_round(self.course, self.region_x, seats=1)
        register(self.participant, round, by=self.manager_a)
        register(self.other_unit_participant, round, by=self.contact_eskilstuna)
        register(self.kumla_participant, round, by=self.manager_kumla)  # not counted here
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(HOME)
        (work,) = response.context["contact_municipalities"]
        staff = User.objects.filter(municipality=self.eskilstuna, is_active=True)
        on_journey = [c for c in work.by_step if c.journey == self.journey.name]
        self.assertEqual(sum(c.staff for c in on_journey), staff.count())
        self.assertEqual(sum(c.in_round for c in on_journey), 1)
        self.assertEqual(sum(c.waiting for c in on_journey), 1)
        step = self.journey.suggested_step(self.participant)
        (mine,) = [c for c in on_journey if c.step == step.name]
        self.assertEqual(
            mine.staff,
            sum(1 for person in staff if self.journey.suggested_step(person) == step),
        )
        self.assertGreaterEqual(mine.in_round, 1)
        self.assertContains(response, f'id="steps-caption-{self.eskilstuna.pk}"')


class EditorPanelTests(PersonaTestCase):
    def test_the_editor_sees_their_journeys_courses_with_rounds_and_completions(self):
        make_round(self.course, self.region_x)
        make_round(self.course, self.region_y, status=Round.Status.RUNNING)
        self.client.force_login(self.editor)
        response = self.client.get(HOME)
        courses = list(response.context["edited_courses"])
        self.assertEqual([c.pk for c in courses], [self.course.pk])
        (course,) = courses
        self.assertEqual((course.planned_rounds, course.running_rounds), (1, 1))
        # The results open in the comparison that keeps the threshold of five against
        # differencing (reports.disclosure), narrowed to the course.
        results = f"{reverse('reports:mode_comparison')}?kurs={self.course.slug}"
        self.assertContains(response, results)
        self.assertEqual(self.client.get(results).status_code, 200)


class StartPageQueryCountTests(PersonaTestCase):
    """The start page makes the same number of queries for each role at two data sizes."""

    ROLES = (
        "coordinator_x",
        "course_leader_x",
        "trainer_x",
        "manager_a",
        "contact_eskilstuna",
        "editor",
        "participant",
        "admin",
    )

    def grow(self, rounds):
        """`rounds` more rounds in Region X, each with a waiting list, its days staffed or not,
        and new staff of unit A registered."""
        today = timezone.localdate()
        start = Round.objects.count()
        for n in range(start, start + rounds):
            round = dated_round(
                self.course,
                self.region_x,
                today + datetime.timedelta(days=n),
                seats=1,
                name=f"Omgång {n + 10}",
            )
            if n % 2:
                staffed(round, self.trainer_x, self.course_leader_x)
            Round.objects.filter(pk=round.pk).update(minimum_participants=3)
            plan, _ = Plan.objects.get_or_create(
                structure=self.region_x, term=round.term, status=Plan.Status.ACCEPTED
            )
            for day in round.days.all():
                PlanAssignment.objects.create(
                    plan=plan, day=day, person=self.trainer_x, team=1, date=day.date
                )
            for k in range(2):
                person = make_person(
                    f"p{n}.{k}@example.com", unit=self.unit_a, started=years_ago(1)
                )
                register(person, round, by=self.manager_a)
            CourseDay.objects.filter(round=round, number=2).update(room_booked=True)

    def counts(self):
        found = {}
        for role in self.ROLES:
            self.client.force_login(getattr(self, role))
            found[role] = count_queries(self.client, HOME)
        return found

    def test_the_same_queries_for_each_role_with_little_and_much_data(self):
        self.grow(2)
        small = self.counts()
        self.grow(6)
        large = self.counts()
        self.assertEqual(small, large)
        # Five for everyone (session, user with their roles, the journey map's reads); the support
        # structure section one for the people of a structure; the coordinator's attention
        # list nine; the teaching panel's days two, their handover notes one and the rounds led
        # one; the manager's panel (the staff of their units with their places, the open
        # rounds with seats left, the units of the new hire form) nine; the municipal
        # contact's panel (the municipalities with their counts, their staff's registrations
        # by round, those rounds; the journeys, their steps and the staff by step) six, in
        # place of one; the editor's courses one, in place of one.
        self.assertEqual(
            large,
            {
                "coordinator_x": 15,
                "course_leader_x": 10,
                "trainer_x": 10,
                "manager_a": 14,
                "contact_eskilstuna": 10,
                "editor": 5,
                "participant": 5,
                "admin": 5,
            },
        )
