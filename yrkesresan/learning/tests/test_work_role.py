"""Steps that are roles, not years: a unit manager is on Chef, a team leader on Arbetsledare.

The role at work is a fact about the person's job, set by their manager, their municipality's
contact or an administrator (audited); the journey's step for that role is where they belong,
on every page that shows or counts steps."""

from django.test import override_settings
from django.urls import reverse

from yrkesresan.accounts.models import User, WorkRole
from yrkesresan.catalog.models import Course, Journey, Step
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Placement
from yrkesresan.enrolment.placement import (
    PlacementError,
    current_placement,
    enter_directly,
    set_work_role,
)
from yrkesresan.learning.journey_map import NOT_STARTED, journey_map_for
from yrkesresan.learning.record import needing_a_place, published_journeys
from yrkesresan.rounds.testing import make_round

UNIT_MANAGER = WorkRole.UNIT_MANAGER
TEAM_LEADER = WorkRole.TEAM_LEADER
ENGLISH = {"Accept-Language": "en"}


class PlacedByRoleAtWorkTests(PersonaTestCase):
    def step_of(self, person, journey=None):
        person.refresh_from_db()
        return current_placement(person, journey or self.journey)

    def test_a_unit_manager_is_placed_on_chef(self):
        self.assertEqual(self.step_of(self.manager_a).step.slug, "erfaren")
        set_work_role(self.manager_a, UNIT_MANAGER, by=self.contact_eskilstuna)
        placement = self.step_of(self.manager_a)
        self.assertEqual((placement.step.slug, placement.source), ("chef", "suggested"))
        self.assertEqual(placement.suggested.slug, "chef")

    def test_a_team_leader_is_placed_on_arbetsledare(self):
        set_work_role(self.colleague, TEAM_LEADER, by=self.manager_a)
        self.assertEqual(self.step_of(self.colleague).step.slug, "arbetsledare")

    def test_the_role_places_a_person_without_a_start_date_too(self):
        self.assertIsNone(self.step_of(self.manager_kumla).step)
        set_work_role(self.manager_kumla, UNIT_MANAGER, by=self.admin)
        self.assertEqual(self.step_of(self.manager_kumla).step.slug, "chef")

    def test_without_a_step_for_the_role_the_years_decide(self):
        journey = Journey.objects.create(
            slug="funktionshinder", name="Funktionshinder", status=Journey.Status.PUBLISHED
        )
        Step.objects.create(
            journey=journey, slug="ny", name="Ny", order=1, min_years=0, max_years=5
        )
        Step.objects.create(journey=journey, slug="erfaren", name="Erfaren", order=2, min_years=5)
        set_work_role(self.manager_a, UNIT_MANAGER, by=self.admin)
        self.assertEqual(self.step_of(self.manager_a, journey).step.slug, "erfaren")
        self.assertIsNone(self.step_of(self.manager_a, self.elderly_journey).step)

    def test_no_role_at_work_places_by_the_years_again(self):
        set_work_role(self.colleague, TEAM_LEADER, by=self.manager_a)
        set_work_role(self.colleague, "", by=self.manager_a)
        self.assertEqual(self.step_of(self.colleague).step.slug, "erfaren")

    def test_a_new_role_replaces_an_earlier_step_choice_on_journeys_with_a_role_step(self):
        enter_directly(self.participant, self.journey, self.steps["van"])
        elderly = Placement.objects.create(
            person=self.participant,
            journey=self.elderly_journey,
            step=self.elderly_journey.steps.first(),
            source=Placement.Source.DIRECT_ENTRY,
        )
        set_work_role(self.participant, TEAM_LEADER, by=self.manager_a)
        self.assertEqual(self.step_of(self.participant).step.slug, "arbetsledare")
        # The elderly-care journey has no step for team leaders: the choice there stands.
        self.assertEqual(list(Placement.objects.filter(person=self.participant)), [elderly])
        event = AuditEvent.objects.get(action="person.work_role")
        self.assertEqual(event.data["cleared_placements"], {"barn-och-unga": "van"})

    def test_the_change_is_audited_once(self):
        set_work_role(self.manager_a, UNIT_MANAGER, by=self.contact_eskilstuna)
        set_work_role(self.manager_a, UNIT_MANAGER, by=self.contact_eskilstuna)
        event = AuditEvent.objects.get(action="person.work_role")
        self.assertEqual(
            (event.actor, event.object_id, event.data["work_role"], event.data["previous"]),
            (self.contact_eskilstuna, str(self.manager_a.pk), "unit_manager", ""),
        )
        self.assertEqual(User.objects.get(pk=self.manager_a.pk).work_role, UNIT_MANAGER)

    def test_an_unknown_role_is_refused_and_nothing_is_written(self):
        with self.assertRaises(PlacementError):
            set_work_role(self.manager_a, "director", by=self.admin)
        self.assertEqual(User.objects.get(pk=self.manager_a.pk).work_role, "")
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_person_on_a_role_step_does_not_choose_an_experience_step_themself(self):
        set_work_role(self.manager_a, UNIT_MANAGER, by=self.admin)
        self.manager_a.refresh_from_db()
        with self.assertRaisesMessage(PlacementError, "Chef"):
            enter_directly(self.manager_a, self.journey, self.steps["erfaren"])
        self.assertFalse(Placement.objects.exists())


class RoleStepOnThePagesTests(PersonaTestCase):
    """manager_a is the unit manager of unit A, with a course on the Chef step."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chef_course = Course.objects.create(
            step=cls.steps["chef"], slug="leda-introduktion", title="Att leda introduktion"
        )
        set_work_role(cls.manager_a, UNIT_MANAGER, by=cls.contact_eskilstuna)
        cls.manager_a.refresh_from_db()

    def test_the_chef_course_shows_as_needed_on_their_journey_map(self):
        open_round = make_round(self.chef_course, self.region_x, name="Chefsomgång 1")
        journey_map = journey_map_for(self.manager_a)
        self.assertEqual(journey_map.current.step.slug, "chef")
        self.assertEqual(
            [(e.course, e.status) for e in journey_map.current.courses],
            [(self.chef_course, NOT_STARTED)],
        )
        self.assertEqual(journey_map.next.kind, "find_round")
        self.assertIn(self.chef_course.title, journey_map.next.text)
        self.assertIn(open_round.name, journey_map.next.detail)

    def test_the_start_page_says_the_role_decides_the_step(self):
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("home:home"), headers=ENGLISH)
        self.assertContains(response, "The step follows your role at work.")
        self.assertContains(response, self.chef_course.title)

    def test_the_staff_list_shows_them_on_chef_needing_a_place(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(reverse("learning:staff"), {"needs_place": "on"})
        rows = {row.person.email: row for row in response.context["rows"]}
        row = rows["chef.a@example.com"]
        self.assertEqual(row.placement.step.slug, "chef")
        self.assertEqual(row.needs_place_in, [self.chef_course])
        journey = published_journeys().first()
        needing = needing_a_place(User.objects.filter(pk=self.manager_a.pk), journey)
        self.assertEqual([p.current_step_id for p in needing], [self.steps["chef"].pk])

    def test_the_person_page_names_the_role_at_work(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(reverse("learning:person", args=[self.manager_a.pk]))
        self.assertContains(response, "<dd>Enhetschef", html=False)
        self.assertContains(response, "<strong>Chef</strong>", html=False)
        self.assertContains(response, "Rollen i arbetet avgör steget.")


class SetWorkRolePageTests(PersonaTestCase):
    def url(self, person):
        return reverse("learning:set_work_role", args=[person.pk])

    def post(self, by, person, work_role):
        self.client.force_login(by)
        return self.client.post(self.url(person), {"work_role": work_role})

    def test_the_manager_sets_it_on_the_person_page(self):
        self.client.force_login(self.manager_a)
        page = self.client.get(reverse("learning:person", args=[self.colleague.pk]))
        self.assertContains(page, f'action="{self.url(self.colleague)}"')
        response = self.client.post(
            self.url(self.colleague), {"work_role": "team_leader"}, follow=True
        )
        self.assertRedirects(response, reverse("learning:person", args=[self.colleague.pk]))
        self.assertContains(response, "Rollen i arbetet har sparats.")
        self.assertContains(response, "<dd>Arbetsledare</dd>", html=False)
        self.colleague.refresh_from_db()
        self.assertEqual(self.colleague.work_role, TEAM_LEADER)
        event = AuditEvent.objects.get(action="person.work_role")
        self.assertEqual(event.actor, self.manager_a)

    def test_the_municipal_contact_and_an_administrator_may_set_it(self):
        self.assertEqual(
            self.post(self.contact_eskilstuna, self.participant, "unit_manager").status_code, 302
        )
        self.assertEqual(
            self.post(self.admin, self.solna_participant, "team_leader").status_code, 302
        )
        self.assertEqual(
            sorted(User.objects.exclude(work_role="").values_list("email", "work_role")),
            [("deltagare@example.com", "unit_manager"), ("solna@example.com", "team_leader")],
        )

    def test_others_may_not_and_nothing_changes(self):
        for persona, person, status in [
            (self.participant, self.participant, 403),  # their own page, not their decision
            (self.colleague, self.participant, 404),
            (self.manager_kumla, self.participant, 404),
            (self.coordinator_x, self.participant, 403),  # sees the region's staff
            (self.trainer_x, self.participant, 404),
            (self.coordinator_y, self.participant, 404),
        ]:
            with self.subTest(persona=persona.email):
                self.assertEqual(self.post(persona, person, "unit_manager").status_code, status)
                self.client.force_login(persona)
                self.assertEqual(self.client.get(self.url(person)).status_code, status)
        self.assertFalse(User.objects.exclude(work_role="").exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_the_form_shows_only_to_those_who_may_set_it(self):
        self.client.force_login(self.coordinator_x)
        page = self.client.get(reverse("learning:person", args=[self.participant.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, self.url(self.participant))

    def test_an_unknown_role_is_a_400_with_a_message(self):
        response = self.post(self.manager_a, self.colleague, "director")
        self.assertContains(response, "Välj en roll i arbetet i listan.", status_code=400)
        self.assertFalse(AuditEvent.objects.exists())

    @override_settings(LANGUAGE_CODE="en")
    def test_the_page_offers_no_role_and_the_two_roles(self):
        self.client.force_login(self.manager_a)
        response = self.client.get(self.url(self.colleague), headers=ENGLISH)
        self.assertContains(response, "No leading role")
        self.assertContains(response, "Unit manager")
        self.assertContains(response, "Team leader")
