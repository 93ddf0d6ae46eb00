"""Material in the admin (editors keep their own journeys') and the demo material."""

import datetime

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.demo.materials import seed_materials
from yrkesresan.materials.models import Material


class MaterialAdminTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elderly_course = Course.objects.create(
            step=cls.elderly_journey.steps.get(slug="bas"), slug="bemotande", title="Bemötande"
        )
        cls.ours = Material.objects.create(
            course=cls.course,
            audience="trainer",
            title="Handledning för utbildare",
            published_on=datetime.date(2025, 7, 1),
        )
        cls.theirs = Material.objects.create(
            course=cls.elderly_course,
            audience="participant",
            title="Bemötande i hemtjänsten",
            published_on=datetime.date(2025, 3, 1),
        )

    def test_an_editor_sees_and_adds_material_only_in_their_journey(self):
        self.login(self.editor)
        listing = self.client.get(reverse("admin:materials_material_changelist"))
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, "Handledning för utbildare")
        self.assertNotContains(listing, "Bemötande i hemtjänsten")
        add = self.client.get(reverse("admin:materials_material_add"))
        courses = list(add.context["adminform"].form.fields["course"].queryset)
        self.assertEqual(courses, [self.course])
        response = self.client.post(
            reverse("admin:materials_material_add"),
            {
                "course": self.elderly_course.pk,
                "audience": "participant",
                "title": "Smygad",
                "version": "1.0",
                "published_on": "2025-08-01",
                "order": 0,
            },
        )
        self.assertEqual(response.status_code, 200)  # the form refuses the course
        self.assertFalse(Material.objects.filter(title="Smygad").exists())
        change = self.client.get(reverse("admin:materials_material_change", args=[self.theirs.pk]))
        self.assertNotEqual(change.status_code, 200)

    def test_an_administrator_sees_all_and_others_none(self):
        self.login(self.admin)
        listing = self.client.get(reverse("admin:materials_material_changelist"))
        self.assertContains(listing, "Bemötande i hemtjänsten")
        self.login(self.coordinator_x)
        self.assertEqual(
            self.client.get(reverse("admin:materials_material_changelist")).status_code, 302
        )


class DemoMaterialTests(PersonaTestCase):
    def test_seeding_is_idempotent_and_covers_every_day(self):
        first = seed_materials()
        count = Material.objects.count()
        second = seed_materials()
        self.assertEqual(Material.objects.count(), count)
        self.assertEqual([m.pk for m in first], [m.pk for m in second])
        participant = Material.objects.filter(course=self.course, audience="participant")
        self.assertEqual(sorted({m.day_number for m in participant if m.day_number}), [1, 2, 3, 4])
        guides = Material.objects.filter(
            course=self.course, audience="trainer", title="Handledning för utbildare"
        ).order_by("published_on")
        self.assertEqual([g.version for g in guides], ["2.0", "2.1"])
        trainer_days = Material.objects.filter(course=self.course, audience="trainer")
        self.assertEqual(sorted({m.day_number for m in trainer_days if m.day_number}), [1, 2, 3, 4])

    def test_material_added_by_an_editor_is_left_alone(self):
        own = Material.objects.create(
            course=self.course,
            audience="participant",
            title="Regional information om lokaler",
            published_on=datetime.date(2025, 9, 1),
        )
        seed_materials()
        self.assertTrue(Material.objects.filter(pk=own.pk).exists())
