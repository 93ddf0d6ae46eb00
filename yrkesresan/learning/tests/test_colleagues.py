"""Colleague search: only people who opted in, found by municipality, role and course."""

import datetime
import itertools
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.core.testing import (
    PersonaTestCase,
    count_queries,
    make_person,
    rejoin,
    years_ago,
)
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.enrolment.services import register
from yrkesresan.organisations.models import Membership
from yrkesresan.rounds.testing import make_round

URL = reverse("colleagues:search")
ENGLISH = {"accept-language": "en"}  # messages asserted in their English source


class ColleagueSearchTestCase(PersonaTestCase):
    """Opted in: kumla_participant (registered in the course), trainer_x (trainer, completed
    the course), solna_participant (a barnutredare). Not opted in: everyone else, among them
    participant, a "Barnutredare" in Eskilstuna who has completed the course too."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = make_round(cls.course, cls.region_x)
        for person, title in [
            (cls.kumla_participant, "Socialsekreterare"),
            (cls.trainer_x, "Teamledare"),
            (cls.solna_participant, "Barnutredare"),
        ]:
            person.findable_by_colleagues = True
            person.title = title
            person.save()
        cls.participant.title = "Barnutredare"
        cls.participant.save()
        register(cls.kumla_participant, cls.round, by=cls.manager_kumla)
        for person in [cls.participant, cls.trainer_x]:
            registration = Registration.objects.create(
                round=cls.round, person=person, status=Registration.Status.REGISTERED
            )
            Completion.objects.create(
                registration=registration,
                person=person,
                course=cls.course,
                completed_on=years_ago(0, 10),
                verification_code=f"CODE-{person.pk}",
            )
        cls.findable = {cls.kumla_participant, cls.trainer_x, cls.solna_participant}

    def found(self, **params):
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200, params)
        return [person.email for person in response.context["page"]]


class ColleagueSearchTests(ColleagueSearchTestCase):
    def test_lists_only_people_who_opted_in(self):
        self.login(self.participant)
        self.assertEqual(
            self.found(), ["kumla@example.com", "solna@example.com", "utbildare@example.com"]
        )

    def test_nobody_who_has_not_opted_in_appears_whatever_the_filter(self):
        self.login(self.admin)
        roles = ["", *[role for role, _ in RoleAssignment.Role.choices]]
        municipalities = ["", self.eskilstuna.pk, self.kumla.pk, self.katrineholm.pk]
        titles = ["", "barnutredare", "a"]
        courses = ["", self.course.pk]
        seen = set()
        for municipality, title, role, course in itertools.product(
            municipalities, titles, roles, courses
        ):
            params = {"municipality": municipality, "title": title, "role": role}
            params["course"] = course
            response = self.client.get(URL, params)
            if response.status_code == 400:
                # Roles outside the search (coordinator, editor, administrator) are refused.
                self.assertNotIn(role, ["", "trainer", "course_leader", "manager"])
                continue
            people = set(response.context["page"])
            seen |= people
            self.assertLessEqual(people, self.findable, params)
        self.assertEqual(seen, self.findable)

    def test_someone_who_opts_out_disappears(self):
        self.login(self.participant)
        self.trainer_x.findable_by_colleagues = False
        self.trainer_x.save()
        self.assertNotIn("utbildare@example.com", self.found())

    def test_inactive_people_are_not_listed(self):
        self.login(self.participant)
        User.objects.filter(pk=self.solna_participant.pk).update(is_active=False)
        self.assertNotIn("solna@example.com", self.found())

    def test_filter_by_municipality(self):
        self.login(self.participant)
        self.assertEqual(self.found(municipality=self.kumla.pk), ["kumla@example.com"])
        self.assertEqual(self.found(municipality=self.eskilstuna.pk), [])

    def test_the_municipality_filter_lists_the_members_of_the_day(self):
        """A municipality that rejoined is offered; one that left is not; the list is decided
        on the day it is shown, not when the server started."""
        rejoin(self.kumla)
        self.katrineholm.memberships.update(left_on=timezone.localdate())
        self.login(self.participant)
        response = self.client.get(URL, {"municipality": self.kumla.pk})
        choices = response.context["form"].fields["municipality"].queryset
        self.assertEqual([m.name for m in choices], ["Eskilstuna", "Kumla", "Solna"])
        self.assertEqual(self.found(municipality=self.kumla.pk), ["kumla@example.com"])
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        Membership.objects.create(municipality=self.arboga, joined_on=tomorrow)
        with mock.patch.object(timezone, "localdate", return_value=tomorrow):
            response = self.client.get(URL)
        choices = response.context["form"].fields["municipality"].queryset
        self.assertIn(self.arboga, choices)

    def test_filter_by_title_and_role(self):
        self.login(self.participant)
        self.assertEqual(self.found(title="barnutred"), ["solna@example.com"])
        self.assertEqual(self.found(role="trainer"), ["utbildare@example.com"])
        self.assertEqual(self.found(role="trainer", title="barnutred"), [])
        self.assertEqual(self.found(role="course_leader"), [])

    def test_filter_by_course_completed_or_under_way(self):
        self.login(self.participant)
        self.assertEqual(
            self.found(course=self.course.pk), ["kumla@example.com", "utbildare@example.com"]
        )
        # A cancelled registration does not count.
        Registration.objects.filter(person=self.kumla_participant).update(
            status=Registration.Status.CANCELLED
        )
        self.assertEqual(self.found(course=self.course.pk), ["utbildare@example.com"])

    def test_shows_name_title_municipality_e_mail_and_role(self):
        self.login(self.participant)
        response = self.client.get(URL, {"municipality": self.katrineholm.pk}, headers=ENGLISH)
        self.assertContains(response, "Utbildare Testsson")
        self.assertContains(response, "Teamledare")
        self.assertContains(response, "Katrineholm")
        self.assertContains(response, 'href="mailto:utbildare@example.com"')
        self.assertContains(response, "Trainer")

    def test_bad_input_is_refused_with_a_message(self):
        self.login(self.participant)
        for params, message in [
            ({"municipality": 999999}, "Choose a municipality from the list."),
            ({"role": "administrator"}, "Choose a role from the list."),
            ({"course": "x"}, "Choose a course from the list."),
        ]:
            response = self.client.get(URL, params, headers=ENGLISH)
            self.assertContains(response, message, status_code=400)
            self.assertEqual(list(response.context["page"]), [])

    def test_the_page_is_in_swedish_by_default(self):
        self.login(self.participant)
        response = self.client.get(URL)
        self.assertContains(response, '<html lang="sv">')

    def test_logged_in_users_only(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        for persona in [
            "participant",
            "solna_participant",
            "manager_a",
            "coordinator_y",
            "trainer_x",
            "editor",
            "admin",
        ]:
            self.login(getattr(self, persona))
            self.assertEqual(self.client.get(URL).status_code, 200, persona)

    def test_paginated_in_a_constant_number_of_queries(self):
        self.login(self.participant)
        before = count_queries(self.client, URL)
        for n in range(40):
            person = make_person(
                f"kollega{n:02}@example.com",
                unit=self.unit_kumla if n % 2 else self.unit_solna,
                title="Familjehemssekreterare",
                findable_by_colleagues=True,
            )
            if n % 3 == 0:
                RoleAssignment.objects.create(
                    user=person, role=RoleAssignment.Role.TRAINER, structure=self.region_x
                )
        self.assertEqual(count_queries(self.client, URL), before)
        self.assertLessEqual(before, 8)
        response = self.client.get(URL)
        self.assertEqual(response.context["page"].paginator.count, 43)
        self.assertEqual(len(response.context["page"]), 24)
        self.assertContains(response, "sida=2")
        second = self.client.get(URL, {"title": "familjehem", "sida": 2})
        self.assertEqual(len(second.context["page"]), 16)
        self.assertContains(second, "title=familjehem&amp;sida=1")


class OptInTests(PersonaTestCase):
    def test_the_profile_explains_and_saves_the_choice(self):
        self.login(self.participant)
        url = reverse("accounts:profile")
        response = self.client.get(url, headers=ENGLISH)
        self.assertContains(response, "Let colleagues in other municipalities find me")
        self.assertContains(response, "name, title, municipality and e-mail address")
        data = {
            "first_name": "Deltagare",
            "last_name": "Testsson",
            "title": "Socialsekreterare",
            "profession_started_on": years_ago(1).isoformat(),
            "findable_by_colleagues": "on",
        }
        self.assertRedirects(self.client.post(url, data), url)
        self.participant.refresh_from_db()
        self.assertTrue(self.participant.findable_by_colleagues)
        self.assertIn("deltagare@example.com", self.search())
        del data["findable_by_colleagues"]
        self.client.post(url, data)
        self.participant.refresh_from_db()
        self.assertFalse(self.participant.findable_by_colleagues)
        self.assertNotIn("deltagare@example.com", self.search())

    def search(self):
        return [p.email for p in self.client.get(URL).context["page"]]
