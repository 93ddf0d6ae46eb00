"""`manage.py import_registrations`: English output, exit codes, dry run, all or nothing."""

import io
import tempfile
from pathlib import Path
from unittest import mock

from django.core import mail
from django.core.management import CommandError, call_command, execute_from_command_line
from django.utils import translation

from yrkesresan.accounts.models import User
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import register
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes, xlsx_bytes
from yrkesresan.rounds.testing import make_round

HEADER = ["first name", "last name", "email", "municipality", "personnummer"]
GOOD = [
    ["Åsa", "Öberg", "asa@example.se", "Eskilstuna", "19850315-2389"],
    ["Bo", "Ek", "bo@example.se", "1881", "8507092384"],
]


class ImportCommandTests(PersonaTestCase):
    def setUp(self):
        self.round = make_round(self.course, self.region_x, seats=1)
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def write(self, lines, name="people.csv"):
        path = Path(self.folder.name) / name
        data = xlsx_bytes(lines) if name.endswith(".xlsx") else csv_bytes(lines, ";", "cp1252")
        path.write_bytes(data)
        return str(path)

    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_registrations", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def state(self):
        return (User.objects.count(), Registration.objects.count(), AuditEvent.objects.count())

    def test_imports_and_prints_a_summary(self):
        path = self.write([HEADER, *GOOD])
        with self.captureOnCommitCallbacks(execute=True):
            out, _err = self.run_command(path, "--round", str(self.round.pk))
        self.assertIn("Registered 1, waitlisted 1, new accounts 2.", out)
        self.assertIn("personal identity numbers", out)
        self.assertNotIn("2389", out)
        self.assertEqual(
            dict(self.round.registrations.values_list("person__email", "status")),
            {"asa@example.se": "registered", "bo@example.se": "waitlisted"},
        )
        event = AuditEvent.objects.get(action="registration.imported")
        self.assertEqual(event.actor, self.admin)  # the first administrator by default
        invited = {m.to[0] for m in mail.outbox if "/konto/losenord/ny/" in m.body}
        self.assertEqual(invited, {"asa@example.se", "bo@example.se"})

    def test_a_bad_row_prints_every_problem_in_english_and_changes_nothing(self):
        path = self.write(
            [
                HEADER,
                *GOOD,
                ["Dålig", "Adress", "x@", "Kumla", ""],
                ["Okänd", "Kommun", "okand@example.se", "Gotham", ""],
            ],
            name="people.xlsx",
        )
        before = self.state()
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command(
                "import_registrations",
                path,
                "--round",
                str(self.round.pk),
                stdout=io.StringIO(),
                stderr=err,
            )
        self.assertEqual(str(caught.exception), "2 lines have problems; nothing was changed.")
        self.assertEqual(
            [line.split(":")[:2] for line in err.getvalue().splitlines()],
            [["line 4", " email"], ["line 5", " municipality"]],
        )
        self.assertEqual(self.state(), before)

    def test_the_problem_lines_name_line_field_and_problem(self):
        path = self.write([HEADER, *GOOD, ["Dålig", "Adress", "x@", "Kumla", ""]])
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command(
                "import_registrations",
                path,
                "--round",
                str(self.round.pk),
                stdout=io.StringIO(),
                stderr=err,
            )
        self.assertEqual(
            err.getvalue().strip(), "line 4: email: “x@” is not a valid e-mail address."
        )

    def test_a_person_with_a_place_in_another_round_of_the_course_is_named_with_it(self):
        other = make_round(self.course, self.region_x, name="Omgång 2")
        register(self.participant, other, by=self.manager_a)
        path = self.write(
            [HEADER, GOOD[0], ["Deltagare", "Testsson", self.participant.email, "Eskilstuna", ""]]
        )
        before = self.state()
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command(
                "import_registrations",
                path,
                "--round",
                str(self.round.pk),
                stdout=io.StringIO(),
                stderr=err,
            )
        self.assertEqual(
            err.getvalue().strip(),
            "line 3: Deltagare Testsson already has a place in Omgång 2 "
            f"({other.term}, Region Mälardalen), a round of the same course. Cancel that "
            "registration first; a missed course day is made up with a make-up day in a later "
            "round.",
        )
        self.assertEqual(self.state(), before)

    def test_a_dry_run_changes_nothing(self):
        path = self.write([HEADER, *GOOD])
        before = self.state()
        with self.captureOnCommitCallbacks(execute=True):
            out, _err = self.run_command(path, "--round", str(self.round.pk), "--dry-run")
        self.assertIn("would register 1, waitlist 1, new accounts 2", out)
        self.assertEqual(self.state(), before)
        self.assertEqual(mail.outbox, [])
        bad = self.write([HEADER, ["Dålig", "Adress", "x@", "Kumla", ""]], name="bad.csv")
        with self.assertRaises(CommandError):
            self.run_command(bad, "--round", str(self.round.pk), "--dry-run")

    def test_acting_as_a_municipal_contact(self):
        path = self.write([HEADER, *GOOD])
        with self.assertRaises(CommandError):
            self.run_command(path, "--round", str(self.round.pk), "--as", "KONTAKT@example.com")
        self.run_command(path, "--round", str(self.round.pk), "--as", "samordnare.x@example.com")
        self.assertEqual(
            self.round.registrations.get(person__email="bo@example.se").registered_by,
            self.coordinator_x,
        )

    def test_refusals(self):
        path = self.write([HEADER, *GOOD])
        round = str(self.round.pk)
        for args in [
            (path, "--round", str(self.round.pk + 100)),  # no such round
            (path, "--round", round, "--as", "nobody@example.com"),
            (path, "--round", round, "--as", "chef.a@example.com"),  # a manager
            (path, "--round", round, "--as", "samordnare.y@example.com"),  # other region
            (str(Path(self.folder.name) / "missing.csv"), "--round", round),
            (self.write([["a", "b"], ["1", "2"]], name="x.csv"), "--round", round),
            (self.write([["a"]], name="x.txt"), "--round", round),
        ]:
            with self.subTest(args=args[1:]), self.assertRaises(CommandError):
                self.run_command(*args)
        self.assertEqual(Registration.objects.count(), 0)

    def test_a_file_the_import_refuses_is_a_command_error_in_english(self):
        path = str(Path(self.folder.name) / "people.xlsx")
        Path(path).write_bytes(b"not a workbook")
        with translation.override("sv"), self.assertRaises(CommandError) as caught:
            self.run_command(path, "--round", str(self.round.pk))
        self.assertEqual(str(caught.exception), "The file could not be read as an Excel file.")

    def test_from_a_shell_a_bad_file_exits_non_zero_and_a_good_one_zero(self):
        # run_from_argv closes the database connections when it ends; the test needs its own.
        keep_connections = mock.patch("django.core.management.base.connections.close_all")
        keep_connections.start()
        self.addCleanup(keep_connections.stop)
        bad = self.write([HEADER, ["Dålig", "Adress", "x@", "Kumla", ""]], name="bad.csv")
        argv = ["manage.py", "import_registrations", bad, "--round", str(self.round.pk)]
        with (
            mock.patch("sys.stderr", io.StringIO()) as stderr,
            self.assertRaises(SystemExit) as caught,
        ):
            execute_from_command_line(argv)
        self.assertEqual(caught.exception.code, 1)
        self.assertIn("line 2: email:", stderr.getvalue())
        good = self.write([HEADER, *GOOD])
        with mock.patch("sys.stdout", io.StringIO()) as stdout:
            execute_from_command_line([*argv[:2], good, *argv[3:]])
        self.assertIn("Registered 1", stdout.getvalue())
