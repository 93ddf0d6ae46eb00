"""A published course version is immutable in PostgreSQL itself: what goes around the model's
save() and delete() (a queryset's update or delete, SQL by hand) is refused by a trigger,
while drafts stay editable and publishing still works."""

import unittest

from django.db import InternalError, ProgrammingError, connection, transaction

from yrkesresan.catalog.models import CourseVersion
from yrkesresan.catalog.services import publish_draft, start_draft
from yrkesresan.core.testing import PersonaTestCase, make_person

REFUSALS = (InternalError, ProgrammingError)


@unittest.skipUnless(connection.vendor == "postgresql", "the trigger is PostgreSQL's")
class PublishedVersionsAreImmutableOnPostgreSQL(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.publisher = make_person("utgivare@example.com", is_staff=True)
        draft = start_draft(cls.course, by=cls.editor)
        cls.version = publish_draft(draft, by=cls.publisher, number="2.0", change_note="Första.")
        cls.draft = start_draft(cls.course, by=cls.editor)

    def assert_refused(self, statement):
        with (
            self.assertRaises(REFUSALS) as raised,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [self.version.pk])
        self.assertIn("published course versions are immutable", str(raised.exception))

    def test_an_update_of_a_published_version_is_refused(self):
        self.assert_refused(
            "UPDATE catalog_courseversion SET change_note = 'Ändrad i efterhand.' WHERE id = %s"
        )
        self.version.refresh_from_db()
        self.assertEqual(self.version.change_note, "Första.")

    def test_a_delete_of_a_published_version_is_refused(self):
        self.assert_refused("DELETE FROM catalog_courseversion WHERE id = %s")

    def test_the_orm_cannot_go_around_the_model_either(self):
        with self.assertRaises(REFUSALS), transaction.atomic():
            CourseVersion.objects.filter(pk=self.version.pk).update(content={})
        with self.assertRaises(REFUSALS), transaction.atomic():
            CourseVersion.objects.filter(pk=self.version.pk).delete()
        self.version.refresh_from_db()
        self.assertEqual(self.version.content["title"], self.course.title)

    def test_a_draft_can_be_changed_deleted_and_published(self):
        CourseVersion.objects.filter(pk=self.draft.pk).update(change_note="Utkast.")
        published = publish_draft(self.draft, by=self.editor, number="2.1", change_note="Ny.")
        self.assertTrue(published.is_published)
        other = start_draft(self.course, by=self.editor)
        CourseVersion.objects.filter(pk=other.pk).delete()
        self.assertFalse(CourseVersion.objects.filter(pk=other.pk).exists())

    def test_deleting_the_publishers_account_only_forgets_who_published(self):
        self.publisher.delete()
        self.version.refresh_from_db()
        self.assertIsNone(self.version.published_by_id)
        self.assertEqual(self.version.number, "2.0")
