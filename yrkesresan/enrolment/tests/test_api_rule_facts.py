"""The registration path of the API: the rules' facts it reads in SQL, its compiled queries and
its query count."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesresan.accounts.models import User, WorkRole
from yrkesresan.catalog.models import Course
from yrkesresan.core.compiled import CompiledQuery
from yrkesresan.core.testing import make_person, rejoin, years_ago
from yrkesresan.enrolment import api
from yrkesresan.enrolment.models import Placement, Registration
from yrkesresan.enrolment.placement import current_placement, set_work_role
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.organisations.models import Membership, Municipality
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round


class RuleFactsTests(ApiTestCase):
    """The facts read with the person and the round are those the rules read one by one."""

    def assert_same_facts(self, person):
        today = timezone.localdate()
        found, is_member = api.find_person(person.email, today)
        self.assertEqual(found.pk, person.pk)
        round = api.get_round_for_registration(self.coordinator_x, self.round_x.pk, found, today)
        person.refresh_from_db()
        municipality = person.municipality
        self.assertEqual(
            is_member, municipality is not None and municipality.membership_on(today) is not None
        )
        step = current_placement(person, self.journey).step
        self.assertEqual(round.person_step_id, step.pk if step else None)
        self.assertEqual(found.municipality, municipality)

    def test_steps_by_years_and_by_placement(self):
        for years in [0, 1, 2, 4, 5, 30]:
            with self.subTest(years=years):
                person = make_person(f"ar{years}@example.com", unit=self.unit_a)
                person.profession_started_on = years_ago(years)
                person.save()
                self.assert_same_facts(person)
        unknown = make_person("okand@example.com", unit=self.unit_a)
        unknown.profession_started_on = None
        unknown.save()
        self.assert_same_facts(unknown)
        for person, step in [(self.colleague, "ny"), (unknown, "chef")]:
            Placement.objects.create(
                person=person,
                journey=self.journey,
                step=self.steps[step],
                source=Placement.Source.MANAGER,
                reason="Chefens beslut.",
            )
            self.assert_same_facts(person)
        # A placement on another journey does not count on this one.
        Placement.objects.create(
            person=self.participant,
            journey=self.elderly_journey,
            step=self.elderly_journey.steps.first(),
            source=Placement.Source.DIRECT_ENTRY,
        )
        self.assert_same_facts(self.participant)

    def test_steps_by_role_at_work(self):
        for years in [None, 1, 7]:
            for work_role in ["", *WorkRole.values]:
                with self.subTest(years=years, work_role=work_role):
                    person = make_person(
                        f"roll.{years}.{work_role}@example.com",
                        unit=self.unit_a,
                        started=None if years is None else years_ago(years),
                        work_role=work_role,
                    )
                    self.assert_same_facts(person)
                    if work_role:
                        step = current_placement(person, self.journey).step
                        self.assertEqual(step.work_role, work_role)

    def test_a_unit_manager_registers_for_the_chef_course_without_a_reason(self):
        chef_course = Course.objects.create(
            step=self.steps["chef"], slug="leda-introduktion", title="Att leda introduktion"
        )
        round = make_round(chef_course, self.region_x, name="Chefsomgång")
        url = self.registrations_url(round)
        body = {"email": self.manager_a.email}
        self.assert_error(self.api("POST", url, "contact_eskilstuna", body), 409)
        set_work_role(self.manager_a, WorkRole.UNIT_MANAGER, by=self.contact_eskilstuna)
        response = self.api("POST", url, "contact_eskilstuna", body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["step_mismatch_reason"], "")

    def test_membership_in_force_today(self):
        today = timezone.localdate()
        day = datetime.timedelta(days=1)
        person = self.other_unit_participant
        memberships = Membership.objects.filter(municipality=person.municipality)
        for joined_on, left_on in [
            (today - 10 * day, None),
            (today - 10 * day, today),
            (today - 10 * day, today + day),
            (today, None),
            (today + day, None),
        ]:
            with self.subTest(joined_on=joined_on, left_on=left_on):
                memberships.update(joined_on=joined_on, left_on=left_on)
                self.assert_same_facts(person)
        rejoin(person.municipality)
        self.assert_same_facts(person)
        outside = Municipality.objects.create(code="9999", name="Utanför", county=self.stockholm)
        self.assert_same_facts(make_person("utanfor@example.com", municipality=outside))
        self.assert_same_facts(make_person("ingenstans@example.com"))

    def test_an_unknown_person_reads_the_round_alone(self):
        today = timezone.localdate()
        self.assertEqual(api.find_person("ingen@example.com", today), (None, False))
        round = api.get_round_for_registration(self.coordinator_x, self.round_x.pk, None, today)
        self.assertEqual(round.pk, self.round_x.pk)
        self.assertIsNone(round.active_registration_id)

    def test_the_active_registration_comes_with_the_round(self):
        today = timezone.localdate()
        person, _ = api.find_person(self.participant.email, today)
        round = api.get_round_for_registration(self.manager_a, self.round_x.pk, person, today)
        self.assertEqual(round.active_registration_id, self.registration_x.pk)
        Registration.objects.filter(pk=self.registration_x.pk).update(status="cancelled")
        round = api.get_round_for_registration(self.manager_a, self.round_x.pk, person, today)
        self.assertIsNone(round.active_registration_id)


class RegistrationQueryCountTests(ApiTestCase):
    def register(self, email):
        url = self.registrations_url(self.round_x)
        with CaptureQueriesContext(connection) as context:
            response = self.api("POST", url, "coordinator_x", {"email": email})
        self.assertEqual(response.status_code, 201, response.content)
        return len(context.captured_queries), response.json()["status"]

    def test_a_registration_costs_the_same_whatever_the_round_holds(self):
        self.api("GET", self.round_url(self.round_x), "coordinator_x")  # records the token's use
        # The token with its owner's roles, the person, the round with the rules' facts; under
        # the lock: the lock, the counts, the insert, the audit event, the calendar state (a
        # seat only): 8, and here the transaction's savepoint and its release (2). The e-mail
        # task is queued after the commit (not run in a TestCase).
        Round.objects.filter(pk=self.round_x.pk).update(seats=30)
        people = [
            make_person(f"fler{n}@example.com", unit=self.unit_a, started=years_ago(1))
            for n in range(25)
        ]
        self.assertEqual(self.register(people[0].email), (10, "registered"))
        for person in people[1:20]:
            self.register(person.email)
        self.assertEqual(self.register(people[20].email), (10, "registered"))
        Round.objects.filter(pk=self.round_x.pk).update(seats=22)
        self.assertEqual(self.register(people[21].email), (9, "waitlisted"))


class HugeIdTests(ApiTestCase):
    def test_an_id_beyond_the_column_is_404(self):
        for huge in [10**15, 10**20]:
            with self.subTest(huge=huge):
                self.assert_error(self.api("GET", f"/api/v1/rounds/{huge}", "admin"), 404)
                url = f"/api/v1/rounds/{huge}/registrations"
                body = {"email": self.participant.email}
                self.assert_error(self.api("POST", url, "admin", body), 404)


class CompiledQueryTests(TestCase):
    def test_a_sentinel_that_does_not_reach_the_sql_is_refused(self):
        query = CompiledQuery(
            lambda pk, other: Round.objects.filter(pk=pk).values_list("pk"),
            pk=2_000_000_041,
            other=2_000_000_042,
        )
        with self.assertRaisesMessage(ValueError, "other"):
            query.rows(pk=1, other=2)

    def test_rows_are_converted_like_values_list(self):
        person = make_person("datum@example.com", started=years_ago(3))
        query = CompiledQuery(
            lambda email: User.objects.filter(email=email).values_list(
                "profession_started_on", "date_joined", "is_active"
            ),
            email="sentinel:email",
        )
        ((started, joined, active),) = query.rows(email=person.email)
        self.assertEqual(started, person.profession_started_on)
        self.assertEqual(joined, person.date_joined)
        self.assertIs(active, True)
        self.assertEqual(query.rows(email="ingen@example.com"), [])
