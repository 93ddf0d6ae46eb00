from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person
from yrkesresan.organisations.models import Membership, Municipality, Unit


class CountyPagesTests(PersonaTestCase):
    def test_counties_show_membership_and_staff_counts(self):
        self.client.force_login(self.participant)
        response = self.client.get(reverse("reports:counties"))
        counties = {c.code: c for c in response.context["counties"]}
        self.assertEqual(counties["04"].municipality_count, 2)
        self.assertEqual(counties["04"].member_count, 2)
        self.assertEqual(counties["19"].member_count, 0)  # Arboga has not joined
        self.assertEqual(counties["04"].staff_count, 7)
        self.assertContains(response, "Region Mälardalen")

    def test_a_municipality_that_left_is_no_longer_a_member(self):
        Membership.objects.filter(municipality=self.kumla).update(left_on="2024-01-01")
        self.client.force_login(self.participant)
        response = self.client.get(reverse("reports:county", args=["18"]))
        kumla = response.context["municipalities"][0]
        self.assertEqual((kumla.name, kumla.is_member), ("Kumla", 0))

    def test_municipality_page_links_staff_only_within_scope(self):
        url = reverse("reports:municipality", args=["0484"])
        self.client.force_login(self.contact_eskilstuna)
        self.assertContains(self.client.get(url), f"?municipality={self.eskilstuna.pk}")
        self.client.force_login(self.manager_kumla)
        response = self.client.get(url)
        self.assertNotContains(response, "?municipality=")
        self.assertNotContains(response, f"?unit={self.unit_a.pk}")

    def test_query_counts_do_not_grow_with_the_data(self):
        self.client.force_login(self.participant)
        urls = [
            reverse("reports:counties"),
            reverse("reports:county", args=["04"]),
            reverse("reports:municipality", args=["0484"]),
        ]
        counts = {url: count_queries(self.client, url) for url in urls}
        for n in range(10):
            town = Municipality.objects.create(
                code=f"04{90 + n}", name=f"Testkommun {n}", county=self.sodermanland
            )
            Membership.objects.create(municipality=town, joined_on="2022-01-01")
            unit = Unit.objects.create(municipality=self.eskilstuna, name=f"Enhet {n}")
            make_person(f"staff{n}@example.com", unit=unit)
        for url in urls:
            with self.subTest(url=url), self.assertNumQueries(counts[url]):
                self.client.get(url)
