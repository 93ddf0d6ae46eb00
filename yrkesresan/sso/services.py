"""Federated login: who an identity provider's word may sign in, and nothing more."""

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yrkesresan.accounts.models import User
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.organisations.models import Unit

from .models import IdentityProvider


class FederatedLoginRefused(DomainError):
    status = 403


def first_value(attributes, name):
    """An attribute's (SAML: a list) or claim's (OIDC: a value) first value, as text."""
    value = attributes.get(name) if name else None
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def provider_for_email(email):
    """The provider that signs in the account with this e-mail address, or None (a local
    password, or no account at all: the password step answers both alike)."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    return IdentityProvider.objects.for_person(user) if user else None


def account_for(provider, attributes):
    """The existing account the provider vouches for, by the e-mail address it verified.

    Nothing is created: no account, no role. A person whose account belongs to another
    organisation's provider (or to none) is refused like an unknown address. The names, and the
    unit when the provider tells one of the employer's units by name, are brought up to date.
    """
    email = first_value(attributes, provider.email_attribute).lower()
    if not email:
        raise FederatedLoginRefused(
            _("Your organisation's login service did not tell us your e-mail address.")
        )
    user = User.objects.filter(email=email, is_active=True).select_related("municipality").first()
    if user is None or IdentityProvider.objects.for_person(user) != provider:
        raise FederatedLoginRefused(
            _(
                "There is no account in Yrkesresan for %(email)s. Ask your municipal contact "
                "or your manager to add you; no account has been made."
            )
            % {"email": email}
        )
    changed = []
    for field, attribute in [
        ("first_name", provider.first_name_attribute),
        ("last_name", provider.last_name_attribute),
    ]:
        value = first_value(attributes, attribute)[:100]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    unit_name = first_value(attributes, provider.unit_attribute)
    if unit_name and user.municipality_id:
        unit = Unit.objects.filter(municipality_id=user.municipality_id, name=unit_name).first()
        if unit and unit.pk != user.unit_id:
            user.unit = unit
            changed.append("unit")
    if changed:
        user.save(update_fields=changed)
    return user


def totp_device_to_set_up(user):
    """The person's TOTP device that awaits its first code, made once (django-otp's key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Yrkesresan", confirmed=False)


def confirm_totp_device(device):
    """The first right code confirms the device: from now on its codes are asked for."""
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])


# Recovery codes: for the day the phone with the authenticator app is lost. django-otp keeps
# a static token as it is given; we give it a keyed hash of the code (SECRET_KEY), so that the
# codes cannot be read, or worked out, from the database. A new SECRET_KEY voids the codes:
# the person makes new ones after logging in with the app.
RECOVERY_CODES = 10
_RECOVERY_CODE_SALT = "yrkesresan.sso.recovery-code"


def recovery_code_digest(code):
    """What is stored of a recovery code: 16 hex digits of its HMAC-SHA256 (the field's size)."""
    return salted_hmac(_RECOVERY_CODE_SALT, code.strip().lower(), algorithm="sha256").hexdigest()[
        :16
    ]


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def issue_recovery_codes(user):
    """RECOVERY_CODES new single-use codes for `user`, each good instead of a one-time code;
    the earlier ones stop working. Shown to the person once, never again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    log_action(user, "two_factor.recovery_codes_issued", device, subject=user)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


def use_recovery_code(user, code):
    """The person's recovery device if `code` is one of their unused codes (now used up)."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.verify_token(recovery_code_digest(code)):
        log_action(user, "two_factor.recovery_code_used", device, subject=user)
        return device
    return None


def forget_devices(sender, person, **kwargs):
    """person_erased: the erased person's authenticator key and recovery codes go."""
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
