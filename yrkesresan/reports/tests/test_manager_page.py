"""The manager's page: my staff, their step, where they are registered, who needs a place."""

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.tests.test_support import RoundsTestCase, create_round, open_round


class MyStaffTests(RoundsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second = create_round(cls, name="Omgång 2", seats=10)
        open_round(cls.second, cls.coordinator_x)
        cls.van_course = Course.objects.create(
            step=cls.steps["van"], slug="van-kurs", title="Van-kursen", course_days=2
        )

    def rows(self, persona, **params):
        self.client.force_login(persona)
        response = self.client.get(reverse("reports:my_staff"), params)
        self.assertEqual(response.status_code, 200)
        return {row.person.email: row for row in response.context["rows"]}

    def test_a_manager_sees_their_unit_only(self):
        self.assertEqual(
            set(self.rows(self.manager_a)),
            {"deltagare@example.com", "kollega@example.com", "chef.a@example.com"},
        )
        self.assertEqual(
            set(self.rows(self.manager_kumla)), {"kumla@example.com", "chef.kumla@example.com"}
        )

    def test_the_municipal_contact_sees_the_municipality(self):
        rows = self.rows(self.contact_eskilstuna)
        self.assertIn("familjehem@example.com", rows)
        self.assertNotIn("kumla@example.com", rows)

    def test_places_and_gaps(self):
        rows = self.rows(self.manager_a)
        participant = rows["deltagare@example.com"]
        self.assertEqual(participant.steps[0].slug, "ny")
        self.assertEqual([r.round.pk for r in participant.places], [self.round.pk])
        self.assertFalse(participant.needs_place)
        colleague = rows["kollega@example.com"]  # Erfaren, waiting in a round of Ny
        self.assertEqual(colleague.steps[0].slug, "erfaren")
        self.assertEqual(colleague.gaps, [])
        self.assertEqual([r.status for r in colleague.places], ["waitlisted"])

    def test_someone_on_a_step_without_a_seat_needs_a_place_with_the_open_rounds(self):
        newcomer = make_person("nykomling@example.com", unit=self.unit_a, started=years_ago(0, 40))
        gaps = self.rows(self.manager_a)["nykomling@example.com"].gaps
        self.assertEqual([gap.course for gap in gaps], [self.course])
        self.assertEqual(
            {round.pk for round in gaps[0].open_rounds}, {self.round.pk, self.second.pk}
        )
        register(newcomer, self.second, by=self.manager_a)
        self.assertFalse(self.rows(self.manager_a)["nykomling@example.com"].needs_place)

    def test_waiting_still_needs_a_place(self):
        van = make_person("van@example.com", unit=self.unit_a, started=years_ago(3))
        van_round = create_round(self, name="Van 1", seats=1)
        Round.objects.filter(pk=van_round.pk).update(course=self.van_course)
        open_round(van_round, self.coordinator_x)
        register(self.participant, van_round, by=self.manager_a, step_mismatch_reason="Test")
        register(van, van_round, by=self.manager_a)
        gap = self.rows(self.manager_a)["van@example.com"].gaps[0]
        self.assertEqual(gap.course, self.van_course)
        self.assertEqual(gap.waiting_in.round_id, van_round.pk)

    def test_someone_waiting_is_offered_no_other_round_of_the_course(self):
        # One live registration per course: another round would refuse them.
        Round.objects.filter(pk=self.second.pk).update(seats=0)
        newcomer = make_person("nykomling@example.com", unit=self.unit_a, started=years_ago(0, 40))
        register(newcomer, self.second, by=self.manager_a)
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("reports:my_staff"))
        [row] = [row for row in response.context["rows"] if row.person == newcomer]
        [gap] = row.gaps
        self.assertEqual((gap.waiting_in.round, gap.open_rounds), (self.second, []))
        self.assertContains(response, "Väntar på en plats i Omgång 2")
        offer = reverse("enrolment:register", args=[self.round.pk])
        self.assertNotContains(response, f"{offer}?person={newcomer.pk}")
        # Once that round is over, the waiting list is history and the course needs a round.
        Round.objects.filter(pk=self.second.pk).update(status=Round.Status.COMPLETED)
        [gap] = self.rows(self.manager_a)["nykomling@example.com"].gaps
        self.assertIsNone(gap.waiting_in)
        self.assertEqual([round.pk for round in gap.open_rounds], [self.round.pk])

    def test_the_filter_keeps_only_those_who_need_a_place(self):
        make_person("nykomling@example.com", unit=self.unit_a, started=years_ago(0, 40))
        rows = self.rows(self.manager_a, behover="on")
        self.assertIn("nykomling@example.com", rows)
        self.assertNotIn("deltagare@example.com", rows)

    def test_the_query_count_does_not_grow_with_the_staff_or_their_registrations(self):
        self.client.force_login(self.contact_eskilstuna)
        url = reverse("reports:my_staff")
        before = count_queries(self.client, url)
        for n in range(12):
            person = make_person(
                f"stab{n}@example.com", unit=self.unit_a2, started=years_ago(n % 8)
            )
            if n % 3 == 0:
                register(person, self.second, by=self.coordinator_x, step_mismatch_reason="x")
        with self.assertNumQueries(before):
            response = self.client.get(url)
        self.assertGreater(len(response.context["rows"]), 12)

    def test_a_bad_filter_value_is_ignored(self):
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("reports:my_staff"), {"behover": "kanske"})
        self.assertEqual(response.status_code, 200)
