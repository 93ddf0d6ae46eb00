"""Course versions: editors work on one draft; publishing freezes it as a numbered version with
a change note and copies it to the course; published versions never change; two editors
publishing the same course cannot overwrite each other; two versions compare part by part."""

from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation

from yrkesresan.catalog.models import CourseVersion, LegalReference, PublishedVersionError
from yrkesresan.catalog.services import (
    ContentError,
    VersionConflict,
    current_version,
    next_number,
    publish_draft,
    save_draft,
    start_draft,
)
from yrkesresan.catalog.signals import version_published
from yrkesresan.catalog.versions import compare, snapshot
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase


def publish_first(course, editor, number="2.0"):
    """The course as it is, published as its first version."""
    draft = start_draft(course, by=editor)
    return publish_draft(draft, by=editor, number=number, change_note="Första versionen.")


# Refusals are checked in their English source.
@override_settings(LANGUAGE_CODE="en")
class CourseVersionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.new_act = LegalReference.objects.get(sfs_number="2025:400")

    def edited(self, draft, day_title="Utredning enligt nya SoL", prep_minutes=45):
        content = dict(draft.content)
        content["day_plans"] = [dict(row) for row in content["day_plans"]]
        content["day_plans"][1]["title"] = day_title
        content["preparation"] = [dict(row) for row in content["preparation"]]
        content["preparation"][0]["estimated_minutes"] = prep_minutes
        return content


class DraftAndPublishTests(CourseVersionTestCase):
    def test_a_draft_starts_from_the_course_as_it_is_and_there_is_only_one(self):
        draft = start_draft(self.course, by=self.editor)
        self.assertEqual(draft.status, CourseVersion.Status.DRAFT)
        self.assertEqual(draft.based_on, "1.0")
        self.assertEqual(draft.content, snapshot(self.course))
        self.assertEqual(start_draft(self.course, by=self.editor), draft)
        with self.assertRaises(IntegrityError), transaction.atomic():
            CourseVersion.objects.create(course=self.course)

    def test_publishing_copies_the_draft_to_the_course_and_keeps_the_change_note(self):
        day_two = self.course.day_plans.get(number=2)
        draft = start_draft(self.course, by=self.editor)
        draft = save_draft(draft, self.edited(draft), by=self.editor, revision=0)
        version = publish_draft(
            draft,
            by=self.editor,
            number="2.1",
            change_note="Dag 2 följer den nya socialtjänstlagen.",
            legal_reference=self.new_act,
        )
        self.course.refresh_from_db()
        self.assertEqual(self.course.version, "2.1")
        day_two.refresh_from_db()  # updated in place: answers and progress keep pointing at it
        self.assertEqual(day_two.title, "Utredning enligt nya SoL")
        self.assertEqual(self.course.preparation_tasks.get().estimated_minutes, 45)
        self.assertTrue(version.is_published)
        self.assertEqual(version.legal_reference, self.new_act)
        self.assertEqual(version.published_by, self.editor)
        self.assertEqual(current_version(self.course), version)
        self.assertEqual(version.content["day_plans"][1]["title"], "Utredning enligt nya SoL")
        self.assertTrue(
            AuditEvent.objects.filter(action="course.version_published", data__number="2.1")
        )

    def test_rows_added_and_removed_in_the_draft_are_added_and_removed(self):
        draft = start_draft(self.course, by=self.editor)
        content = dict(draft.content)
        content["deep_dive_tasks"] = [{"id": None, "title": "Ny uppgift", "instructions": "Gör."}]
        content["day_plans"] = content["day_plans"][:3]
        content["course_days"] = 3
        draft = save_draft(draft, content, by=self.editor, revision=0)
        version = publish_draft(draft, by=self.editor, number="1.1", change_note="Tre dagar.")
        self.assertEqual(list(self.course.deep_dive_tasks.values_list("title", flat=True)),
                         ["Ny uppgift"])  # fmt: skip
        self.assertEqual(self.course.day_plans.count(), 3)
        self.assertIsNotNone(version.content["deep_dive_tasks"][0]["id"])

    def test_publishing_tells_the_layers_above_after_commit(self):
        heard = []

        def receiver(sender, version, previous, **kwargs):
            heard.append((version.number, previous))

        version_published.connect(receiver)
        self.addCleanup(version_published.disconnect, receiver)
        with self.captureOnCommitCallbacks(execute=True):
            publish_first(self.course, self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            draft = start_draft(self.course, by=self.editor)
            publish_draft(draft, by=self.editor, number="2.1", change_note="Ändrat.")
        self.assertEqual(heard, [("2.0", ""), ("2.1", "2.0")])

    def test_a_number_that_is_not_new_and_greater_is_refused(self):
        publish_first(self.course, self.editor)
        draft = start_draft(self.course, by=self.editor)
        for number in ["2.0", "1.9", "två", ""]:
            with self.subTest(number=number), self.assertRaises(ContentError):
                publish_draft(draft, by=self.editor, number=number, change_note="Ändrat.")
        draft.refresh_from_db()
        self.assertEqual(draft.status, CourseVersion.Status.DRAFT)

    def test_the_first_version_may_keep_the_label_the_course_had(self):
        self.assertEqual(publish_first(self.course, self.editor, number="1.0").number, "1.0")

    def test_a_publish_without_a_change_note_is_refused(self):
        draft = start_draft(self.course, by=self.editor)
        with self.assertRaisesMessage(ContentError, "change note"):
            publish_draft(draft, by=self.editor, number="2.0", change_note="  ")

    def test_invalid_content_is_refused_and_nothing_is_written(self):
        draft = start_draft(self.course, by=self.editor)
        content = self.edited(draft, day_title="")
        with self.assertRaises(ContentError):
            save_draft(draft, content, by=self.editor, revision=0)
        content = self.edited(draft, prep_minutes=-5)
        with self.assertRaises(ContentError):
            save_draft(draft, content, by=self.editor, revision=0)
        draft.refresh_from_db()
        self.assertEqual(draft.revision, 0)
        self.assertEqual(draft.content, snapshot(self.course))

    def test_next_number_counts_up_the_last_part(self):
        self.assertEqual(next_number("2.0"), "2.1")
        self.assertEqual(next_number("1.9"), "1.10")
        self.assertEqual(next_number(""), "1.0")


class ImmutabilityTests(CourseVersionTestCase):
    def test_a_published_version_cannot_be_changed_or_deleted(self):
        version = publish_first(self.course, self.editor)
        version.change_note = "Omskrivet i efterhand."
        with self.assertRaisesMessage(PublishedVersionError, "is published and cannot be changed"):
            version.save()
        with self.assertRaisesMessage(PublishedVersionError, "is published and cannot be deleted"):
            version.delete()
        version.refresh_from_db()
        self.assertEqual(version.change_note, "Första versionen.")

    def test_a_draft_loaded_before_it_was_published_cannot_be_saved_over_it(self):
        draft = start_draft(self.course, by=self.editor)
        stale = CourseVersion.objects.get(pk=draft.pk)
        publish_draft(draft, by=self.editor, number="2.0", change_note="Första versionen.")
        stale.content = {}
        with self.assertRaises(PublishedVersionError):
            stale.save()
        with self.assertRaises(VersionConflict):
            save_draft(stale, {}, by=self.editor, revision=0)
        self.assertNotEqual(CourseVersion.objects.get(pk=draft.pk).content, {})


class ConcurrentEditorsTests(CourseVersionTestCase):
    def test_the_second_of_two_editors_publishing_the_same_draft_gets_a_conflict(self):
        mine = start_draft(self.course, by=self.editor)
        theirs = CourseVersion.objects.get(pk=mine.pk)  # the same draft, opened by the admin
        publish_draft(mine, by=self.editor, number="2.1", change_note="Min ändring.")
        conflict = "already published this draft as version 2.1"
        with self.assertRaisesMessage(VersionConflict, conflict):
            publish_draft(theirs, by=self.admin, number="2.2", change_note="Deras ändring.")
        self.course.refresh_from_db()
        self.assertEqual(self.course.version, "2.1")
        self.assertEqual(
            list(self.course.versions.values_list("number", "change_note")),
            [("2.1", "Min ändring.")],
        )

    def test_a_draft_based_on_an_older_version_cannot_be_published_over_a_newer(self):
        draft = start_draft(self.course, by=self.editor)
        CourseVersion.objects.filter(pk=draft.pk).update(based_on="0.9")
        with self.assertRaisesMessage(VersionConflict, "published after this draft"):
            publish_draft(draft, by=self.editor, number="2.0", change_note="Ändrat.")

    def test_a_save_over_a_newer_save_is_refused_and_the_newer_kept(self):
        draft = start_draft(self.course, by=self.editor)
        first = save_draft(draft, self.edited(draft), by=self.editor, revision=0)
        with self.assertRaisesMessage(VersionConflict, "Someone else has saved"):
            save_draft(draft, self.edited(draft, "Annat"), by=self.admin, revision=0)
        first.refresh_from_db()
        self.assertEqual(first.content["day_plans"][1]["title"], "Utredning enligt nya SoL")


class CompareTests(CourseVersionTestCase):
    def test_two_versions_compare_part_by_part_with_added_and_removed_lines(self):
        old = publish_first(self.course, self.editor)
        draft = start_draft(self.course, by=self.editor)
        draft = save_draft(draft, self.edited(draft), by=self.editor, revision=0)
        new = publish_draft(draft, by=self.editor, number="2.1", change_note="Ändrat.")
        with translation.override("en"):
            parts = {part.heading: part for part in compare(old.content, new.content)}
        self.assertEqual(
            list(parts),
            ["Course", "Knowledge goals", "Preparation", "Day plans", "Deep-dive tasks",
             "Laws and regulations"],
        )  # fmt: skip
        self.assertIn(("-", "    title: Utredning"), parts["Day plans"].lines)
        self.assertIn(("+", "    title: Utredning enligt nya SoL"), parts["Day plans"].lines)
        self.assertIn(("+", "    estimated_minutes: 45"), parts["Preparation"].lines)
        self.assertFalse(parts["Knowledge goals"].changed)
        self.assertTrue(parts["Day plans"].changed)
