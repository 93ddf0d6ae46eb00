"""The links a person is offered and the pages that open for them agree, for every persona.

The main menu and the round page's actions ask the same may_ rules (accounts.access: Scope for
the person, Viewer for one round) that the pages' access checks call. These tests hold them to
it through the test client: every link shown answers 200, and every page the links know of
that answers 200 is linked. URLs are referenced by name only (reverse).
"""

from django.urls import reverse

from yrkesresan.core.testing import PERSONAS, PersonaTestCase
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

# Every page the main menu may link to.
MENU_PAGES = [
    "home:home",
    "catalog:journeys",
    "reports:term_overview",
    "reports:my_staff",
    "staffing:my_days",
    "staffing:plans",
    "evaluations:index",
    "reports:mode_comparison",
    "reports:region_dashboard",
    "reports:nation_dashboard",
    "colleagues:search",
    "reports:counties",
    "learning:staff",
    "accounts:staff_trail",
    "record:mine",
    "accounts:profile",
    "editor:workspace",
    "catalog:knowledge_bank",
    "admin:index",
]

# Pages that open for every signed-in person, to explain themselves, but are offered only to
# those they have content for: trainers' course days.
OPEN_TO_ALL_OFFERED_TO_SOME = {"staffing:my_days"}

# The action pages the round page may link to, each with its URL's arguments after the round.
ROUND_ACTIONS = [
    ("enrolment:register", []),
    ("imports:upload", []),
    ("enrolment:edit", []),
    ("staffing:round_staffing", []),
    ("rounds:copy", []),
    ("rounds:day_edit", [1]),
    ("enrolment:attendance_list", []),
    ("enrolment:attendance_xlsx", []),
    ("leader:attendance_days", []),
    ("leader:preparation", []),
    ("leader:review", []),
    ("leader:completion", []),
    ("leader:make_up_days", []),
    ("evaluations:round_results", []),
    ("reports:fees_xlsx", []),
]


class MenuAgreesWithPagesTests(PersonaTestCase):
    def log_in(self, persona):
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(getattr(self, persona))

    def test_every_menu_link_opens_and_every_page_that_opens_is_in_the_menu(self):
        for persona in PERSONAS:
            with self.subTest(persona=persona):
                self.log_in(persona)
                shown = {item["url"] for item in self.client.get("/").context["main_menu"]}
                known = {reverse(name): name for name in MENU_PAGES}
                self.assertLessEqual(shown, set(known), "the menu links to a page unknown here")
                for url, name in known.items():
                    opens = self.client.get(url).status_code == 200
                    if url in shown:
                        self.assertTrue(opens, f"{name} is in the menu but does not open")
                    elif name not in OPEN_TO_ALL_OFFERED_TO_SOME:
                        self.assertFalse(opens, f"{name} opens but is not in the menu")

    def test_the_trainers_course_days_are_offered_to_trainers_and_course_leaders_only(self):
        offered = set()
        for persona in PERSONAS:
            self.log_in(persona)
            menu = self.client.get("/").context["main_menu"]
            if reverse("staffing:my_days") in {item["url"] for item in menu}:
                offered.add(persona)
        self.assertEqual(offered, {"trainer_x", "course_leader_x"})


class RoundPageActionsAgreeWithPagesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.open_round = make_round(cls.course, cls.region_x)
        cls.running_round = make_round(
            cls.course, cls.region_x, status=Round.Status.RUNNING, name="Omgång 2"
        )
        Round.objects.filter(pk__in=[cls.open_round.pk, cls.running_round.pk]).update(
            course_leader=cls.course_leader_x
        )

    def assert_links_agree(self, round, *, unlinked_while_open=()):
        """For every persona the round page opens for: each action it links opens, and each
        action that opens is linked, but `unlinked_while_open` (offered at another status)."""
        opened_for = set()
        for persona in PERSONAS:
            with self.subTest(persona=persona, round=round.name):
                self.client.logout()
                if persona != "anonymous":
                    self.client.force_login(getattr(self, persona))
                page = self.client.get(reverse("enrolment:round", args=[round.pk]))
                if page.status_code != 200:
                    continue
                opened_for.add(persona)
                html = page.content.decode()
                for name, extra in ROUND_ACTIONS:
                    url = reverse(name, args=[round.pk, *extra])
                    linked = f'href="{url}"' in html
                    opens = self.client.get(url).status_code == 200
                    if linked:
                        self.assertTrue(opens, f"{name} is linked but does not open")
                    elif name not in unlinked_while_open:
                        self.assertFalse(opens, f"{name} opens but is not linked")
        return opened_for

    def test_an_open_rounds_actions_agree_with_their_pages(self):
        opened_for = self.assert_links_agree(
            self.open_round, unlinked_while_open={"evaluations:round_results"}
        )
        self.assertIn("contact_eskilstuna", opened_for)
        self.assertIn("trainer_x", opened_for)

    def test_a_running_rounds_actions_agree_with_their_pages(self):
        # Registration and import close when the round runs; their pages still open.
        self.assert_links_agree(
            self.running_round, unlinked_while_open={"enrolment:register", "imports:upload"}
        )
