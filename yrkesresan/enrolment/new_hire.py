"""A new hire added by their manager: the account, as the import creates it, its invitation to
set a password, and the step Journey.suggested_step gives them."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.accounts.access import scope_for
from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Journey
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from .imports import send_invitations

# Years in the profession a form accepts: the same bound as the profile's start date (1950).
MOST_YEARS = 60


@dataclass(frozen=True)
class NewHire:
    person: User
    steps: list  # (journey, suggested step or None) for each published journey


def started_years_ago(years, today=None):
    """The start date in the profession for `years` whole years on `today`."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def add_new_hire(*, first_name, last_name, email, unit, years, by):
    """Create the account of a new person in `unit` (one of `by`'s units, or any for an
    administrator) with `years` in the profession, and e-mail them an invitation after the
    commit. Raises DomainError for a unit outside the caller's scope or an e-mail in use."""
    scope = scope_for(by)
    if not (scope.is_admin or unit.pk in scope.managed_unit_ids):
        raise DomainError(_("You may add people only to your own units."))
    if not 0 <= years <= MOST_YEARS:
        raise DomainError(_("Give the years in the profession as a number from 0 to 60."))
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("%(email)s already has an account. Ask an administrator to move the person.")
            % {"email": email}
        )
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                email,
                None,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                municipality=unit.municipality,
                unit=unit,
                profession_started_on=started_years_ago(years),
            )
            log_action(by, "person.hired", person, unit=unit.pk, years=years)
            send_invitations([person])
    except IntegrityError:
        raise DomainError(
            _("%(email)s already has an account. Ask an administrator to move the person.")
            % {"email": email}
        ) from None
    journeys = Journey.objects.filter(status=Journey.Status.PUBLISHED).prefetch_related("steps")
    return NewHire(person, [(journey, journey.suggested_step(person)) for journey in journeys])
