from django.core.management.base import BaseCommand, CommandError

from yrkesresan.organisations.reference_data import (
    MUNICIPALITIES_CSV,
    ReferenceDataError,
    load_municipalities,
)


class Command(BaseCommand):
    help = (
        "Load Sweden's 21 counties and 290 municipalities from the shipped CSV file. "
        "Idempotent: safe to run after every deploy. A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=MUNICIPALITIES_CSV, help="CSV file to load")

    def handle(self, *args, **options):
        try:
            result = load_municipalities(options["file"])
        except ReferenceDataError as error:
            raise CommandError(
                f"Nothing was loaded. Bad lines in {options['file']}:\n{error}"
            ) from None
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        self.stdout.write(
            f"{result.counties} counties and {result.municipalities} municipalities in place "
            f"({result.created} new)."
        )
