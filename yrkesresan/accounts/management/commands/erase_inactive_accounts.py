from django.core.management.base import BaseCommand
from django.utils import timezone

from yrkesresan.accounts import privacy
from yrkesresan.accounts.emails import send_erasure_notice


class Command(BaseCommand):
    help = (
        "Apply the retention rule; run it daily. Accounts without a login for 5 years and 9 "
        "months are erased; their owners are told by e-mail 30 days before, and an account "
        "whose owner signs in after the notice is kept. Each notice and erasure is in the "
        "audit trail; the command prints how many of each it made."
    )

    def handle(self, *args, **options):
        told, erased = privacy.apply_retention(timezone.now(), send_erasure_notice)
        self.stdout.write(f"Told {len(told)} people that their accounts will be erased.")
        ids = ", ".join(str(pk) for pk in erased) or "none"
        self.stdout.write(f"Erased {len(erased)} inactive accounts (ids: {ids}).")
