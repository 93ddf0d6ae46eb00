from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.demo.staffing import seed_staffing
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.services import warnings
from yrkesresan.staffing.tests.helpers import make_trainer


class SeedStaffingTests(PersonaTestCase):
    def test_two_teams_of_four_on_two_days_each_and_the_course_leader(self):
        round = make_round(self.course, self.region_x)
        trainers = [self.trainer_x] + [
            make_trainer(f"utbildare{n}@example.com", self.region_x) for n in range(2, 9)
        ]
        seed_staffing(round, trainers, self.course_leader_x)
        events = AuditEvent.objects.count()
        seed_staffing(round, trainers, self.course_leader_x)

        self.assertEqual(AuditEvent.objects.count(), events)
        round.refresh_from_db()
        self.assertEqual(round.course_leader, self.course_leader_x)
        teams = list(round.teams.order_by("name"))
        self.assertEqual([t.name for t in teams], ["Team 1", "Team 2"])
        self.assertEqual(list(teams[0].members.order_by("pk")), trainers[:4])
        self.assertEqual(list(teams[1].members.order_by("pk")), trainers[4:])
        by_day = {d.number: d.team_assignment.team.name for d in round.days.all()}
        self.assertEqual(by_day, {1: "Team 1", 2: "Team 1", 3: "Team 2", 4: "Team 2"})
        self.assertEqual(warnings(round), [])
