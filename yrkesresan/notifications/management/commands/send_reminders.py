from django.conf import settings
from django.core.management.base import BaseCommand

from yrkesresan.notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind participants of their course days. For every course day exactly "
        f"REMINDER_DAYS_BEFORE (now {settings.REMINDER_DAYS_BEFORE}) days from today, in a round "
        "that is open, closed or running, e-mail everyone registered with a seat (not waitlisted "
        "or cancelled). Each registration is reminded of each day once: running the command "
        "again sends nothing twice. Run it once a day."
    )

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"Sent {count} reminder{'s' if count != 1 else ''}.")
