from django.core.management.base import BaseCommand

from yrkesresan.materials.links import check_links


class Command(BaseCommand):
    help = (
        "Check every link in the content (preparation modules, course material, laws) and "
        "record which are broken, for the editors' list. Run it daily."
    )

    def handle(self, *args, **options):
        checks = check_links()
        broken = [c for c in checks if not c.ok]
        for link in broken:
            self.stdout.write(
                f"Broken: {link.url} ({link.status or link.error}) in {link.found_in}"
            )
        self.stdout.write(f"{len(checks)} links checked, {len(broken)} broken.")
