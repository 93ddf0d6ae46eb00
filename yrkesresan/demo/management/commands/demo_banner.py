"""What `make demo` prints last, once the server and the worker run: the address, the folder
the worker's e-mails go to, and the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand

from .seed_demo import login_table


class Command(BaseCommand):
    help = "Print the demo's address, the folder of its e-mails and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        mail = getattr(settings, "EMAIL_FILE_PATH", None)
        lines = ["", "=" * 72, f"Yrkesresan: {options['url']}  (stop with Ctrl+C)"]
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") and mail:
            lines.append(f"E-mails the platform sends are written to {mail}/ (one file each).")
        lines += ["", login_table(), "=" * 72]
        self.stdout.write("\n".join(lines))
