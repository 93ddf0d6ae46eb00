"""Journey.suggested_step, the one rule for the step a person belongs on, and its database
twins: the expression over people (staff lists, capacity planning) and the subquery over a
journey's steps (the API's registration), which must decide exactly as the rule does."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone

from yrkesresan.accounts.models import User, WorkRole
from yrkesresan.catalog.models import Journey, Step, suggested_step_id
from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago

STARTS = [
    None,
    years_ago(0, -30),  # a start in the future counts as 0 years
    years_ago(0),
    years_ago(2, -1),
    years_ago(2),
    years_ago(5, -1),
    years_ago(5),
    years_ago(40),
]
WORK_ROLES = ["", WorkRole.UNIT_MANAGER, WorkRole.TEAM_LEADER]


class SuggestedStepTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A journey with a step for unit managers but none for team leaders.
        cls.mixed = Journey.objects.create(slug="blandad", name="Blandad", order=9)
        Step.objects.create(journey=cls.mixed, slug="chef", name="Chef", order=1,
                            work_role=WorkRole.UNIT_MANAGER)  # fmt: skip
        Step.objects.create(journey=cls.mixed, slug="alla", name="Alla", order=2, min_years=0)
        cls.people = [
            make_person(f"p{n}.{role or 'ingen'}@example.com", started=started, work_role=role)
            for n, started in enumerate(STARTS)
            for role in WORK_ROLES
        ]

    def journeys(self):
        return list(Journey.objects.prefetch_related("steps").order_by("pk"))

    def expected(self, journey):
        return {
            person.pk: getattr(journey.suggested_step(person), "pk", None) for person in self.people
        }

    def test_the_role_step_first_then_the_years(self):
        steps = {p.email: self.journey.suggested_step(p) for p in self.people}
        self.assertEqual(steps["p0.unit_manager@example.com"], self.steps["chef"])
        self.assertEqual(steps["p7.team_leader@example.com"], self.steps["arbetsledare"])
        self.assertEqual(steps["p7.ingen@example.com"], self.steps["erfaren"])
        self.assertIsNone(steps["p0.ingen@example.com"])
        people = {p.email: p for p in self.people}
        self.assertEqual(
            self.mixed.suggested_step(people["p0.unit_manager@example.com"]).slug, "chef"
        )
        # No step for team leaders on this journey: the years decide.
        self.assertEqual(
            self.mixed.suggested_step(people["p7.team_leader@example.com"]).slug, "alla"
        )
        self.assertIsNone(self.mixed.suggested_step(people["p0.team_leader@example.com"]))

    def test_the_expression_over_people_decides_as_the_rule(self):
        on = timezone.localdate()
        people = User.objects.filter(pk__in=[p.pk for p in self.people])
        for journey in self.journeys():
            with self.subTest(journey=journey.slug):
                found = dict(
                    people.annotate(step=journey.suggested_step_expression(on)).values_list(
                        "pk", "step"
                    )
                )
                self.assertEqual(found, self.expected(journey))

    def test_the_subquery_over_the_steps_decides_as_the_rule(self):
        for journey in self.journeys():
            with self.subTest(journey=journey.slug):
                found = {}
                for person in self.people:
                    years = person.years_in_profession()
                    found[person.pk] = (
                        Journey.objects.filter(pk=journey.pk)
                        .annotate(
                            step=suggested_step_id(
                                OuterRef("pk"), -1 if years is None else years, person.work_role
                            )
                        )
                        .values_list("step", flat=True)
                        .get()
                    )
                self.assertEqual(found, self.expected(journey))

    def test_the_years_are_counted_to_the_given_day(self):
        # Two years in the profession tomorrow: Ny today, Van tomorrow.
        person = next(p for p in self.people if p.email == "p3.ingen@example.com")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.assertEqual(self.journey.suggested_step(person).slug, "ny")
        self.assertEqual(self.journey.suggested_step(person, on=tomorrow).slug, "van")
        annotated = User.objects.filter(pk=person.pk).annotate(
            step=self.journey.suggested_step_expression(tomorrow)
        )
        self.assertEqual(annotated.get().step, self.steps["van"].pk)


class RoleStepConstraintTests(PersonaTestCase):
    def test_a_step_is_by_years_or_for_a_role_not_both(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Step.objects.create(journey=self.journey, slug="x", name="X", order=9, min_years=3,
                                work_role=WorkRole.UNIT_MANAGER)  # fmt: skip

    def test_one_step_per_role_on_a_journey(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Step.objects.create(journey=self.journey, slug="chef2", name="Chef 2", order=9,
                                work_role=WorkRole.UNIT_MANAGER)  # fmt: skip
        Step.objects.create(journey=self.elderly_journey, slug="chef", name="Chef", order=9,
                            work_role=WorkRole.UNIT_MANAGER)  # fmt: skip
