"""The participant's course page: who may open it, the days, attendance, make-up days,
completion links, the people in the round, and a constant number of queries."""

from django.urls import reverse
from django.utils import translation

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.core.testing import PERSONAS, PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment.models import Attendance, MakeUpDay, Registration
from yrkesresan.rounds.models import Venue
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import Team, TeamDay

from .participant_support import complete, invite, past_round, register

MEETING_URL = "https://meet.example.se/yrkesresan"


class MyCourseTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.venue = Venue.objects.create(
            structure=cls.region_x,
            name="Eskilstuna konferenscenter",
            address="Kungsgatan 12, 632 20 Eskilstuna",
            room="Sal Tunafors",
            capacity=40,
        )
        cls.round = make_round(cls.course, cls.region_x, venue=cls.venue)
        cls.registration = register(cls.participant, cls.round)
        cls.kumla_participant.findable_by_colleagues = True
        cls.kumla_participant.title = "Barnutredare"
        cls.kumla_participant.save()
        register(cls.kumla_participant, cls.round)
        cls.colleague.title = "Familjehemssekreterare"
        cls.colleague.save()
        register(cls.colleague, cls.round)
        register(cls.other_unit_participant, cls.round, Registration.Status.WAITLISTED)
        cls.gone = make_person("avanmald@example.com", unit=cls.unit_a, started=years_ago(1))
        register(cls.gone, cls.round, Registration.Status.CANCELLED)
        cls.round.course_leader = cls.course_leader_x
        cls.round.save()
        team = Team.objects.create(round=cls.round, name="Team 1")
        team.members.set([cls.trainer_x])
        TeamDay.objects.create(team=team, day=cls.round.days.get(number=2))
        TeamDay.objects.create(team=team, day=cls.round.days.get(number=3))

    def url(self, round=None):
        return reverse("participant:my_course", args=[(round or self.round).pk])


class AccessTests(MyCourseTestCase):
    def test_only_the_participants_own_registration_opens_the_page(self):
        allowed = {"participant", "kumla_participant", "colleague", "other_unit_participant"}
        for persona in PERSONAS:
            expected = 302 if persona == "anonymous" else 200 if persona in allowed else 404
            with self.subTest(persona=persona):
                self.client.logout()
                if persona != "anonymous":
                    self.login(getattr(self, persona))
                self.assertEqual(self.client.get(self.url()).status_code, expected)

    def test_a_cancelled_registration_or_an_unknown_round_is_not_found(self):
        self.login(self.gone)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.participant)
        self.assertEqual(
            self.client.get(reverse("participant:my_course", args=[999999])).status_code, 404
        )


class ContentTests(MyCourseTestCase):
    def test_the_days_with_time_place_link_and_themes(self):
        self.login(self.participant)
        response = self.client.get(self.url())
        self.assertContains(response, "Kungsgatan 12, 632 20 Eskilstuna")
        self.assertContains(response, "Eskilstuna konferenscenter, Sal Tunafors")
        self.assertContains(response, f'href="{MEETING_URL}"', count=3)
        self.assertContains(response, "09:00–16:00", count=4)
        for plan in self.course.day_plans.all():
            self.assertContains(response, plan.title)
        day = self.round.days.get(number=2)
        self.assertContains(response, f'id="dag-{day.pk}"')
        self.assertContains(response, reverse("materials:course", args=[self.course.slug]))
        self.assertContains(response, reverse("participant:preparation", args=[self.course.slug]))

    def test_the_waiting_list_sees_the_days_but_not_the_links_or_the_others(self):
        self.login(self.other_unit_participant)
        response = self.client.get(self.url())
        self.assertContains(response, "Kungsgatan 12")
        self.assertNotContains(response, MEETING_URL)
        self.assertIsNone(response.context["page"].round_mates)
        self.assertNotContains(response, "kumla@example.com")
        self.assertNotContains(response, reverse("materials:course", args=[self.course.slug]))
        self.assertNotContains(response, 'name="action"')  # no deep-dive form

    def test_attendance_is_shown_as_marked(self):
        day1, day2 = self.round.days.get(number=1), self.round.days.get(number=2)
        Attendance.objects.create(
            registration=self.registration, day=day1, status="present", marked_by=self.trainer_x
        )
        Attendance.objects.create(
            registration=self.registration,
            day=day2,
            status="partly",
            note="Gick 14.00",
            marked_by=self.trainer_x,
        )
        self.login(self.participant)
        response = self.client.get(self.url())
        rows = {row.day.number: row.attendance for row in response.context["page"].days}
        self.assertEqual((rows[1].status, rows[2].status, rows[3]), ("present", "partly", None))
        self.assertContains(response, "Gick 14.00")
        self.assertContains(response, "<caption>")
        with translation.override("sv"):
            self.assertContains(response, str(Attendance.Status.PARTLY.label))
        # Read-only: no form posts attendance from this page.
        self.assertNotContains(response, 'action="/omgangar/')

    def test_make_up_days_booked_for_the_person(self):
        later = make_round(self.course, self.region_x, name="Omgång 9", first_day=None)
        day = later.days.get(number=2)
        MakeUpDay.objects.create(
            registration=self.registration, day=day, booked_by=self.coordinator_x
        )
        self.login(self.participant)
        response = self.client.get(self.url())
        rows = response.context["page"].make_up_days
        self.assertEqual([(r.day.pk, r.is_make_up) for r in rows], [(day.pk, True)])
        self.assertContains(response, "Omgång 9")
        self.assertEqual(
            response.context["page"].last_day, max(day.date, self.round.days.get(number=4).date)
        )

    def test_completion_links_to_the_certificate_and_the_open_evaluation(self):
        done = past_round(self.course, self.region_x)
        registration = register(self.solna_participant, done)
        completion = complete(registration)
        invitation = invite(completion)
        self.login(self.solna_participant)
        url = self.url(done)
        response = self.client.get(url)
        self.assertContains(response, reverse("leader:certificate", args=[completion.pk]))
        self.assertContains(response, reverse("evaluations:answer", args=[done.pk]))
        invitation.answered = True
        invitation.save()
        response = self.client.get(url)
        self.assertContains(response, reverse("leader:certificate", args=[completion.pk]))
        self.assertNotContains(response, reverse("evaluations:answer", args=[done.pk]))

    def test_no_certificate_before_completion(self):
        self.login(self.participant)
        self.assertNotContains(self.client.get(self.url()), "/intyg/pdf/")


class RoundMatesTests(MyCourseTestCase):
    def test_the_others_in_the_round_with_contact_details_only_when_opted_in(self):
        self.login(self.participant)
        response = self.client.get(self.url())
        mates = [r.person for r in response.context["page"].round_mates]
        self.assertEqual(set(mates), {self.kumla_participant, self.colleague})
        # Opted in: name, municipality, title and e-mail.
        self.assertContains(response, self.kumla_participant.get_full_name())
        self.assertContains(response, "Kumla")
        self.assertContains(response, "Barnutredare")
        self.assertContains(response, 'href="mailto:kumla@example.com"')
        # Not opted in: name and municipality only.
        self.assertContains(response, self.colleague.get_full_name())
        self.assertNotContains(response, "kollega@example.com")
        self.assertNotContains(response, "Familjehemssekreterare")
        # Nobody on the waiting list, nobody cancelled, not oneself.
        self.assertNotContains(response, "familjehem@example.com")
        self.assertNotContains(response, self.other_unit_participant.get_full_name())
        self.assertNotContains(response, self.gone.get_full_name())
        self.assertNotIn(self.participant, mates)

    def test_the_course_leader_and_the_trainers_with_their_days(self):
        self.login(self.participant)
        response = self.client.get(self.url())
        workers = response.context["page"].workers
        self.assertEqual(
            [(w.person, w.is_course_leader, w.day_numbers) for w in workers],
            [(self.course_leader_x, True, [1, 2, 3, 4]), (self.trainer_x, False, [2, 3])],
        )
        # Trainers' e-mail addresses stay private unless they opted in too.
        self.assertNotContains(response, "utbildare@example.com")
        days = {row.day.number: row.trainers for row in response.context["page"].days}
        self.assertEqual(days[2], [self.course_leader_x, self.trainer_x])
        self.assertEqual(days[1], [self.course_leader_x])

    def test_a_trainer_who_lost_the_role_is_still_shown_while_active(self):
        RoleAssignment.objects.filter(user=self.trainer_x).delete()
        self.trainer_x.is_active = False
        self.trainer_x.save()
        self.login(self.participant)
        workers = self.client.get(self.url()).context["page"].workers
        self.assertEqual([w.person for w in workers], [self.course_leader_x])


class QueryCountTests(MyCourseTestCase):
    def test_the_page_makes_the_same_queries_whatever_the_size_of_the_round(self):
        self.login(self.participant)
        before = count_queries(self.client, self.url())
        trainers = []
        for n in range(8):
            trainer = make_person(f"utb{n}@example.com", municipality=self.kumla)
            RoleAssignment.objects.create(
                user=trainer, role=RoleAssignment.Role.TRAINER, structure=self.region_x
            )
            trainers.append(trainer)
        team = Team.objects.create(round=self.round, name="Team 2")
        team.members.set(trainers)
        TeamDay.objects.create(team=team, day=self.round.days.get(number=4))
        for n in range(25):
            person = make_person(
                f"deltagare{n}@example.com",
                unit=self.unit_kumla,
                started=years_ago(1),
                findable_by_colleagues=n % 2 == 0,
            )
            register(person, self.round)
        later = make_round(self.course, self.region_x, name="Omgång 9")
        for day in later.days.all():
            MakeUpDay.objects.create(registration=self.registration, day=day)
        for day in self.round.days.all():
            Attendance.objects.create(registration=self.registration, day=day, status="present")
        after = count_queries(self.client, self.url())
        self.assertEqual(before, after)
        self.assertLessEqual(after, 16)
