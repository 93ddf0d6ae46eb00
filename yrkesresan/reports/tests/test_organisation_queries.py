"""queries.py: the counts of the organisation pages against counting one row at a time."""

import datetime

from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.core.testing import PersonaTestCase, make_person
from yrkesresan.organisations.models import County, Membership, Municipality, Unit
from yrkesresan.reports.queries import counties_with_counts, municipalities_with_counts


class CountTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        County.objects.create(code="25", name="Norrbottens län")  # no municipalities
        # Kumla left and came back: one membership in force. Katrineholm has left.
        Membership.objects.filter(municipality=cls.kumla).update(
            joined_on=datetime.date(2019, 1, 1), left_on=datetime.date(2020, 1, 1)
        )
        Membership.objects.create(municipality=cls.kumla, joined_on=datetime.date(2022, 1, 1))
        Membership.objects.filter(municipality=cls.katrineholm).update(
            left_on=datetime.date(2024, 1, 1)
        )
        make_person("inaktiv@example.com", unit=cls.unit_kumla, is_active=False)
        Unit.objects.create(municipality=cls.kumla, name="Äldreenheten")

    def test_the_county_counts_are_counted_per_county(self):
        today = timezone.localdate()
        expected = {}
        for county in County.objects.all():
            municipalities = list(Municipality.objects.filter(county=county))
            members = [
                membership
                for membership in Membership.objects.filter(municipality__county=county)
                if membership.is_active(today)
            ]
            staff = User.objects.filter(municipality__in=municipalities).count()
            expected[county.code] = (len(municipalities), len(members), staff)
        counties = {
            c.code: (c.municipality_count, c.member_count, c.staff_count)
            for c in counties_with_counts()
        }
        self.assertEqual(counties, expected)
        self.assertEqual(counties["25"], (0, 0, 0))
        self.assertEqual(counties["04"], (2, 1, expected["04"][2]))

    def test_the_municipality_counts(self):
        rows = {
            m.name: (bool(m.is_member), m.unit_count, m.staff_count)
            for m in municipalities_with_counts(self.orebro_county)
        }
        kumla_staff = User.objects.filter(municipality=self.kumla).count()
        self.assertEqual(rows, {"Kumla": (True, 2, kumla_staff)})
