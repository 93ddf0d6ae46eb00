"""The threshold of five on every dashboard's figures from the evaluations, against
differencing: a county's response rate minus one of its municipalities', the region's minus
the county's, the nation's regions minus a region: no two published figures differ by the
invitations of one to four people (reports.disclosure)."""

import itertools

from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.evaluations.models import Invitation
from yrkesresan.evaluations.tests.helpers import complete_many, completed_round
from yrkesresan.organisations.models import Municipality, Unit
from yrkesresan.reports.queries import invitations_by
from yrkesresan.rounds.models import Round


def answered(invitations, count):
    Invitation.objects.filter(pk__in=[i.pk for i in invitations[:count]]).update(answered=True)


def rate(figures):
    return dict(next(f for f in figures if f.ident == "response-rate").rows)


class ResponseRateTests(PersonaTestCase):
    """Round 1: five Eskilstuna staff (three answered) and two Katrineholm staff (both
    answered); round 2: six Eskilstuna staff (one answered). Both in Region X, HT 2026.
    Katrineholm's two are a unit of fewer than five: they count in no figure, so every page
    shows 4 of 11 answered (36 %), and Katrineholm's own page a dash."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round_1 = completed_round(cls.course, cls.region_x, name="1")
        cls.round_2 = completed_round(cls.course, cls.region_x, name="2")
        Round.objects.filter(pk__in=[cls.round_1.pk, cls.round_2.pk]).update(term="HT 2026")
        answered(complete_many(cls.round_1, 5, cls.unit_a, prefix="e1"), 3)
        unit_k = Unit.objects.create(municipality=cls.katrineholm, name="Socialtjänsten")
        answered(complete_many(cls.round_1, 2, unit_k, prefix="k1"), 2)
        answered(complete_many(cls.round_2, 6, cls.unit_a2, prefix="e2"), 1)

    def figures(self, user, name, *args):
        self.client.force_login(user)
        response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, 200)
        return response.context["figures"]

    def test_every_page_shows_the_same_rate_without_the_small_unit(self):
        pages = {
            "region": self.figures(self.coordinator_x, "reports:region_dashboard"),
            "county": self.figures(self.coordinator_x, "reports:county_dashboard", "04"),
            "Eskilstuna": self.figures(
                self.coordinator_x, "reports:municipality_dashboard", "0484"
            ),
        }
        for page, figures in pages.items():
            with self.subTest(page=page):
                self.assertEqual(rate(figures), {"HT 2026": [36]})
        katrineholm = self.figures(self.coordinator_x, "reports:municipality_dashboard", "0483")
        self.assertEqual(rate(katrineholm), {"HT 2026": [None]})  # "too few to show"
        nation = self.figures(self.admin, "reports:nation_dashboard")
        regions = dict(next(f for f in nation if f.ident == "regions").rows)
        self.assertEqual(regions[self.region_x.name][2], 36)

    def test_the_small_unit_shows_once_it_has_five_people_everywhere_at_once(self):
        unit_k = Unit.objects.get(name="Socialtjänsten")
        answered(complete_many(self.round_1, 3, unit_k, prefix="k2"), 0)
        for name, args in [
            ("reports:region_dashboard", ()),
            ("reports:county_dashboard", ("04",)),
        ]:
            with self.subTest(page=name):
                # 6 of 16 answered
                self.assertEqual(rate(self.figures(self.admin, name, *args)), {"HT 2026": [38]})
        katrineholm = self.figures(self.admin, "reports:municipality_dashboard", "0483")
        self.assertEqual(rate(katrineholm), {"HT 2026": [40]})  # 2 of 5

    def test_no_two_published_counts_differ_by_one_to_four_invitations(self):
        """The counts behind every response rate the dashboards publish, each page's rounds
        and municipalities as its view passes them, compared pairwise: whatever two rates
        are subtracted, the answers worked out are those of five invited people or more."""
        everything = Round.objects.all()
        region = Round.objects.filter(structure=self.region_x)
        county = Municipality.objects.filter(county=self.sodermanland).values("pk")
        published = {
            "region": invitations_by(region, "round__term")["HT 2026"],
            "county": invitations_by(everything, "round__term", county)["HT 2026"],
            "Eskilstuna": invitations_by(everything, "round__term", [self.eskilstuna.pk])[
                "HT 2026"
            ],
            "Katrineholm": invitations_by(everything, "round__term", [self.katrineholm.pk])[
                "HT 2026"
            ],
            "nation": invitations_by(everything, "round__structure__name")[self.region_x.name],
        }
        self.assertEqual(published["Katrineholm"]["withheld"], 1)
        for (one, big), (other, small) in itertools.combinations(published.items(), 2):
            difference = abs(big["invited"] - small["invited"])
            with self.subTest(one=one, other=other):
                self.assertTrue(difference == 0 or difference >= 5, difference)
        # Katrineholm's two are in no count at all: 5 + 6 invited, 3 + 1 answered.
        self.assertEqual((published["region"]["invited"], published["region"]["answered"]), (11, 4))
