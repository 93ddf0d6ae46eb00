from django.core.management.base import BaseCommand

from yrkesresan.demo.sso import (
    OIDC_PERSON,
    OIDC_PORT,
    SAML_PERSON,
    SAML_PORT,
    seed_oidc,
    seed_sso,
)


class Command(BaseCommand):
    help = "Put the demo's SAML and OIDC municipalities on their providers (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--saml-port", type=int, default=SAML_PORT)
        parser.add_argument("--oidc-port", type=int, default=OIDC_PORT)

    def handle(self, *args, saml_port, oidc_port, **options):
        provider = seed_sso(saml_port)
        self.stdout.write(
            f"SAML: {provider.municipality} signs in through {provider.metadata_url}; "
            f"log in as {SAML_PERSON[0]}, then at the IdP as anna / idp-losen."
        )
        provider = seed_oidc(oidc_port)
        self.stdout.write(
            f"OpenID Connect: {provider.municipality} signs in through "
            f"{provider.authorization_endpoint}; log in as {OIDC_PERSON[0]}, then at the "
            "provider as bo / idp-losen."
        )
