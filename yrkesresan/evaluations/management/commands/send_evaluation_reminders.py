from django.core.management.base import BaseCommand, CommandError

from yrkesresan.evaluations.services import REMIND_AFTER_DAYS, remind_unanswered


class Command(BaseCommand):
    help = (
        "Remind completed participants of the follow-up evaluation, once. Every invitation "
        "that is still unanswered and was opened at least --days (default "
        f"{REMIND_AFTER_DAYS}) days ago gets one e-mail and is marked reminded; it is never "
        "reminded again, whatever happens to the e-mail. Running the command again sends "
        "nothing twice. Run it once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REMIND_AFTER_DAYS,
            help="Days after the evaluation opened before the reminder.",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = remind_unanswered(after_days=days)
        self.stdout.write(f"Queued {count} evaluation reminder{'s' if count != 1 else ''}.")
