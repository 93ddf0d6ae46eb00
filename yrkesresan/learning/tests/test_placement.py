from django.urls import reverse

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago
from yrkesresan.enrolment.models import Placement
from yrkesresan.enrolment.placement import (
    PlacementError,
    current_placement,
    enter_directly,
    override_placement,
)


class SuggestedStepTests(PersonaTestCase):
    def step_for(self, started):
        person = make_person(f"p{started}@example.com", unit=self.unit_a, started=started)
        return current_placement(person, self.journey).step

    def test_the_step_follows_years_in_the_profession(self):
        self.assertEqual(self.step_for(years_ago(0, 30)).slug, "ny")
        self.assertEqual(self.step_for(years_ago(1, 360)).slug, "ny")
        self.assertEqual(self.step_for(years_ago(2)).slug, "van")
        self.assertEqual(self.step_for(years_ago(4, 300)).slug, "van")
        self.assertEqual(self.step_for(years_ago(5)).slug, "erfaren")
        self.assertEqual(self.step_for(years_ago(30)).slug, "erfaren")

    def test_no_start_date_means_no_suggestion(self):
        self.assertIsNone(self.step_for(None))

    def test_steps_are_data_per_journey(self):
        # The elderly-care journey has Bas, Fördjupning, Spets with no year ranges.
        names = [s.name for s in self.elderly_journey.steps.all()]
        self.assertEqual(names, ["Bas", "Fördjupning", "Spets"])
        self.assertIsNone(current_placement(self.participant, self.elderly_journey).step)


class EnterDirectlyTests(PersonaTestCase):
    def test_a_person_may_enter_directly_at_a_higher_step(self):
        enter_directly(self.participant, self.journey, self.steps["erfaren"])
        placement = current_placement(self.participant, self.journey)
        self.assertEqual(placement.step, self.steps["erfaren"])
        self.assertEqual(placement.suggested, self.steps["ny"])
        self.assertTrue(placement.is_above_suggestion)
        self.assertTrue(AuditEvent.objects.filter(action="placement.enter_directly").exists())

    def test_a_person_may_not_choose_a_lower_step(self):
        with self.assertRaisesMessage(PlacementError, "Erfaren"):
            enter_directly(self.colleague, self.journey, self.steps["ny"])
        self.assertFalse(Placement.objects.exists())

    def test_role_steps_are_not_chosen_by_the_person(self):
        with self.assertRaises(PlacementError):
            enter_directly(self.participant, self.journey, self.steps["chef"])

    def test_the_choose_step_page_saves_and_refuses_in_swedish(self):
        self.client.force_login(self.colleague)
        url = reverse("learning:choose_step", args=["barn-och-unga"])
        response = self.client.post(url, {"step": self.steps["ny"].pk})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Du kan inte välja ett lägre steg än", status_code=400)
        self.client.force_login(self.participant)
        response = self.client.post(url, {"step": self.steps["van"].pk})
        self.assertRedirects(response, reverse("catalog:journey", args=["barn-och-unga"]))
        self.assertEqual(Placement.objects.get(person=self.participant).step.slug, "van")


class ManagerOverrideTests(PersonaTestCase):
    def url(self, person):
        return reverse("learning:set_placement", args=[person.pk, "barn-och-unga"])

    def test_the_manager_sets_a_step_with_a_reason(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(
            self.url(self.colleague),
            {"step": self.steps["van"].pk, "reason": "Ny på området barn och unga."},
        )
        self.assertRedirects(response, reverse("learning:person", args=[self.colleague.pk]))
        placement = Placement.objects.get(person=self.colleague)
        self.assertEqual(
            (placement.step.slug, placement.source, placement.decided_by),
            ("van", Placement.Source.MANAGER, self.manager_a),
        )
        event = AuditEvent.objects.get(action="placement.override")
        self.assertEqual(event.actor, self.manager_a)
        self.assertEqual(event.data["reason"], "Ny på området barn och unga.")

    def test_a_reason_is_required_and_the_input_is_kept(self):
        self.client.force_login(self.manager_a)
        response = self.client.post(
            self.url(self.colleague), {"step": self.steps["van"].pk, "reason": "  "}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Ange ett skäl", status_code=400)
        self.assertContains(response, f'value="{self.steps["van"].pk}" selected', status_code=400)
        self.assertFalse(Placement.objects.exists())

    def test_a_step_of_another_journey_is_refused(self):
        other_step = self.elderly_journey.steps.first()
        with self.assertRaises(PlacementError):
            override_placement(
                self.colleague, self.journey, other_step, reason="x", by=self.manager_a
            )

    def test_a_manager_of_another_unit_cannot_change_the_step(self):
        self.client.force_login(self.manager_kumla)
        response = self.client.post(
            self.url(self.participant), {"step": self.steps["van"].pk, "reason": "x"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Placement.objects.exists())

    def test_the_municipal_contact_sees_but_may_not_change(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.post(
            self.url(self.participant), {"step": self.steps["van"].pk, "reason": "x"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Placement.objects.exists())
