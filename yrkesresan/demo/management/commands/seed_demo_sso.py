from django.core.management.base import BaseCommand

from yrkesresan.demo.sso import SAML_PERSON, SAML_PORT, seed_sso


class Command(BaseCommand):
    help = "Put the demo's SAML municipality on its identity provider (run after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--saml-port", type=int, default=SAML_PORT)

    def handle(self, *args, saml_port, **options):
        provider = seed_sso(saml_port)
        self.stdout.write(
            f"SAML: {provider.municipality} signs in through {provider.metadata_url}; "
            f"log in as {SAML_PERSON[0]}, then at the IdP as anna / idp-losen."
        )
