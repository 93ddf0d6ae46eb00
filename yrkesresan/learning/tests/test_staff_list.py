from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.learning.services import enter_directly


class StaffListTests(PersonaTestCase):
    def test_shows_each_persons_step_and_how_it_was_set(self):
        enter_directly(self.participant, self.journey, self.steps["van"])
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("learning:staff"))
        rows = {p.email: placement for p, placement in response.context["rows"]}
        self.assertEqual(rows["deltagare@example.com"].step.slug, "van")
        self.assertEqual(rows["deltagare@example.com"].source, "direct_entry")
        self.assertEqual(rows["kollega@example.com"].step.slug, "erfaren")

    def test_search_by_name(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(reverse("learning:staff"), {"q": "familjehem"})
        self.assertEqual([p.email for p, _ in response.context["rows"]], ["familjehem@example.com"])

    def test_query_count_does_not_grow_with_the_staff(self):
        self.client.force_login(self.contact_eskilstuna)
        url = reverse("learning:staff")
        before = count_queries(self.client, url)
        for n in range(30):
            person = make_person(f"extra{n}@example.com", unit=self.unit_a, started=years_ago(1))
            if n % 2:
                enter_directly(person, self.journey, self.steps["van"])
        with self.assertNumQueries(before):
            response = self.client.get(url)
        self.assertEqual(len(response.context["rows"]), 35)
