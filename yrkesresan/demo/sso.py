"""The demo's federated login (`make demo-sso`): Gnesta signs its staff in through a SAML 2
identity provider (tests/sso/saml_idp.py) on 127.0.0.1:8291.

The account is the demo's own, made here; the identity provider only vouches for its e-mail.
"""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from yrkesresan.accounts.models import User
from yrkesresan.organisations.models import Municipality
from yrkesresan.sso.models import IdentityProvider

SAML_PORT = 8291
SAML_MUNICIPALITY = "0461"  # Gnesta: none of the demo's named logins works there
SAML_PERSON = ("anna.saml@example.com", "Anna", "Samlsson")


def seed_sso(saml_port=SAML_PORT):
    """The SAML provider for the demo's SAML municipality and one person who logs in through it
    (user name "anna" at the IdP, password "idp-losen"). Idempotent; returns the provider."""
    municipality = Municipality.objects.get(code=SAML_MUNICIPALITY)
    base = f"http://127.0.0.1:{saml_port}"
    provider, _ = IdentityProvider.objects.update_or_create(
        municipality=municipality,
        defaults={
            "name": f"{municipality.name} kommun",
            "protocol": IdentityProvider.Protocol.SAML,
            "entity_id": f"{base}/metadata",
            "metadata_url": f"{base}/metadata",
            "is_active": True,
        },
    )
    email, first_name, last_name = SAML_PERSON
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(
            email,
            password=None,  # an unusable password: this person signs in only through the IdP
            first_name=first_name,
            last_name=last_name,
            municipality=municipality,
            unit=municipality.units.order_by("name").first(),
            title="Socialsekreterare",
        )
    return provider


# The demo's administrator and coordinator confirm their password with a one-time code from this
# fixed TOTP key (RFC 6238's test key): add it to an authenticator app, or compute the code with
# django_otp.oath.totp(bytes.fromhex(DEMO_TOTP_KEY)).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_PEOPLE = ("admin@example.com", "samordnare@example.com")


def demo_totp_secret():
    """The key as authenticator apps take it (base32)."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def seed_two_factor():
    """A confirmed TOTP device with the fixed key for each of DEMO_TOTP_PEOPLE. Idempotent."""
    for user in User.objects.filter(email__in=DEMO_TOTP_PEOPLE):
        TOTPDevice.objects.update_or_create(
            user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )


OIDC_PORT = 8292
OIDC_MUNICIPALITY = "0428"  # Vingåker
OIDC_PERSON = ("bo.oidc@example.com", "Bo", "Oidcsson")
# The demo's client at the provider (`make demo-sso` passes the same to tests/sso/oidc_op/serve.py).
OIDC_CLIENT_ID = "yrkesresan"
OIDC_CLIENT_SECRET = "demo-oidc-secret"


def seed_oidc(oidc_port=OIDC_PORT):
    """The OpenID provider (tests/sso/oidc_op) for the demo's OIDC municipality and one person
    who logs in through it (user name "bo" there, password "idp-losen"). Idempotent."""
    municipality = Municipality.objects.get(code=OIDC_MUNICIPALITY)
    base = f"http://127.0.0.1:{oidc_port}"
    provider, _ = IdentityProvider.objects.update_or_create(
        municipality=municipality,
        defaults={
            "name": f"{municipality.name} kommun",
            "protocol": IdentityProvider.Protocol.OIDC,
            "client_id": OIDC_CLIENT_ID,
            "client_secret": OIDC_CLIENT_SECRET,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/end-session",
            "email_attribute": "email",
            "first_name_attribute": "given_name",
            "last_name_attribute": "family_name",
            "is_active": True,
        },
    )
    email, first_name, last_name = OIDC_PERSON
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(
            email,
            password=None,
            first_name=first_name,
            last_name=last_name,
            municipality=municipality,
            unit=municipality.units.order_by("name").first(),
            title="Socialsekreterare",
        )
    return provider
