"""Who may see and do what through the API: one table per endpoint, every persona.

The token acts with its owner's rights (accounts/access.py):
- rounds: those rounds_visible_to(owner) returns (their structure's rounds for coordinators,
  trainers and course leaders; their region's rounds for managers and municipal contacts;
  a participant's own rounds; everything for an administrator);
- registrations: the owner's own, those of people the owner may see (a manager's unit, a
  contact's municipality, a coordinator's counties), and every registration in a round the
  owner manages (its coordinator);
- registering: a person the owner may see (or themself) into a visible round; only those
  enrolment_access.can_register allows succeed, the others are 403;
- anything outside the scope is a 404, indistinguishable from an id that does not exist.
"""

from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_api_auth import PERSONAS, ApiTestCase


def table(default, **overrides):
    return {who: overrides.get(who, default) for who in PERSONAS}


class ReadPermissionTests(ApiTestCase):
    def assert_table(self, url, expected):
        for who, status in expected.items():
            with self.subTest(url=url, who=who):
                response = self.api("GET", url, who)
                self.assertEqual(response.status_code, status)
                if status != 200:
                    self.assert_error(response, status)

    def test_a_round_in_region_x(self):
        self.assert_table(
            self.round_url(self.round_x),
            table(
                404,
                participant=200,
                manager_a=200,
                manager_kumla=200,
                contact_eskilstuna=200,
                coordinator_x=200,
                trainer_x=200,
                course_leader_x=200,
                admin=200,
            ),
        )

    def test_a_round_in_region_y(self):
        self.assert_table(
            self.round_url(self.round_y),
            table(404, solna_participant=200, coordinator_y=200, admin=200),
        )

    def test_a_registration_of_unit_a_staff_in_region_x(self):
        self.assert_table(
            self.registration_url(self.registration_x),
            table(
                404,
                participant=200,
                manager_a=200,
                contact_eskilstuna=200,
                coordinator_x=200,
                admin=200,
            ),
        )

    def test_a_registration_of_solna_staff_in_region_y(self):
        self.assert_table(
            self.registration_url(self.registration_y),
            table(404, solna_participant=200, coordinator_y=200, admin=200),
        )


class WritePermissionTests(ApiTestCase):
    def test_who_may_register_a_unit_a_participant_into_region_x(self):
        # 200: already registered (idempotent). 403: may see the person, may not register them.
        expected = table(
            404,
            participant=403,
            manager_a=200,
            contact_eskilstuna=200,
            coordinator_x=200,
            admin=200,
        )
        url = self.registrations_url(self.round_x)
        for who, status in expected.items():
            with self.subTest(who=who):
                response = self.api("POST", url, who, {"email": self.participant.email})
                self.assertEqual(response.status_code, status, response.content)

    def test_who_may_register_into_region_y(self):
        url = self.registrations_url(self.round_y)
        body = {"email": self.solna_participant.email}
        expected = table(404, solna_participant=403, coordinator_y=200, admin=200)
        for who, status in expected.items():
            with self.subTest(who=who):
                self.assertEqual(self.api("POST", url, who, body).status_code, status)

    def test_who_may_cancel_a_unit_a_registration(self):
        # A visible registration the owner may not cancel (403) is in test_api_registrations.
        url = self.registration_url(self.registration_x)
        may = ["participant", "manager_a", "contact_eskilstuna", "coordinator_x", "admin"]
        for who in PERSONAS:
            if who not in may:
                with self.subTest(who=who):
                    self.assert_error(self.api("DELETE", url, who, {"reason": "Test"}), 404)
        for who in may:
            with self.subTest(who=who):
                register(self.participant, self.round_x, by=self.manager_a)
                response = self.api("DELETE", url, who, {"reason": "Sjuk"})
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual(response.json()["status"], "cancelled")
