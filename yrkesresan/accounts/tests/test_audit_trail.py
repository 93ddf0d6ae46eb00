"""The audit trail people can read: who saw or changed whose data, append-only."""

import unittest

from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yrkesresan.accounts.models import ApiToken
from yrkesresan.core.models import AuditEvent, log_action, log_view
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.testing import make_round


class TheTrailRecordsWhoSawWhom(PersonaTestCase):
    def test_a_manager_opening_a_persons_page_is_in_that_persons_trail(self):
        self.client.force_login(self.manager_a)
        self.client.get(reverse("learning:person", args=[self.participant.pk]))
        self.client.force_login(self.participant)
        page = self.client.get(reverse("accounts:my_trail"))
        self.assertContains(page, self.manager_a.get_full_name())
        self.assertContains(page, "Såg personens sida")

    def test_downloading_a_record_is_in_the_trail(self):
        self.client.force_login(self.manager_a)
        url = reverse("record:person_pdf", args=[self.participant.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        event = AuditEvent.objects.get(subject=self.participant, action="viewed")
        self.assertEqual((event.actor, event.data), (self.manager_a, {"what": "record_pdf"}))

    def test_the_attendance_list_records_everyone_on_it_in_one_insert(self):
        round = make_round(self.course, self.region_x)
        round.course_leader = self.course_leader_x
        round.save()
        people = [self.participant, self.colleague, self.kumla_participant]
        for person in people:
            register(person, round, by=self.admin, step_mismatch_reason="Test")
        self.client.force_login(self.course_leader_x)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("enrolment:attendance_list", args=[round.pk]))
        self.assertEqual(response.status_code, 200)
        inserts = [
            q
            for q in captured.captured_queries
            if "INSERT INTO" in q["sql"] and "core_auditevent" in q["sql"]
        ]
        self.assertEqual(len(inserts), 1)
        seen = AuditEvent.objects.filter(action="viewed", actor=self.course_leader_x)
        self.assertEqual(
            sorted(event.subject_id for event in seen), sorted(person.pk for person in people)
        )
        self.assertEqual({event.data["what"] for event in seen}, {"attendance_list"})

    def test_looking_at_ones_own_data_is_not_recorded(self):
        log_view(self.participant, [self.participant], "person_detail")
        self.assertFalse(AuditEvent.objects.filter(subject=self.participant).exists())

    def test_a_person_sees_changes_made_by_others_but_not_their_own(self):
        round = make_round(self.course, self.region_x, status="open")
        register(self.participant, round, by=self.manager_a)
        self.client.force_login(self.participant)
        page = self.client.get(reverse("accounts:my_trail"))
        self.assertContains(page, "Anmäld till en kursomgång")
        self.assertContains(page, self.manager_a.get_full_name())


class ContactsReadTheirStaffsTrail(PersonaTestCase):
    def setUp(self):
        log_view(self.manager_a, [self.participant], "person_detail")
        log_view(self.manager_kumla, [self.kumla_participant], "person_detail")

    def test_the_contact_sees_the_trail_of_the_municipalitys_staff_only(self):
        self.client.force_login(self.contact_eskilstuna)
        page = self.client.get(reverse("accounts:staff_trail"))
        self.assertContains(page, self.participant.get_full_name())
        self.assertNotContains(page, self.kumla_participant.get_full_name())

    def test_the_contact_can_narrow_the_trail_to_one_person(self):
        log_view(self.manager_a, [self.colleague], "person_detail")
        self.client.force_login(self.contact_eskilstuna)
        page = self.client.get(reverse("accounts:staff_trail"), {"q": self.colleague.email})
        self.assertContains(page, self.colleague.get_full_name())
        self.assertNotContains(page, self.participant.get_full_name())

    def test_an_over_long_filter_is_refused_with_400(self):
        self.client.force_login(self.contact_eskilstuna)
        page = self.client.get(reverse("accounts:staff_trail"), {"q": "x" * 101})
        self.assertEqual(page.status_code, 400)

    def test_managers_and_participants_may_not_read_the_staff_trail(self):
        for person in [self.manager_a, self.participant, self.coordinator_x]:
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("accounts:staff_trail")).status_code, 403)

    def test_the_menu_offers_the_log_to_contacts_only(self):
        self.client.force_login(self.contact_eskilstuna)
        self.assertContains(self.client.get("/"), reverse("accounts:staff_trail"))
        self.client.force_login(self.manager_a)
        self.assertNotContains(self.client.get("/"), reverse("accounts:staff_trail"))

    def test_an_erased_viewer_stays_in_the_trail_as_erased(self):
        viewer_pk = self.manager_a.pk
        self.manager_a.delete()
        event = AuditEvent.objects.get(subject=self.participant)
        self.assertEqual(event.actor_id, viewer_pk)
        self.client.force_login(self.contact_eskilstuna)
        self.assertContains(
            self.client.get(reverse("accounts:staff_trail")), "En person vars konto är raderat"
        )


class RoleChangesAreInTheTrail(PersonaTestCase):
    def test_a_role_given_in_the_admin_is_logged_with_the_person(self):
        self.client.force_login(self.admin)
        url = reverse("admin:accounts_user_change", args=[self.colleague.pk])
        page = self.client.get(url)
        data = {
            field.html_name: field.value() or ""
            for field in page.context["adminform"].form
            if field.name not in {"password", "work_role"}
        }
        data.update(
            {
                "is_active": "on",
                "roles-TOTAL_FORMS": "1",
                "roles-INITIAL_FORMS": "0",
                "roles-MIN_NUM_FORMS": "0",
                "roles-MAX_NUM_FORMS": "1000",
                "roles-0-role": "manager",
                "roles-0-unit": str(self.unit_a.pk),
            }
        )
        for key in ["is_staff", "is_superuser", "findable_by_colleagues"]:
            if not data.get(key):
                data.pop(key, None)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        event = AuditEvent.objects.get(action="role.added")
        self.assertEqual((event.actor, event.subject), (self.admin, self.colleague))


@unittest.skipUnless(connection.vendor == "postgresql", "the trigger is PostgreSQL's")
class TheTrailIsAppendOnlyOnPostgreSQL(TestCase):
    """Not even the application's own database user may change or remove a row."""

    def setUp(self):
        self.event = log_action(None, "test.event", AuditEvent(pk=1))

    def assert_refused(self, statement):
        refusals = (InternalError, ProgrammingError, IntegrityError)
        with (
            self.assertRaises(refusals) as raised,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [self.event.pk])
        self.assertIn("append-only", str(raised.exception))

    def test_an_update_is_refused(self):
        self.assert_refused("UPDATE core_auditevent SET action = 'forged' WHERE id = %s")

    def test_a_delete_is_refused(self):
        self.assert_refused("DELETE FROM core_auditevent WHERE id = %s")

    def test_the_orm_cannot_delete_either(self):
        with self.assertRaises((InternalError, ProgrammingError)), transaction.atomic():
            AuditEvent.objects.filter(pk=self.event.pk).delete()
        self.assertTrue(AuditEvent.objects.filter(pk=self.event.pk).exists())


class TheTrailPagesReadAConstantNumberOfQueries(PersonaTestCase):
    def counts(self, person, url):
        from yrkesresan.core.testing import count_queries

        self.client.force_login(person)
        return count_queries(self.client, url)

    def test_the_trail_pages_and_the_tokens_page_do_not_grow_with_the_data(self):
        pages = [
            (self.participant, reverse("accounts:my_trail")),
            (self.contact_eskilstuna, reverse("accounts:staff_trail")),
            (self.admin, reverse("accounts:api_tokens")),
        ]
        log_view(self.manager_a, [self.participant], "person_detail")
        ApiToken.issue(self.manager_a, name="Ett")
        small = [self.counts(person, url) for person, url in pages]
        for viewer in [self.manager_a, self.admin, self.course_leader_x, self.coordinator_x]:
            log_view(viewer, [self.participant, self.colleague], "person_detail")
        for name in ["Två", "Tre", "Fyra"]:
            ApiToken.issue(self.manager_kumla, name=name)
        self.assertEqual([self.counts(person, url) for person, url in pages], small)
