import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Team, TeamDay
from yrkesresan.staffing.services import (
    StaffingError,
    StaffingWarning,
    assign_team_to_day,
    change_team_members,
    create_team,
    days_for_trainer,
    remove_team,
    set_course_leader,
    trainers_of_day,
    warnings,
)

from .helpers import make_trainer

FIRST_DAY = timezone.localdate() + datetime.timedelta(days=60)


def kinds(round):
    return [w.kind for w in warnings(round)]


class StaffingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainer_2 = make_trainer("utbildare2@example.com", cls.region_x, cls.kumla)
        cls.trainer_y = make_trainer("utbildare.y@example.com", cls.region_y, cls.solna)

    def setUp(self):
        self.round = make_round(self.course, self.region_x, first_day=FIRST_DAY)
        self.days = list(self.round.days.order_by("number"))


class CreateTeamTests(StaffingTestCase):
    def test_makes_a_team_of_trainers_and_logs_it(self):
        team = create_team(
            self.round, " Team 1 ", [self.trainer_x, self.trainer_2], by=self.coordinator_x
        )
        self.assertEqual(team.name, "Team 1")
        self.assertEqual(set(team.members.all()), {self.trainer_x, self.trainer_2})
        event = AuditEvent.objects.get(action="team.created")
        self.assertEqual(event.actor, self.coordinator_x)
        self.assertEqual(event.data["members"], sorted([self.trainer_x.pk, self.trainer_2.pk]))

    def test_refuses_people_who_are_not_trainers_of_the_structure(self):
        for outsider in [self.participant, self.coordinator_x, self.trainer_y]:
            with self.subTest(outsider=outsider.email), self.assertRaises(StaffingError):
                create_team(self.round, "Team 1", [self.trainer_x, outsider], by=self.coordinator_x)
        self.assertFalse(Team.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_refuses_a_second_team_with_the_same_name(self):
        create_team(self.round, "Team 1", [], by=self.coordinator_x)
        with self.assertRaises(StaffingError):
            create_team(self.round, "team 1", [], by=self.coordinator_x)
        self.assertEqual(Team.objects.count(), 1)

    def test_changing_members_checks_them_too(self):
        team = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        with self.assertRaises(StaffingError):
            change_team_members(team, [self.participant], by=self.coordinator_x)
        change_team_members(team, [self.trainer_2], by=self.coordinator_x)
        self.assertEqual(list(team.members.all()), [self.trainer_2])


class SetCourseLeaderTests(StaffingTestCase):
    def test_the_course_leader_role_is_required(self):
        for person in [self.trainer_x, self.participant]:
            with self.subTest(person=person.email), self.assertRaises(StaffingError):
                set_course_leader(self.round, person, by=self.coordinator_x)
        self.round.refresh_from_db()
        self.assertIsNone(self.round.course_leader)

    def test_a_course_leader_of_another_structure_is_refused(self):
        other = make_trainer("ledare.y@example.com", self.region_y, course_leader=True)
        with self.assertRaises(StaffingError):
            set_course_leader(self.round, other, by=self.coordinator_x)

    def test_writes_the_round_and_logs_once(self):
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        self.round.refresh_from_db()
        self.assertEqual(self.round.course_leader, self.course_leader_x)
        self.assertEqual(AuditEvent.objects.filter(action="round.course_leader_set").count(), 1)

    def test_none_removes_the_course_leader(self):
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        set_course_leader(self.round, None, by=self.coordinator_x)
        self.round.refresh_from_db()
        self.assertIsNone(self.round.course_leader)


class AssignTeamToDayTests(StaffingTestCase):
    def test_a_day_has_one_team_and_a_new_one_replaces_it(self):
        team_1 = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        team_2 = create_team(self.round, "Team 2", [self.trainer_2], by=self.coordinator_x)
        assign_team_to_day(self.days[0], team_1, by=self.coordinator_x)
        assign_team_to_day(self.days[0], team_2, by=self.coordinator_x)
        self.assertEqual(TeamDay.objects.get().team, team_2)
        self.assertEqual(AuditEvent.objects.filter(action="course_day.team_assigned").count(), 2)

    def test_none_takes_the_day_from_its_team(self):
        team = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        assign_team_to_day(self.days[0], team, by=self.coordinator_x)
        assign_team_to_day(self.days[0], None, by=self.coordinator_x)
        self.assertFalse(TeamDay.objects.exists())

    def test_a_team_of_another_round_is_refused(self):
        other = make_round(self.course, self.region_x, name="Omgång 2")
        team = create_team(other, "Team 1", [self.trainer_x], by=self.coordinator_x)
        with self.assertRaises(StaffingError):
            assign_team_to_day(self.days[0], team, by=self.coordinator_x)
        self.assertFalse(TeamDay.objects.exists())

    def test_removing_a_team_leaves_its_days_without_a_team(self):
        team = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        assign_team_to_day(self.days[0], team, by=self.coordinator_x)
        remove_team(team, by=self.coordinator_x)
        self.assertFalse(TeamDay.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="team.removed").exists())

    def test_trainers_of_a_day_are_the_course_leader_then_the_team(self):
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        team = create_team(
            self.round, "Team 1", [self.trainer_2, self.course_leader_x], by=self.coordinator_x
        )
        assign_team_to_day(self.days[0], team, by=self.coordinator_x)
        self.assertEqual(trainers_of_day(self.days[0]), [self.course_leader_x, self.trainer_2])
        self.assertEqual(trainers_of_day(self.days[1]), [self.course_leader_x])


class WarningTests(StaffingTestCase):
    def staff_fully(self, round, team_1, team_2, leader=None):
        """Two teams on the round's four days (1–2 and 3–4) and a course leader."""
        set_course_leader(round, leader or self.course_leader_x, by=self.coordinator_x)
        teams = [
            create_team(round, "Team 1", team_1, by=self.coordinator_x),
            create_team(round, "Team 2", team_2, by=self.coordinator_x),
        ]
        for day in round.days.all():
            assign_team_to_day(day, teams[(day.number - 1) // 2], by=self.coordinator_x)
        return teams

    def test_a_fully_staffed_round_has_no_warnings(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        self.assertEqual(warnings(self.round), [])

    def test_days_without_a_team_and_a_missing_course_leader(self):
        self.assertEqual(
            kinds(self.round),
            [StaffingWarning.NO_COURSE_LEADER] + [StaffingWarning.DAY_WITHOUT_TEAM] * 4,
        )
        self.assertEqual(warnings(self.round)[1].day, self.days[0])
        self.assertTrue(all(w.message for w in warnings(self.round)))

    def test_a_team_without_trainers(self):
        teams = self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        change_team_members(teams[1], [], by=self.coordinator_x)
        [warning] = warnings(self.round)
        self.assertEqual(warning.kind, StaffingWarning.TEAM_WITHOUT_MEMBERS)
        self.assertEqual(warning.team, teams[1])

    def test_a_member_whose_trainer_role_was_withdrawn(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        RoleAssignment.objects.filter(user=self.trainer_2).delete()
        [warning] = warnings(self.round)
        self.assertEqual(warning.kind, StaffingWarning.NOT_A_TRAINER)
        self.assertEqual(warning.person, self.trainer_2)

    def test_a_course_leader_whose_role_was_withdrawn(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        RoleAssignment.objects.filter(
            user=self.course_leader_x, role=RoleAssignment.Role.COURSE_LEADER
        ).delete()
        self.assertEqual(kinds(self.round), [StaffingWarning.NOT_A_COURSE_LEADER])

    def test_a_trainer_booked_on_the_same_date_in_another_round(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        other = make_round(self.course, self.region_x, name="Omgång 2", first_day=FIRST_DAY)
        leader_2 = make_trainer("ledare2@example.com", self.region_x, course_leader=True)
        set_course_leader(other, leader_2, by=self.coordinator_x)
        team = create_team(other, "Team 1", [self.trainer_x], by=self.coordinator_x)
        # Day 2 there is on the date of day 2 here, where trainer_x is in Team 1.
        assign_team_to_day(other.days.get(number=2), team, by=self.coordinator_x)

        [here] = warnings(self.round)
        self.assertEqual(here.kind, StaffingWarning.DOUBLE_BOOKED)
        self.assertEqual((here.person, here.day.number), (self.trainer_x, 2))
        [there] = [w for w in warnings(other) if w.kind == StaffingWarning.DOUBLE_BOOKED]
        self.assertEqual((there.person, there.day.number), (self.trainer_x, 2))

    def test_the_course_leader_counts_on_every_day_of_their_round(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        later = FIRST_DAY + datetime.timedelta(days=21)  # the date of day 4 here
        other = make_round(self.course, self.region_x, name="Omgång 2", first_day=later)
        leader_2 = make_trainer("ledare2@example.com", self.region_x, course_leader=True)
        # The course leader trains in the other round's day 1, the date of day 4 here, where
        # they are not in the team but present as course leader.
        self.staff_fully(other, [self.course_leader_x], [self.trainer_2], leader=leader_2)
        double = [w for w in warnings(self.round) if w.kind == StaffingWarning.DOUBLE_BOOKED]
        self.assertEqual([(w.person, w.day.number) for w in double], [(self.course_leader_x, 4)])

    def test_rounds_of_other_structures_and_cancelled_rounds_do_not_count(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        cancelled = make_round(
            self.course,
            self.region_x,
            name="Omgång 2",
            first_day=FIRST_DAY,
            status=Round.Status.CANCELLED,
        )
        self.staff_fully(cancelled, [self.trainer_x], [self.trainer_2])
        self.assertEqual(warnings(self.round), [])

    def test_a_trainer_who_is_also_a_participant(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        # Registered before joining the team (the registration rules refuse it after).
        Registration.objects.create(
            round=self.round, person=self.trainer_2, status=Registration.Status.WAITLISTED
        )
        [warning] = warnings(self.round)
        self.assertEqual(warning.kind, StaffingWarning.PARTICIPANT_ON_STAFF)
        self.assertEqual(warning.person, self.trainer_2)
        self.assertIn("Team 2", warning.message)

    def test_a_course_leader_who_is_also_a_participant(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        Registration.objects.create(
            round=self.round, person=self.course_leader_x, status=Registration.Status.REGISTERED
        )
        [warning] = warnings(self.round)
        self.assertEqual(warning.kind, StaffingWarning.PARTICIPANT_ON_STAFF)
        self.assertEqual(warning.person, self.course_leader_x)

    def test_a_cancelled_registration_is_no_warning(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        Registration.objects.create(
            round=self.round, person=self.trainer_x, status=Registration.Status.CANCELLED
        )
        self.assertEqual(warnings(self.round), [])

    def test_a_participant_in_both_teams_is_one_warning_of_each_kind(self):
        self.staff_fully(self.round, [self.trainer_x, self.trainer_2], [self.trainer_2])
        Registration.objects.create(
            round=self.round, person=self.trainer_2, status=Registration.Status.REGISTERED
        )
        self.assertEqual(
            kinds(self.round),
            [StaffingWarning.PARTICIPANT_ON_STAFF, StaffingWarning.IN_SEVERAL_TEAMS],
        )

    def test_a_trainer_in_both_teams(self):
        self.staff_fully(self.round, [self.trainer_x, self.trainer_2], [self.trainer_2])
        [warning] = warnings(self.round)
        self.assertEqual(warning.kind, StaffingWarning.IN_SEVERAL_TEAMS)
        self.assertEqual(warning.person, self.trainer_2)
        self.assertIn("Team 1", warning.message)
        self.assertIn("Team 2", warning.message)

    def test_the_number_of_queries_does_not_grow(self):
        self.staff_fully(self.round, [self.trainer_x], [self.trainer_2])
        other = make_round(self.course, self.region_x, name="Omgång 9", first_day=FIRST_DAY)
        self.staff_fully(other, [self.trainer_x], [])
        round = Round.objects.select_related("course_leader", "structure").get(pk=self.round.pk)
        with CaptureQueriesContext(connection) as before:
            warnings(round)
        for n in range(3):
            other = make_round(
                self.course, self.region_x, name=f"Omgång {n + 2}", first_day=FIRST_DAY
            )
            self.staff_fully(
                other,
                [make_trainer(f"t{n}a@example.com", self.region_x), self.trainer_x],
                [make_trainer(f"t{n}b@example.com", self.region_x)],
            )
        round = Round.objects.select_related("course_leader", "structure").get(pk=self.round.pk)
        with self.assertNumQueries(len(before.captured_queries)):
            found = warnings(round)
        self.assertGreater(len(found), 3)


class DaysForTrainerTests(StaffingTestCase):
    def test_a_trainer_sees_the_coming_days_of_their_team_in_date_order(self):
        team_1 = create_team(
            self.round, "Team 1", [self.trainer_x, self.trainer_2], by=self.coordinator_x
        )
        team_2 = create_team(self.round, "Team 2", [self.trainer_2], by=self.coordinator_x)
        for day in self.days:
            assign_team_to_day(day, team_1 if day.number <= 2 else team_2, by=self.coordinator_x)
        earlier = make_round(
            self.course, self.region_x, name="Omgång 0", first_day=FIRST_DAY - datetime.timedelta(1)
        )
        team_0 = create_team(earlier, "Team 1", [self.trainer_x], by=self.coordinator_x)
        assign_team_to_day(earlier.days.get(number=1), team_0, by=self.coordinator_x)

        days = days_for_trainer(self.trainer_x)
        self.assertEqual(
            [(d.round.name, d.number) for d in days],
            [("Omgång 0", 1), ("Omgång 1", 1), ("Omgång 1", 2)],
        )
        self.assertEqual(days[1].team, team_1)
        self.assertEqual(days[1].teammates, [self.trainer_2])
        self.assertTrue(days[1].in_team)
        self.assertFalse(days[1].as_course_leader)

    def test_the_course_leader_sees_every_day_of_their_rounds(self):
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        team = create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        assign_team_to_day(self.days[0], team, by=self.coordinator_x)
        days = days_for_trainer(self.course_leader_x)
        self.assertEqual([d.number for d in days], [1, 2, 3, 4])
        self.assertTrue(all(d.as_course_leader for d in days))
        self.assertEqual(days[0].teammates, [self.trainer_x])
        self.assertFalse(days[0].in_team)

    def test_past_days_and_cancelled_rounds_are_left_out(self):
        set_course_leader(self.round, self.course_leader_x, by=self.coordinator_x)
        past = make_round(self.course, self.region_x, name="Omgång 0")
        # Days 1–3 of the earlier round are over; day 4 is tomorrow.
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for day in past.days.all():
            day.date = tomorrow - datetime.timedelta(days=7 * (4 - day.number))
            day.save()
        set_course_leader(past, self.course_leader_x, by=self.coordinator_x)
        self.assertEqual(
            [(d.round.name, d.number) for d in days_for_trainer(self.course_leader_x)][:3],
            [("Omgång 0", 4), ("Omgång 1", 1), ("Omgång 1", 2)],
        )
        Round.objects.filter(pk=self.round.pk).update(status=Round.Status.CANCELLED)
        self.assertEqual(len(days_for_trainer(self.course_leader_x)), 1)

    def test_someone_on_no_team_has_no_days(self):
        self.assertEqual(days_for_trainer(self.participant), [])
