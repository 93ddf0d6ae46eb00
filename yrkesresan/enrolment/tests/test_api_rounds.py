"""GET /api/v1/rounds and GET /api/v1/rounds/{id}: fields, filters, pages, scope, queries."""

import datetime

from django.urls import reverse

from yrkesresan.core.testing import make_person, years_ago
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.models import CourseDay, Round, Venue
from yrkesresan.rounds.testing import make_round


class RoundDetailTests(ApiTestCase):
    def test_a_round_has_its_seats_counts_and_days(self):
        venue = Venue.objects.create(
            structure=self.region_x, name="Munktellarenan", address="Eskilstuna", capacity=30
        )
        self.round_x.days.filter(number=1).update(venue=venue)
        register(self.kumla_participant, self.round_x, by=self.manager_kumla)
        register(self.other_unit_participant, self.round_x, by=self.contact_eskilstuna)
        register(self.colleague, self.round_x, by=self.manager_a, step_mismatch_reason="Ny här.")

        response = self.api("GET", self.round_url(self.round_x), "coordinator_x")

        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["id"], self.round_x.pk)
        self.assertEqual(data["course"], {"slug": self.course.slug, "title": self.course.title})
        self.assertEqual(data["structure"], {"id": self.region_x.pk, "name": self.region_x.name})
        self.assertEqual((data["seats"], data["registered"], data["waitlisted"]), (3, 3, 1))
        self.assertEqual(data["status"], "open")
        self.assertEqual(
            data["registration_closes_on"], self.round_x.registration_closes_on.isoformat()
        )
        self.assertEqual([day["number"] for day in data["days"]], [1, 2, 3, 4])
        first, second = data["days"][:2]
        self.assertEqual(
            first["venue"], {"name": "Munktellarenan", "address": "Eskilstuna", "room": ""}
        )
        self.assertIsNone(first["meeting_url"])
        self.assertEqual(datetime.datetime.fromisoformat(first["starts_at"]).hour, 9)
        self.assertIsNotNone(datetime.datetime.fromisoformat(first["starts_at"]).tzinfo)
        self.assertIsNone(second["venue"])
        self.assertEqual(second["mode"], "digital")
        self.assertTrue(second["meeting_url"].startswith("https://"))

    def test_a_round_outside_the_scope_is_404(self):
        self.assert_error(self.api("GET", self.round_url(self.round_y), "coordinator_x"), 404)
        self.assert_error(self.api("GET", "/api/v1/rounds/999999", "admin"), 404)

    def test_the_query_count_does_not_grow_with_days_or_registrations(self):
        # The token with its owner and their roles (1), the round with its counts (1), its days
        # (1); for those outside the round's structure (a manager) the visibility query and
        # the manager's counties (2).
        url = self.round_url(self.round_x)
        expected_by_role = [("admin", 3), ("manager_a", 5), ("coordinator_x", 3)]
        for who, expected in expected_by_role:
            with self.subTest(who=who):
                self.assertEqual(self.count_api_queries(url, who), expected)
        venue = Venue.objects.create(
            structure=self.region_x, name="Sal", address="Gatan 1", capacity=40
        )
        for number in range(5, 12):
            CourseDay.objects.create(
                round=self.round_x,
                number=number,
                date=datetime.date(2030, 1, number),
                mode=CourseDay.Mode.PHYSICAL,
                venue=venue,
            )
        for index in range(6):
            person = make_person(f"fler{index}@example.com", unit=self.unit_a, started=years_ago(1))
            register(person, self.round_x, by=self.manager_a)
        make_round(self.course, self.region_x, name="Omgång 2")
        for who, expected in expected_by_role:
            with self.subTest(who=who, more_data=True), self.assertNumQueries(expected):
                self.api("GET", url, who)


class RoundListTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft_x = make_round(
            cls.course, cls.region_x, name="Omgång 2", status=Round.Status.DRAFT
        )
        cls.autumn_x = make_round(
            cls.course, cls.region_x, name="Omgång 3", first_day=datetime.date(2031, 9, 1)
        )

    def ids(self, url, who="coordinator_x"):
        response = self.api("GET", url, who)
        self.assertEqual(response.status_code, 200, response.content)
        return [round["id"] for round in response.json()["results"]]

    def test_lists_the_rounds_in_scope_by_id(self):
        response = self.api("GET", reverse("api:round_list"), "coordinator_x")
        data = response.json()
        self.assertEqual(data["count"], 3)
        self.assertIsNone(data["next"])
        self.assertIsNone(data["previous"])
        self.assertEqual(
            [r["id"] for r in data["results"]],
            [self.round_x.pk, self.draft_x.pk, self.autumn_x.pk],
        )
        self.assertEqual(data["results"][0]["registered"], 1)
        self.assertEqual(len(data["results"][0]["days"]), 4)

    def test_each_role_lists_only_its_scope(self):
        everything = sorted([self.round_x.pk, self.draft_x.pk, self.autumn_x.pk, self.round_y.pk])
        region_x = [self.round_x.pk, self.draft_x.pk, self.autumn_x.pk]
        # Drafts are for the structure's own people (test_drafts.py).
        registrable_x = [self.round_x.pk, self.autumn_x.pk]
        expected = {
            "admin": everything,
            "coordinator_x": region_x,
            "coordinator_y": [self.round_y.pk],
            "manager_a": registrable_x,
            "manager_kumla": registrable_x,
            "contact_eskilstuna": registrable_x,
            "trainer_x": region_x,
            "participant": [self.round_x.pk],
            "solna_participant": [self.round_y.pk],
            "colleague": [],
            "editor": [],
        }
        url = reverse("api:round_list")
        for who, ids in expected.items():
            with self.subTest(who=who):
                self.assertEqual(self.ids(url, who), ids)

    def test_filters_by_course_structure_term_and_status(self):
        url = reverse("api:round_list")
        self.assertEqual(self.ids(f"{url}?status=draft"), [self.draft_x.pk])
        self.assertEqual(self.ids(f"{url}?term=HT%202031"), [self.autumn_x.pk])
        self.assertEqual(self.ids(f"{url}?term=ht2031"), [self.autumn_x.pk])
        self.assertEqual(self.ids(f"{url}?course=nope"), [])
        self.assertEqual(len(self.ids(f"{url}?course={self.course.slug}&status=open")), 2)
        self.assertEqual(self.ids(f"{url}?structure={self.region_y.pk}"), [])
        self.assertEqual(
            self.ids(f"{url}?structure={self.region_y.pk}", "admin"), [self.round_y.pk]
        )

    def test_bad_filters_are_400(self):
        url = reverse("api:round_list")
        for query in ["status=finished", "structure=x", "term=2027", "page=0", "page=two"]:
            with self.subTest(query=query):
                self.assert_error(self.api("GET", f"{url}?{query}", "coordinator_x"), 400)

    def test_pages_of_fifty_with_next_and_previous_links(self):
        Round.objects.bulk_create(
            Round(
                course=self.course,
                structure=self.region_x,
                term="VT 2032",
                name=f"Extra {number}",
                seats=10,
                status=Round.Status.OPEN,
                registration_opens_on=datetime.date(2031, 11, 1),
                registration_closes_on=datetime.date(2032, 1, 15),
            )
            for number in range(60)
        )
        url = reverse("api:round_list")
        first = self.api("GET", f"{url}?status=open", "coordinator_x").json()
        self.assertEqual(first["count"], 62)
        self.assertEqual(len(first["results"]), 50)
        self.assertIsNone(first["previous"])
        self.assertIn("status=open", first["next"])
        self.assertIn("page=2", first["next"])
        self.assertTrue(first["next"].startswith("http"))
        second = self.api("GET", first["next"], "coordinator_x").json()
        self.assertEqual(len(second["results"]), 12)
        self.assertIsNone(second["next"])
        self.assertIn("page=1", second["previous"])
        seen = [r["id"] for r in first["results"] + second["results"]]
        self.assertEqual(len(set(seen)), 62)
        self.assert_error(self.api("GET", f"{url}?page=3", "coordinator_x"), 404)

    def test_the_query_count_does_not_grow_with_rounds(self):
        url = reverse("api:round_list")
        count = self.count_api_queries(url, "manager_a")
        self.assertLessEqual(count, 6)
        for number in range(4, 60):
            round = make_round(self.course, self.region_x, name=f"Omgång {number}", days=2)
            # One person per round: a person has one live registration per course.
            person = make_person(f"p{number}@example.com", unit=self.unit_a, started=years_ago(1))
            register(person, round, by=self.manager_a)
        with self.assertNumQueries(count):
            response = self.api("GET", url, "manager_a")
        self.assertEqual(len(response.json()["results"]), 50)
