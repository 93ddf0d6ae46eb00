"""A personal identity number inside a longer text is refused at every edge that takes free
text: the import (naming the field in the preview), the API and the pages' forms; and after an
import with numbers in several cells a dump of the PostgreSQL database holds none of them."""

import subprocess
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.core.tests.test_personnummer import personnummer
from yrkesresan.enrolment import imports
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes
from yrkesresan.enrolment.tests.test_import_views import GOOD, HEADER, ImportViewTestCase
from yrkesresan.rounds.testing import make_round

TEN = personnummer("811218")
TWELVE = "19" + personnummer("900101")
COORDINATION = personnummer("811278")


def spellings(number):
    """The ways a number may be written: the digits, with a dash, the ten-digit form."""
    ten = number[-10:]
    return {number, f"{number[:-4]}-{number[-4:]}", ten, f"{ten[:6]}-{ten[6:]}"}


class ImportTests(ImportViewTestCase):
    def test_a_number_inside_a_title_or_a_name_is_withheld_and_the_field_named(self):
        self.login(self.coordinator_x)
        lines = [
            [*HEADER, "Titel", "Motivering"],
            [*GOOD[0], f"Socionom ({TEN[:6]}-{TEN[6:]})", ""],
            ["Bo", f"Ek {COORDINATION}", *GOOD[1][2:], "", f"Född {TWELVE}"],
        ]
        response = self.upload(lines)
        self.assertEqual(response.status_code, 400)
        problems = {
            (row["line"], problem["field"])
            for row in response.context["preview"]["rows"]
            for problem in row["problems"]
        }
        self.assertLessEqual({(2, "titel"), (3, "efternamn"), (3, "skäl")}, problems)
        for number in (TEN, TWELVE, COORDINATION):
            for text in spellings(number):
                self.assertNotContains(response, text, status_code=400)


class ApiTests(ApiTestCase):
    def test_a_reason_with_a_number_is_a_400_naming_the_field_and_nothing_is_stored(self):
        response = self.api(
            "POST",
            self.registrations_url(self.round_x),
            "manager_a",
            {"email": self.colleague.email, "reason": f"Ny, pnr {TEN}."},
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("Reason for another step", response.json()["error"])
        self.assertIn("personal identity number", response.json()["error"])
        self.assertFalse(Registration.objects.filter(person=self.colleague).exists())


class FormTests(PersonaTestCase):
    def test_the_profile_form_shows_the_message_on_the_field(self):
        self.login(self.participant)
        response = self.client.post(
            reverse("accounts:profile"),
            {"first_name": "Anna", "last_name": f"Berg {TEN}", "title": "", "phone": ""},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("last_name", response.context["form"].errors)
        self.participant.refresh_from_db()
        self.assertNotIn(TEN, self.participant.last_name)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_database_after_an_import_holds_no_number():
    people = SimpleNamespace()
    PersonaTestCase.setUpTestData.__func__(people)
    round = make_round(people.course, people.region_x, seats=5)
    # A column of numbers (dropped), a number under an unknown header (dropped), and numbers
    # inside cells of the used columns (refused, so that file is not applied at all).
    kept = csv_bytes(
        [
            ["Personnummer", *HEADER, "Anteckning"],
            [TEN, *GOOD[0], f"kolla {TWELVE}"],
            [COORDINATION, *GOOD[1], ""],
        ],
        ";",
        "utf-8-sig",
    )
    parsed = imports.parse(kept, "personer.csv")
    imports.apply(parsed.rows, round, people.coordinator_x)
    refused = csv_bytes(
        [[*HEADER, "Titel"], [*GOOD[2], f"Handläggare {TWELVE[:8]}-{TWELVE[8:]}"]],
        ";",
        "utf-8-sig",
    )
    with pytest.raises(imports.ImportRejected):
        imports.apply(imports.parse(refused, "personer.csv").rows, round, people.coordinator_x)
    assert round.registrations.count() == 2

    database = settings.DATABASES["default"]
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            database["HOST"] or "127.0.0.1",
            "-p",
            str(database["PORT"] or 5432),
            "-U",
            database["USER"],
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "asa@example.se" in dump  # the import itself is in the dump
    for number in (TEN, TWELVE, COORDINATION):
        for text in spellings(number):
            assert text not in dump
