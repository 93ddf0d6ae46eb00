"""The administration's list of rounds keeps the catalog's order: latest term first, then the
courses as the journey lists them (step by step), then by name. Round's Meta.ordering sorts on
its own columns only, so the list orders explicitly (rounds.models.round_order)."""

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.rounds.testing import make_round


class RoundAdminOrderTests(PersonaTestCase):
    def test_rounds_are_listed_in_the_catalogs_order_not_by_course_id(self):
        # The course on the later step is created first (the lower id) and its round has the
        # name that sorts first: only the catalog puts the other round first.
        later = Course.objects.create(step=self.steps["van"], slug="van-a", title="Utredning")
        earlier = Course.objects.create(step=self.steps["ny"], slug="ny-b", title="Bemötande")
        make_round(later, self.region_x, name="Omgång A")
        make_round(earlier, self.region_x, name="Omgång B")
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:rounds_round_changelist"))
        content = response.content.decode()
        self.assertLess(content.index("Bemötande"), content.index("Utredning"))
