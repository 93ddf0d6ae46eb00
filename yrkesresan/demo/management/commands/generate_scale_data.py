"""`manage.py generate_scale_data --staff N --years Y --seed S`: Sweden at full size.

For the benchmark (bench/README.md): see yrkesresan/core/scale.py for what it makes. Runs only
on an empty database (no people and no rounds), unless --force, which adds the data on top of
what is there (for instance after seed_demo; the generated people have addresses at
@skala.example and cannot be generated twice into one database).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from yrkesresan.accounts.models import User
from yrkesresan.demo import scale
from yrkesresan.rounds.models import Round


class Command(BaseCommand):
    help = (
        "Generate national scale data: 290 municipalities, ~91 % members, structures over all "
        "21 counties, N staff, rounds every term for Y years with registrations, attendance, "
        "completions and evaluations. Deterministic for a seed. Refuses a non-empty database "
        f"unless --force. Every generated person has the password {scale.DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=60000, help="people in municipalities")
        parser.add_argument("--years", type=int, default=3, help="years of rounds back in time")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random generator")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add the data to a database that already holds people or rounds",
        )

    def handle(self, *args, staff, years, seed, force, **options):
        if staff < 50:
            raise CommandError("--staff must be at least 50.")
        if years < 1:
            raise CommandError("--years must be at least 1.")
        if User.objects.filter(email__endswith=f"@{scale.DOMAIN}").exists():
            raise CommandError("This database already holds generated scale data.")
        if not force and (User.objects.exists() or Round.objects.exists()):
            raise CommandError(
                "The database is not empty. Use an empty database, or --force to add the "
                "scale data to what is there."
            )
        verbose = options["verbosity"] >= 1
        started = time.monotonic()
        counts = scale.generate(
            staff=staff, years=years, seed=seed, log=self.stdout.write if verbose else None
        )
        elapsed = time.monotonic() - started
        if not verbose:
            return
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9}")
        self.stdout.write(
            f"Scale data (staff {staff}, years {years}, seed {seed}) generated in {elapsed:.1f} s, "
            f"{sum(counts.values())} rows."
        )
