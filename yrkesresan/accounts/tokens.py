"""API tokens: made, named, given an expiry and revoked by their owner or an administrator.

A token acts with its owner's rights (the API's authentication reads the owner's scope). Only a
digest is stored, so the token is shown once, when it is made. Every change is in the audit
trail, with the owner as the person whose data it concerns.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from .access import scope_for
from .models import ApiToken, User


class TokenError(DomainError):
    pass


def tokens_visible_to(user):
    """An administrator sees every token; anyone else their own."""
    tokens = ApiToken.objects.select_related("user")
    if scope_for(user).is_admin:
        return tokens
    return tokens.filter(user=user)


def check_valid_days(valid_days):
    if not 1 <= valid_days <= ApiToken.MAX_VALID_DAYS:
        raise TokenError(
            _("A token is valid for 1 to %(days)d days.") % {"days": ApiToken.MAX_VALID_DAYS}
        )


@transaction.atomic
def issue_token(owner, *, name, valid_days, by):
    """Make a token for `owner` (by themself, or by an administrator) and return it."""
    if owner.pk != by.pk and not scope_for(by).is_admin:
        raise TokenError(_("Only an administrator makes tokens for someone else."))
    if not owner.is_active:
        raise TokenError(_("The account of %(email)s is deactivated.") % {"email": owner.email})
    check_valid_days(valid_days)
    token = ApiToken.issue(owner, name=name, valid_days=valid_days)
    row = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    log_action(by, "api_token.created", row, subject=owner, name=name, valid_days=valid_days)
    return token


@transaction.atomic
def revoke_token(token, *, by):
    """Revoke a token now; it never authenticates again. Revoking twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        log_action(by, "api_token.revoked", locked, subject=locked.user_id, name=locked.name)
    return locked


def owner_by_email(email):
    """The person an administrator makes a token for; a clear refusal when there is none."""
    owner = User.objects.filter(email__iexact=email.strip()).first()
    if owner is None:
        raise TokenError(_("No person has the e-mail address %(email)s.") % {"email": email})
    return owner
