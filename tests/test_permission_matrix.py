"""Every page × every role, inside and outside its scope: exactly the expected status.

200 = may see; 403 = sees the object but may not do this; 404 = outside the scope (its existence
is not revealed); 302 = sent to log in. Rows not listed for a page get the page's default.
"""

from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.rounds.testing import make_round

PERSONAS = [
    "anonymous",
    "participant",
    "colleague",
    "kumla_participant",
    "solna_participant",
    "manager_a",
    "manager_kumla",
    "contact_eskilstuna",
    "coordinator_x",
    "coordinator_y",
    "trainer_x",
    "course_leader_x",
    "editor",
    "admin",
]
LOGGED_IN = [p for p in PERSONAS if p != "anonymous"]


def page(name, default, **overrides):
    """(url name, kwargs builder, {persona: status}) with `default` for everyone else."""
    return name, {p: overrides.get(p, default) for p in PERSONAS}


class PermissionMatrixTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = make_round(cls.course, cls.region_x)

    def url(self, name, t):
        people = {"participant_pk": self.participant.pk, "solna_pk": self.solna_participant.pk}
        return {
            "home": reverse("core:home"),
            "healthz": reverse("core:healthz"),
            "journeys": reverse("catalog:journeys"),
            "journey": reverse("catalog:journey", args=["barn-och-unga"]),
            "coming_journey": reverse("catalog:journey", args=["aldreomsorg"]),
            "course": reverse("catalog:course", args=[self.course.slug]),
            "counties": reverse("organisations:counties"),
            "county": reverse("organisations:county", args=["04"]),
            "municipality": reverse("organisations:municipality", args=["0484"]),
            "staff": reverse("learning:staff"),
            "participant_page": reverse("learning:person", args=[people["participant_pk"]]),
            "solna_page": reverse("learning:person", args=[people["solna_pk"]]),
            "set_placement": reverse(
                "learning:set_placement", args=[people["participant_pk"], "barn-och-unga"]
            ),
            "set_work_role": reverse("learning:set_work_role", args=[people["participant_pk"]]),
            "choose_step": reverse("learning:choose_step", args=["barn-och-unga"]),
            "choose_step_coming": reverse("learning:choose_step", args=["aldreomsorg"]),
            "profile": reverse("accounts:profile"),
            "password_change": reverse("accounts:password_change"),
            "admin_index": reverse("admin:index"),
            "admin_course": reverse("admin:catalog_course_change", args=[self.course.pk]),
            "admin_users": reverse("admin:accounts_user_changelist"),
            "round_staffing": reverse("staffing:round_staffing", args=[self.round.pk]),
            "my_days": reverse("staffing:my_days"),
            "calendar": reverse("notifications:feed_settings"),
            "import": reverse("imports:upload", args=[self.round.pk]),
        }[name]

    MATRIX = [
        page("home", 200),
        page("healthz", 200),
        page("journeys", 200),
        page("journey", 200),
        page("coming_journey", 200),
        page("course", 200),
        page("counties", 200, anonymous=302),
        page("county", 200, anonymous=302),
        page("municipality", 200, anonymous=302),
        page(
            "staff",
            403,
            anonymous=302,
            manager_a=200,
            manager_kumla=200,
            contact_eskilstuna=200,
            coordinator_x=200,
            coordinator_y=200,
            admin=200,
        ),
        page(
            "participant_page",
            404,
            anonymous=302,
            participant=200,
            manager_a=200,
            contact_eskilstuna=200,
            coordinator_x=200,
            admin=200,
        ),
        page("solna_page", 404, anonymous=302, solna_participant=200, coordinator_y=200, admin=200),
        page(
            "set_placement",
            404,
            anonymous=302,
            manager_a=200,
            admin=200,
            participant=403,
            contact_eskilstuna=403,
            coordinator_x=403,
        ),
        page(
            "set_work_role",
            404,
            anonymous=302,
            manager_a=200,
            contact_eskilstuna=200,
            admin=200,
            participant=403,
            coordinator_x=403,
        ),
        page("choose_step", 200, anonymous=302),
        page("choose_step_coming", 404, anonymous=302),
        page("profile", 200, anonymous=302),
        page("password_change", 200, anonymous=302),
        # The admin site sends people without access to its own login page.
        page("admin_index", 302, editor=200, admin=200),
        page("admin_course", 302, editor=200, admin=200),
        page("admin_users", 302, editor=403, admin=200),
        # Course rounds of Region X. Registrars of the region see the round (403 where they
        # may not act); people with no part in it get 404.
        page(
            "round_staffing",
            404,
            anonymous=302,
            coordinator_x=200,
            admin=200,
            trainer_x=200,
            course_leader_x=200,
            manager_a=403,
            manager_kumla=403,
            contact_eskilstuna=403,
        ),
        page("my_days", 200, anonymous=302),
        page("calendar", 200, anonymous=302),
        page(
            "import",
            404,
            anonymous=302,
            coordinator_x=200,
            admin=200,
            contact_eskilstuna=200,
            manager_a=403,
            manager_kumla=403,
            trainer_x=403,
            course_leader_x=403,
        ),
    ]

    def test_every_page_for_every_role(self):
        for name, expected in self.MATRIX:
            url = self.url(name, None)
            for persona, status in expected.items():
                with self.subTest(page=name, persona=persona):
                    self.client.logout()
                    if persona != "anonymous":
                        self.client.force_login(getattr(self, persona))
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, status, f"{persona} GET {url}")

    def test_unknown_objects_are_404_for_everyone(self):
        self.client.force_login(self.admin)
        for url in [
            reverse("catalog:journey", args=["finns-inte"]),
            reverse("catalog:course", args=["finns-inte"]),
            reverse("organisations:county", args=["99"]),
            reverse("organisations:municipality", args=["9999"]),
            reverse("learning:person", args=[999999]),
            "/ingen-sida/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "Sidan kunde inte hittas", status_code=404)


class StaffListNeverLeaksTests(PersonaTestCase):
    """The staff list shows exactly the people in the viewer's scope."""

    def emails_seen_by(self, persona):
        self.client.force_login(persona)
        response = self.client.get(reverse("learning:staff"))
        self.assertEqual(response.status_code, 200)
        return {row.person.email for row in response.context["rows"]}

    def test_manager_sees_only_their_unit(self):
        self.assertEqual(
            self.emails_seen_by(self.manager_a),
            {"deltagare@example.com", "kollega@example.com", "chef.a@example.com"},
        )

    def test_manager_in_another_municipality_sees_none_of_eskilstuna(self):
        seen = self.emails_seen_by(self.manager_kumla)
        self.assertEqual(seen, {"kumla@example.com", "chef.kumla@example.com"})

    def test_municipal_contact_sees_their_whole_municipality_only(self):
        seen = self.emails_seen_by(self.contact_eskilstuna)
        self.assertIn("familjehem@example.com", seen)
        self.assertIn("deltagare@example.com", seen)
        self.assertNotIn("kumla@example.com", seen)
        self.assertNotIn("solna@example.com", seen)

    def test_coordinator_sees_their_region_only(self):
        seen_x = self.emails_seen_by(self.coordinator_x)
        self.assertIn("kumla@example.com", seen_x)
        self.assertIn("deltagare@example.com", seen_x)
        self.assertNotIn("solna@example.com", seen_x)
        seen_y = self.emails_seen_by(self.coordinator_y)
        self.assertEqual(seen_y, {"solna@example.com"})

    def test_filters_cannot_widen_the_scope(self):
        self.client.force_login(self.manager_kumla)
        response = self.client.get(reverse("learning:staff"), {"municipality": self.eskilstuna.pk})
        self.assertEqual(response.context["rows"], [])
        self.assertNotContains(response, "deltagare@example.com")
