"""Checking and applying an import: every bad row with its line, and all or nothing."""

from unittest import mock

from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase, years_ago
from yrkesresan.enrolment import imports, services
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.services import create_team

HEADER = ["förnamn", "efternamn", "e-post", "kommun", "enhet", "titel", "startdatum"]


def rows(*lines, header=HEADER):
    return imports.parse(csv_bytes([header, *lines], delimiter=";"), "personer.csv").rows


def problems_by_line(problems):
    found = {}
    for problem in problems:
        found.setdefault(problem.line, []).append(problem.field)
    return found


class ImportTestCase(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=3)

    def database_state(self):
        return (
            User.objects.count(),
            Registration.objects.count(),
            AuditEvent.objects.count(),
            list(User.objects.values_list("email", "municipality", "unit", "title")),
        )


class CheckTests(ImportTestCase):
    def test_a_good_file_predicts_seats_waiting_list_and_new_accounts(self):
        good = rows(
            ["Åsa", "Öberg", "asa@example.se", "Eskilstuna", "Familjehemsenheten", "", ""],
            ["Bo", "Ek", "bo@example.se", "1881", "", "Socionom", years_ago(1).isoformat()],
            ["Deltagare", "Testsson", "DELTAGARE@example.com", "Eskilstuna kommun", "", "", ""],
            ["Cecilia", "Lind", "cecilia@example.se", "484", "", "", ""],
        )
        before = self.database_state()
        plan = imports.check(good, self.round, self.coordinator_x)
        self.assertEqual(plan.problems, [])
        self.assertEqual(
            [(p.row.line, p.new_account, p.outcome) for p in plan.rows],
            [
                (2, True, "registered"),
                (3, True, "registered"),
                (4, False, "registered"),
                (5, True, "waitlisted"),
            ],
        )
        self.assertEqual(
            (plan.registered_count, plan.waitlisted_count, plan.new_account_count), (3, 1, 3)
        )
        self.assertEqual(self.database_state(), before)
        self.assertEqual(imports.validate(good, self.round, self.coordinator_x), [])

    def test_every_kind_of_bad_row_is_reported_with_its_line(self):
        register(self.kumla_participant, self.round, by=self.manager_kumla)
        bad = rows(
            ["Anna", "Berg", "anna@example.se", "Eskilstuna", "", "", ""],  # 2: fine
            ["Okänd", "Kommun", "okand@example.se", "Gotham", "", "", ""],  # 3
            ["Okänd", "Kod", "kod@example.se", "9999", "", "", ""],  # 4
            ["Okänd", "Enhet", "enhet@example.se", "Kumla", "Ingen sådan", "", ""],  # 5
            ["Ej", "Medlem", "arboga@example.se", "Arboga", "", "", ""],  # 6
            ["Dålig", "Adress", "x@", "Kumla", "", "", ""],  # 7
            ["Anna", "Igen", "ANNA@example.se", "Eskilstuna", "", "", ""],  # 8
            ["Kumla", "Testsson", "kumla@example.com", "Kumla", "", "", ""],  # 9
            ["Erfaren", "Person", "erfaren@example.se", "Kumla", "", "", years_ago(8).isoformat()],
            ["", "Utan förnamn", "utan@example.se", "Kumla", "", "", ""],  # 11
            ["Fel", "Datum", "datum@example.se", "Kumla", "", "", "i fjol"],  # 12
            ["Solna", "Testsson", "solna@example.com", "Solna", "", "", ""],  # 13
            ["Deltagare", "Testsson", "deltagare@example.com", "Kumla", "", "", ""],  # 14
            ["Framtid", "Datum", "framtid@example.se", "Kumla", "", "", "2999-01-01"],  # 15
            ["Annan", "Person", "kollega@example.com", "Eskilstuna", "Familjehemsenheten", "", ""],
        )
        before = self.database_state()
        problems = imports.validate(bad, self.round, self.coordinator_x)
        self.assertEqual(
            problems_by_line(problems),
            {
                3: ["municipality"],
                4: ["municipality"],
                5: ["unit"],
                6: ["municipality"],
                7: ["email"],
                8: ["email"],
                9: ["email"],  # already registered
                10: [""],  # step mismatch: 8 years suggest Erfaren
                11: ["first_name"],
                12: ["started"],
                13: [""],  # Solna is outside the coordinator's region
                14: ["municipality"],  # the account is employed in Eskilstuna
                15: ["started"],
                16: ["unit"],  # the account is in another unit
            },
        )
        self.assertTrue(all(problem.message for problem in problems))
        self.assertEqual(self.database_state(), before)

    def test_municipality_names_and_codes_in_their_usual_forms(self):
        self.round.seats = 10
        self.round.save()
        forms = ["KUMLA", "kumla kommun", "Eskilstuna kommun", "0484", "484", " Katrineholm "]
        checked = rows(
            *[
                [f"P{n}", "T", f"p{n}@example.se", value, "", "", ""]
                for n, value in enumerate(forms)
            ]
        )
        plan = imports.check(checked, self.round, self.coordinator_x)
        self.assertEqual(plan.problems, [])
        self.assertEqual(
            [p.municipality for p in plan.rows],
            [
                self.kumla,
                self.kumla,
                self.eskilstuna,
                self.eskilstuna,
                self.eskilstuna,
                self.katrineholm,
            ],
        )

    def test_municipality_by_name_and_by_code_must_agree(self):
        header = ["first name", "last name", "email", "municipality", "kommunkod"]
        checked = rows(
            ["A", "B", "a@example.se", "Kumla", "1881"],
            ["C", "D", "c@example.se", "Kumla", "0484"],
            ["E", "F", "e@example.se", "", "0000"],
            header=header,
        )
        problems = imports.validate(checked, self.round, self.coordinator_x)
        self.assertEqual(
            problems_by_line(problems), {3: ["municipality"], 4: ["municipality_code"]}
        )

    def test_a_reason_column_allows_another_step(self):
        header = [*HEADER, "skäl"]
        line = [
            "Erfaren",
            "Person",
            "erfaren@example.se",
            "Kumla",
            "",
            "",
            years_ago(8).isoformat(),
        ]
        self.assertEqual(
            imports.validate(
                rows([*line, "Ny inom barn och unga"], header=header),
                self.round,
                self.coordinator_x,
            ),
            [],
        )
        self.assertEqual(
            problems_by_line(
                imports.validate(rows([*line, " "], header=header), self.round, self.coordinator_x)
            ),
            {2: [""]},
        )

    def test_a_municipal_contact_imports_staff_of_their_own_municipality_only(self):
        checked = rows(
            ["Anna", "Berg", "anna@example.se", "Eskilstuna", "", "", ""],
            ["Bo", "Ek", "bo@example.se", "Kumla", "", "", ""],
            ["Kumla", "Testsson", "kumla@example.com", "Kumla", "", "", ""],
        )
        problems = imports.validate(checked, self.round, self.contact_eskilstuna)
        self.assertEqual(problems_by_line(problems), {3: ["municipality"], 4: ["municipality"]})

    def test_a_round_that_is_not_open_refuses_the_whole_file(self):
        self.round.status = Round.Status.DRAFT
        self.round.save()
        plan = imports.check(
            rows(["Anna", "Berg", "anna@example.se", "Eskilstuna", "", "", ""]),
            self.round,
            self.coordinator_x,
        )
        self.assertEqual([p.line for p in plan.problems], [None])

    def test_a_closed_round_takes_an_import_from_its_coordinator(self):
        self.round.status = Round.Status.CLOSED
        self.round.save()
        checked = rows(["Anna", "Berg", "anna@example.se", "Eskilstuna", "", "", ""])
        self.assertEqual(imports.validate(checked, self.round, self.coordinator_x), [])
        self.assertEqual(len(imports.validate(checked, self.round, self.contact_eskilstuna)), 1)

    def test_a_withheld_personal_number_is_a_problem_of_its_row(self):
        checked = rows(["Anna", "Berg", "anna@example.se", "Eskilstuna", "", "900101-1234", ""])
        problems = imports.validate(checked, self.round, self.coordinator_x)
        self.assertEqual(problems_by_line(problems), {2: ["title"]})
        self.assertNotIn("1234", problems[0].message)


class ApplyTests(ImportTestCase):
    GOOD = [
        [
            "Åsa",
            "Öberg",
            "asa@example.se",
            "Eskilstuna",
            "Familjehemsenheten",
            "Socionom",
            years_ago(1).isoformat(),
        ],
        ["Bo", "Ek", "bo@example.se", "1881", "", "", ""],
        ["Deltagare", "Testsson", "deltagare@example.com", "Eskilstuna", "", "", ""],
        ["Cecilia", "Lind", "cecilia@example.se", "Katrineholm", "", "", ""],
    ]

    def test_applies_every_row_through_the_registration_service(self):
        result = imports.apply(rows(*self.GOOD), self.round, self.coordinator_x)
        self.assertEqual(
            (result.registered_count, result.waitlisted_count, result.new_account_count), (3, 1, 3)
        )
        asa = User.objects.get(email="asa@example.se")
        self.assertEqual(
            (asa.first_name, asa.last_name, asa.municipality, asa.unit, asa.title),
            ("Åsa", "Öberg", self.eskilstuna, self.unit_a2, "Socionom"),
        )
        self.assertEqual(asa.profession_started_on, years_ago(1))
        self.assertFalse(asa.has_usable_password())
        self.assertEqual(User.objects.get(email="bo@example.se").municipality, self.kumla)
        statuses = dict(self.round.registrations.values_list("person__email", "status"))
        self.assertEqual(
            statuses,
            {
                "asa@example.se": "registered",
                "bo@example.se": "registered",
                "deltagare@example.com": "registered",
                "cecilia@example.se": "waitlisted",
            },
        )
        self.assertEqual(
            set(self.round.registrations.values_list("registered_by", flat=True)),
            {self.coordinator_x.pk},
        )
        event = AuditEvent.objects.get(action="registration.imported")
        self.assertEqual(event.data, {"registered": 3, "waitlisted": 1, "new_accounts": 3})

    def test_one_bad_row_changes_nothing(self):
        before = self.database_state()
        with self.assertRaises(imports.ImportRejected) as caught:
            imports.apply(
                rows(*self.GOOD, ["Dålig", "Adress", "x@", "Kumla", "", "", ""]),
                self.round,
                self.coordinator_x,
            )
        self.assertEqual([p.line for p in caught.exception.plan.problems], [6])
        self.assertEqual(self.database_state(), before)

    def test_a_failure_inside_apply_rolls_everything_back(self):
        before = self.database_state()
        real_register = services.register
        calls = []

        def fail_on_the_third(*args, **kwargs):
            calls.append(args)
            if len(calls) == 3:
                raise services.RegistrationError("Refused.")
            return real_register(*args, **kwargs)

        with (
            mock.patch.object(services, "register", fail_on_the_third),
            self.assertRaises(imports.ImportRejected) as caught,
        ):
            imports.apply(rows(*self.GOOD), self.round, self.coordinator_x)
        self.assertEqual(
            [(p.line, p.message) for p in caught.exception.plan.problems], [(4, "Refused.")]
        )
        self.assertEqual(self.database_state(), before)

    def test_an_unexpected_error_inside_apply_rolls_everything_back(self):
        before = self.database_state()
        with (
            mock.patch.object(imports, "log_action", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            imports.apply(rows(*self.GOOD), self.round, self.coordinator_x)
        self.assertEqual(self.database_state(), before)

    def test_a_row_that_became_bad_after_the_preview_rejects_the_import(self):
        good = rows(*self.GOOD)
        self.assertEqual(imports.validate(good, self.round, self.coordinator_x), [])
        register(self.participant, self.round, by=self.manager_a)
        self.kumla.memberships.update(left_on=timezone.localdate())
        before = self.database_state()
        with self.assertRaises(imports.ImportRejected) as caught:
            imports.apply(good, self.round, self.coordinator_x)
        self.assertEqual(
            problems_by_line(caught.exception.plan.problems), {3: ["municipality"], 4: ["email"]}
        )
        self.assertEqual(self.database_state(), before)

    def test_a_cancelled_registration_is_renewed(self):
        registration = register(self.participant, self.round, by=self.manager_a)
        services.cancel_registration(registration, by=self.manager_a, reason="Sjuk")
        imports.apply(rows(self.GOOD[2]), self.round, self.coordinator_x)
        registration.refresh_from_db()
        self.assertEqual(registration.status, Registration.Status.REGISTERED)


class OnePlacePerCourseTests(ImportTestCase):
    """A row is refused when its person holds the course elsewhere or works in the round."""

    LINES = [
        ["Bo", "Ek", "bo@example.se", "1881", "", "", ""],
        ["Deltagare", "Testsson", "deltagare@example.com", "Eskilstuna", "", "", ""],
        ["Utbildare", "Testsson", "utbildare@example.com", "Katrineholm", "", "", ""],
    ]

    def test_the_preview_names_the_row_and_the_round_that_holds_the_course(self):
        other = make_round(self.course, self.region_y, name="Stockholm 1")
        register(self.participant, other, by=self.admin)
        plan = imports.check(rows(*self.LINES[:2]), self.round, self.coordinator_x)
        [problem] = plan.problems
        self.assertEqual((problem.line, problem.field), (3, ""))
        self.assertIn("Stockholm 1", problem.message)
        self.assertIn("Region Storstockholm", problem.message)
        [fine, refused] = plan.as_dict()["rows"]
        self.assertEqual(fine["problems"], [])
        self.assertEqual([p["message"] for p in refused["problems"]], [problem.message])

    def test_applying_it_changes_nothing(self):
        other = make_round(self.course, self.region_x, name="Omgång 2", status="closed")
        register(self.participant, other, by=self.coordinator_x)
        before = self.database_state()
        with self.assertRaises(imports.ImportRejected) as caught:
            imports.apply(rows(*self.LINES[:2]), self.round, self.coordinator_x)
        [problem] = caught.exception.plan.problems
        self.assertEqual(problem.line, 3)
        self.assertIn("Omgång 2", problem.message)
        self.assertEqual(self.database_state(), before)

    def test_a_trainer_of_the_round_is_a_problem_of_their_row(self):
        create_team(self.round, "Team 1", [self.trainer_x], by=self.coordinator_x)
        problems = imports.validate(
            rows(self.LINES[0], self.LINES[2]), self.round, self.coordinator_x
        )
        self.assertEqual(problems_by_line(problems), {3: [""]})
