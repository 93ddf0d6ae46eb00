"""Membership in force on a date: one rule, as a query expression and as a check of one
municipality, in agreement at its edges, and what the member counts make of it."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase, rejoin
from yrkesresan.organisations import models
from yrkesresan.organisations.models import County, Membership, Municipality
from yrkesresan.reports.queries import counties_with_counts, municipalities_with_counts

DAY = datetime.timedelta(days=1)


class MembershipInForceTests(TestCase):
    """The expression (`members()`, `member_on`) and the check of one municipality
    (`membership_on`, `Membership.is_active`) say the same at every edge: joined_on is the
    first day in force, left_on the first day out."""

    @classmethod
    def setUpTestData(cls):
        cls.county = County.objects.create(code="04", name="Södermanlands län")

    def periods(self, today):
        spell = (today - 400 * DAY, today - 100 * DAY)  # a membership long over
        return {
            "joined today": ([(today, None)], True),
            "joined long ago": ([(today - 400 * DAY, None)], True),
            "leaves tomorrow": ([(today - 10 * DAY, today + DAY)], True),
            "left today": ([(today - 10 * DAY, today)], False),
            "left long ago": ([spell], False),
            "left and rejoined": ([spell, (today - DAY, None)], True),
            "left today and rejoined today": ([(today - 400 * DAY, today), (today, None)], True),
            "left, rejoins tomorrow": ([spell, (today + DAY, None)], False),
            "never joined": ([], False),
            "joins tomorrow": ([(today + DAY, None)], False),
        }  # fmt: skip

    def test_the_expression_and_the_single_check_agree_at_the_edges(self):
        today = timezone.localdate()
        expected = {}
        for n, (name, (periods, is_member)) in enumerate(self.periods(today).items()):
            town = Municipality.objects.create(code=f"{n:04}", name=name, county=self.county)
            for joined_on, left_on in periods:
                Membership.objects.create(municipality=town, joined_on=joined_on, left_on=left_on)
            expected[name] = is_member
        members = list(Municipality.objects.members(today).values_list("name", flat=True))
        self.assertEqual(sorted(members), sorted(n for n, member in expected.items() if member))
        annotated = dict(
            Municipality.objects.annotate(member=models.member_on("pk", today)).values_list(
                "name", "member"
            )
        )
        self.assertEqual(annotated, expected)
        for town in Municipality.objects.prefetch_related("memberships"):
            with self.subTest(town.name):
                self.assertEqual(town.membership_on(today) is not None, expected[town.name])
                in_force = [m for m in town.memberships.all() if m.is_active(today)]
                self.assertEqual(bool(in_force), expected[town.name])

    def test_members_defaults_to_today(self):
        today = timezone.localdate()
        town = Municipality.objects.create(code="0001", name="Ny", county=self.county)
        Membership.objects.create(municipality=town, joined_on=today)
        self.assertEqual(list(Municipality.objects.members()), [town])
        self.assertEqual(list(Municipality.objects.members(today - DAY)), [])


class RejoinedMunicipalityTests(PersonaTestCase):
    """Kumla left the programme and joined again; Katrineholm has left."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rejoin(cls.kumla)
        cls.katrineholm.memberships.update(left_on=datetime.date(2024, 1, 1))

    def test_a_rejoined_municipality_counts_as_member(self):
        self.assertEqual(
            list(Municipality.objects.members().values_list("name", flat=True)),
            ["Eskilstuna", "Kumla", "Solna"],
        )
        self.assertIsNotNone(self.kumla.membership_on())
        self.assertIsNone(self.katrineholm.membership_on())

    def test_the_organisation_pages_count_it_as_member(self):
        counties = {c.code: c.member_count for c in counties_with_counts()}
        self.assertEqual(counties, {"01": 1, "04": 1, "18": 1, "19": 0})
        rows = {m.name: bool(m.is_member) for m in municipalities_with_counts(self.orebro_county)}
        self.assertEqual(rows, {"Kumla": True})
        self.client.force_login(self.participant)
        response = self.client.get(reverse("reports:municipality", args=["1881"]))
        self.assertEqual(response.context["membership"].joined_on, datetime.date(2022, 1, 1))

    def test_the_start_page_counts_it_as_member(self):
        self.client.force_login(self.coordinator_x)
        structure = self.client.get(reverse("home:home")).context["structures"][0]
        # Eskilstuna and Kumla of Region X's Eskilstuna, Katrineholm and Kumla.
        self.assertEqual((structure.member_count, structure.municipality_count), (2, 3))
