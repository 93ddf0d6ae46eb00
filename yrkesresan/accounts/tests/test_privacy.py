"""Personal-data rights: see and export everything, erasure on request and by age, and the
record of processing."""

import datetime
import json
import subprocess
import unittest

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts import privacy
from yrkesresan.accounts.models import ApiToken, RoleAssignment, User
from yrkesresan.catalog.models import DeepDiveTask
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PASSWORD, PersonaTestCase, make_catalog, make_person, years_ago
from yrkesresan.enrolment import deep_dive
from yrkesresan.enrolment.models import DeepDiveAnswer, ImportJob, Registration
from yrkesresan.enrolment.services import change_status, register
from yrkesresan.notifications.models import CalendarFeed
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import HandoverNote

DIET = "Glutenfri och laktosfri kost, unik-7f3a"


def registered_with_needs(person, course, structure, by):
    round = make_round(course, structure)
    registration = register(
        person,
        round,
        by=by,
        special_diet=DIET,
        accessibility_needs="Hörslinga, unik-91bc",
        needs_consent=True,
    )
    return round, registration


class APersonSeesEverythingHeldAboutThem(PersonaTestCase):
    def setUp(self):
        self.round, self.registration = registered_with_needs(
            self.participant, self.course, self.region_x, self.manager_a
        )
        ApiToken.issue(self.participant, name="Mitt skript")

    def test_the_page_shows_every_kind_with_why_and_how_long(self):
        self.client.force_login(self.participant)
        page = self.client.get(reverse("accounts:my_data"))
        for text in [
            self.participant.email,
            DIET,
            "Mitt skript",
            "Anmälningar till kursomgångar",
            "Varför",
        ]:
            self.assertContains(page, text)

    def test_the_json_download_holds_every_section_and_is_in_the_trail(self):
        self.client.force_login(self.participant)
        response = self.client.get(reverse("accounts:my_data_json"))
        data = json.loads(response.content)
        keys = {section["key"] for section in data["sections"]}
        self.assertLessEqual(
            {"account", "roles", "api_tokens", "registrations", "completions", "calendar_feed"},
            keys,
        )
        registrations = next(s for s in data["sections"] if s["key"] == "registrations")
        self.assertIn(DIET, json.dumps(registrations["rows"], ensure_ascii=False))
        self.assertTrue(
            AuditEvent.objects.filter(action="person.exported", subject=self.participant)
        )

    def test_the_pdf_download_is_a_pdf(self):
        self.client.force_login(self.participant)
        response = self.client.get(reverse("accounts:my_data_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_nobody_else_can_download_it(self):
        self.client.force_login(self.manager_a)
        data = json.loads(self.client.get(reverse("accounts:my_data_json")).content)
        self.assertNotIn(DIET, json.dumps(data, ensure_ascii=False))


class TheMunicipalityErasesOnRequest(PersonaTestCase):
    def setUp(self):
        self.round, self.registration = registered_with_needs(
            self.participant, self.course, self.region_x, self.manager_a
        )
        task = DeepDiveTask.objects.filter(course=self.course).first()
        deep_dive.save_answer(self.registration, task, "Mitt svar om barnets röst", submit=False)
        CalendarFeed.for_user(self.participant)
        ApiToken.issue(self.participant, name="Skript")
        self.url = reverse("accounts:erase_person", args=[self.participant.pk])

    def erase(self, by):
        self.client.force_login(by)
        return self.client.post(self.url, {"reason": "Begärt av personen", "confirm": "on"})

    def test_the_contact_erases_and_only_anonymous_facts_remain(self):
        email = self.participant.email
        self.assertEqual(self.erase(self.contact_eskilstuna).status_code, 302)
        person = User.objects.get(pk=self.participant.pk)
        self.assertIsNotNone(person.erased_at)
        self.assertEqual(person.get_full_name(), "Raderad person")
        self.assertEqual(person.title, "")
        self.assertNotEqual(person.email, email)
        self.assertFalse(person.is_active)
        self.assertEqual(person.municipality, self.eskilstuna)  # for the statistics
        registration = Registration.objects.get(pk=self.registration.pk)
        self.assertEqual((registration.special_diet, registration.accessibility_needs), ("", ""))
        self.assertEqual(DeepDiveAnswer.objects.get(registration=registration).text, "")
        self.assertFalse(ApiToken.objects.filter(user=person).exists())
        self.assertFalse(CalendarFeed.objects.filter(user=person).exists())
        self.assertFalse(person.has_usable_password())
        self.client.logout()
        login = self.client.post(
            reverse("accounts:login"), {"username": email, "password": PASSWORD}
        )
        self.assertEqual(login.status_code, 200)  # the form again, not a redirect
        event = AuditEvent.objects.get(action="person.erased")
        self.assertEqual((event.actor, event.subject_id), (self.contact_eskilstuna, person.pk))

    def test_others_texts_that_name_the_person_keep_their_sense_without_the_name(self):
        name, email = self.participant.get_full_name(), self.participant.email
        day = self.round.days.first()
        note = HandoverNote.objects.create(
            day=day, covered="Aktualisering", follow_up=f"{name} ({email}) behöver stöd; Kim med."
        )
        # Another person whose name holds the erased one's keeps it.
        longer = HandoverNote.objects.create(
            day=self.round.days.order_by("number")[1],
            covered="Aktualisering",
            follow_up=f"Stöd till {name}sson.",
        )
        job = ImportJob.objects.create(
            owner=self.coordinator_x,
            round=self.round,
            status=ImportJob.Status.FAILED,
            result={"problems": [f"Rad 3: {email.upper()} är anmäld.", "Rad 4: e-post saknas."]},
        )
        self.erase(self.contact_eskilstuna)
        note.refresh_from_db()
        job.refresh_from_db()
        self.assertEqual(
            note.follow_up, "[raderad person] ([raderad person]) behöver stöd; Kim med."
        )
        longer.refresh_from_db()
        self.assertEqual(longer.follow_up, f"Stöd till {name}sson.")
        self.assertEqual(
            job.result["problems"], ["Rad 3: [raderad person] är anmäld.", "Rad 4: e-post saknas."]
        )

    def test_the_erasure_needs_a_reason_and_a_confirmation(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.post(self.url, {"reason": "Begärt"})
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(User.objects.get(pk=self.participant.pk).erased_at)

    def test_a_manager_may_not_erase_and_another_municipality_does_not_see_the_person(self):
        self.assertEqual(self.erase(self.manager_a).status_code, 403)
        self.assertEqual(self.erase(self.manager_kumla).status_code, 404)
        self.assertIsNone(User.objects.get(pk=self.participant.pk).erased_at)

    def test_an_erased_persons_certificate_is_still_verified_without_a_name(self):
        from yrkesresan.enrolment.models import Completion

        completion = Completion.objects.create(
            registration=self.registration,
            person=self.participant,
            course=self.course,
            completed_on=datetime.date(2026, 5, 1),
            verification_code="ABCD-EFGH-JKLM",
            course_title=self.course.title,
        )
        self.erase(self.admin)
        page = self.client.get(reverse("leader:verify_code", args=[completion.verification_code]))
        self.assertContains(page, "innehavarens personuppgifter har raderats")
        self.assertNotContains(page, "Deltagare")


class RetentionByAge(PersonaTestCase):
    """Accounts without a login for 5 years and 9 months are erased, told 30 days before."""

    def setUp(self):
        self.now = timezone.now()
        limit = privacy.erasure_limit(self.now)
        self.old = make_person("gammal@example.com", municipality=self.eskilstuna)
        User.objects.filter(pk=self.old.pk).update(last_login=limit + datetime.timedelta(days=20))
        self.active = make_person("aktiv@example.com", municipality=self.eskilstuna)
        User.objects.filter(pk=self.active.pk).update(last_login=self.now)

    def run_retention(self, now):
        told = []
        result = privacy.apply_retention(now, lambda person, on: told.append((person.pk, on)))
        return told, result

    def test_the_owner_is_told_once_then_erased_after_thirty_days(self):
        told, (noticed, erased) = self.run_retention(self.now)
        self.assertEqual(noticed, [self.old.pk])
        self.assertEqual(told[0][1], (self.now + datetime.timedelta(days=30)).date())
        self.assertEqual(self.run_retention(self.now + datetime.timedelta(days=1))[1], ([], []))
        _, (noticed, erased) = self.run_retention(self.now + datetime.timedelta(days=30))
        self.assertEqual(erased, [self.old.pk])
        self.assertIsNotNone(User.objects.get(pk=self.old.pk).erased_at)
        self.assertIsNone(User.objects.get(pk=self.active.pk).erased_at)
        self.assertEqual(
            list(AuditEvent.objects.filter(subject=self.old).values_list("action", flat=True)),
            ["person.erased", "person.erasure_notice"],
        )

    def test_signing_in_after_the_notice_keeps_the_account(self):
        self.run_retention(self.now)
        User.objects.filter(pk=self.old.pk).update(last_login=self.now + datetime.timedelta(days=2))
        _, (noticed, erased) = self.run_retention(self.now + datetime.timedelta(days=31))
        self.assertEqual(erased, [])
        self.assertIsNone(User.objects.get(pk=self.old.pk).erased_at)

    def test_the_command_sends_the_notice_by_e_mail(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("erase_inactive_accounts", stdout=out)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("erase_inactive_accounts", stdout=StringIO())  # told once only
        self.assertIn("Told 1 people", out.getvalue())
        [message] = mail.outbox
        self.assertEqual(message.to, ["gammal@example.com"])
        self.assertIn("raderas", message.subject)

    def test_never_signed_in_counts_from_the_accounts_creation(self):
        User.objects.filter(pk=self.old.pk).update(
            last_login=None,
            date_joined=privacy.erasure_limit(self.now) - datetime.timedelta(days=1),
        )
        self.assertEqual(self.run_retention(self.now)[1][0], [self.old.pk])


class TheRecordOfProcessing(PersonaTestCase):
    def test_every_model_that_points_at_a_person_is_in_the_record(self):
        from django.apps import apps

        listed = {section.model for section in privacy.processing_record()}
        people = {
            model
            for model in apps.get_models()
            if model.__module__.startswith("yrkesresan")
            and any(
                field.related_model is User
                and field.concrete
                and not field.many_to_many
                and field.name in {"person", "user", "subject"}
                for field in model._meta.get_fields()
                if field.is_relation
            )
        }
        self.assertLessEqual(people, listed | {RoleAssignment})

    def test_the_contact_reads_it_and_a_manager_may_not(self):
        self.client.force_login(self.contact_eskilstuna)
        page = self.client.get(reverse("accounts:processing_record"))
        self.assertContains(page, "specialkost")
        self.client.force_login(self.manager_a)
        self.assertEqual(self.client.get(reverse("accounts:processing_record")).status_code, 403)


def dump():
    """The whole test database as pg_dump writes it (data only)."""
    db = settings.DATABASES["default"]
    return subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            connection.settings_dict["NAME"],
        ],  # fmt: skip
        capture_output=True,
        check=True,
        text=True,
    ).stdout


@unittest.skipUnless(connection.vendor == "postgresql", "reads a PostgreSQL dump")
class NothingIsLeftInTheDatabase(TransactionTestCase):
    def setUp(self):
        journey, steps, _elderly, self.course = make_catalog()
        county = County.objects.create(code="04", name="Södermanlands län")
        municipality = Municipality.objects.create(code="0484", name="Eskilstuna", county=county)
        Membership.objects.create(municipality=municipality, joined_on=datetime.date(2021, 1, 1))
        self.structure = SupportStructure.objects.create(name="Region Mälardalen")
        self.structure.counties.add(county)
        self.person = make_person(
            "unik.person.4411@example.com",
            municipality=municipality,
            started=years_ago(1),
            first_name="Ingrid-Unik",
            last_name="Raderasson",
        )
        self.contact = make_person("kontakt@example.com", municipality=municipality)
        RoleAssignment.objects.create(
            user=self.contact, role=RoleAssignment.Role.MUNICIPAL_CONTACT, municipality=municipality
        )
        self.round, _registration = registered_with_needs(
            self.person, self.course, self.structure, self.contact
        )

    def test_an_erased_persons_name_email_and_needs_are_nowhere_in_a_dump(self):
        self.assertIn("Ingrid-Unik", dump())
        privacy.erase_person(self.person, by=self.contact, reason="Begärt")
        text = dump()
        for trace in ["Ingrid-Unik", "Raderasson", "unik.person.4411", "unik-7f3a", "unik-91bc"]:
            found = [line[:200] for line in text.splitlines() if trace in line]
            self.assertEqual(found, [], f"{trace} is still in the database")

    def test_diet_and_accessibility_needs_are_nowhere_in_a_dump_when_the_round_completes(self):
        self.assertIn("unik-7f3a", dump())
        Round.objects.filter(pk=self.round.pk).update(status=Round.Status.RUNNING)
        change_status(self.round, Round.Status.COMPLETED, by=self.contact)
        text = dump()
        self.assertNotIn("unik-7f3a", text)
        self.assertNotIn("unik-91bc", text)
