"""`manage.py import_registrations FILE --round ID [--dry-run] [--as EMAIL]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.http import Http404
from django.utils import translation

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.core.errors import DomainError
from yrkesresan.enrolment import access as enrolment_access
from yrkesresan.enrolment import imports
from yrkesresan.rounds import access as round_access


class Command(BaseCommand):
    help = (
        "Register the people in an .xlsx or CSV file into a course round, as the web import "
        "does: all rows or none. People without an account get one and an invitation e-mail. "
        "Any bad row is printed with its line number, nothing is changed, and the command "
        "exits non-zero. A column of personal identity numbers is dropped, never stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An .xlsx or .csv file.")
        parser.add_argument("--round", type=int, required=True, help="The round's id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and change nothing."
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help="Act as this person (default: the first administrator).",
        )

    def handle(self, *args, **options):
        # The command speaks English, so a refusal's sentence is English too.
        with translation.override("en"):
            try:
                self._import(options)
            except DomainError as error:
                raise CommandError(str(error)) from None

    def _acting_user(self, email):
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise CommandError(f"No active person has the e-mail address {email}.")
            return user
        user = (
            User.objects.filter(
                Q(roles__role=RoleAssignment.Role.ADMINISTRATOR) | Q(is_superuser=True),
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError("There is no administrator to act as; name someone with --as.")
        return user

    def _import(self, options):
        by = self._acting_user(options["as_email"])
        try:
            round = round_access.get_round_for_user(by, options["round"])
        except Http404:
            raise CommandError(
                f"{by.email} sees no round with the id {options['round']}."
            ) from None
        if not enrolment_access.can_import_registrations(by, round):
            raise CommandError(f"{by.email} may not import registrations into {round}.")
        path = Path(options["file"])
        try:
            # The web's limits: the size before reading; parse() checks it again, and the
            # unpacked size and cell count of an .xlsx before reading a cell.
            if path.stat().st_size > imports.MAX_FILE_BYTES:
                raise imports.ImportFileError(imports.too_large_message())
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        parsed = imports.parse(data, path.name)
        if parsed.dropped_personal_numbers:
            self.stdout.write("Dropped a column of personal identity numbers: they are not stored.")
        if options["dry_run"]:
            plan = imports.check(parsed.rows, round, by)
            self._fail_on_problems(plan)
            self.stdout.write(
                f"Dry run, nothing changed: would register {plan.registered_count}, "
                f"waitlist {plan.waitlisted_count}, new accounts {plan.new_account_count}."
            )
            return
        try:
            result = imports.apply(parsed.rows, round, by)
        except imports.ImportRejected as rejected:
            self._fail_on_problems(rejected.plan)
            raise
        self.stdout.write(
            self.style.SUCCESS(
                f"Registered {result.registered_count}, waitlisted {result.waitlisted_count}, "
                f"new accounts {result.new_account_count}."
            )
        )

    def _fail_on_problems(self, plan):
        problems = plan.problems
        if not problems:
            return
        for problem in problems:
            self.stderr.write(str(problem))
        bad_lines = len({problem.line for problem in problems})
        raise CommandError(
            f"{bad_lines} {'line has' if bad_lines == 1 else 'lines have'} problems; "
            "nothing was changed."
        )
