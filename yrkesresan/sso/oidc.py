"""mozilla-django-oidc, configured per provider: the endpoints and client come from the
IdentityProvider row the e-mail step chose (kept in the session), not from settings."""

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from yrkesresan.accounts.backends import UserWithScopeMixin

from .models import IdentityProvider
from .services import FederatedLoginRefused, account_for

PROVIDER_KEY = "sso_oidc_provider"


def chosen_provider(pk):
    """The active OpenID provider with this id (as given in the address), or None."""
    pk = str(pk or "")
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
        return None
    return IdentityProvider.objects.filter(
        pk=pk, protocol=IdentityProvider.Protocol.OIDC, is_active=True
    ).first()


class AuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):
    """Send the person to their organisation's OpenID provider (?provider=<pk>)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are the provider's, read in get()

    def get(self, request):
        provider = chosen_provider(request.GET.get("provider"))
        if provider is None:
            return redirect("accounts:login")
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        request.session[PROVIDER_KEY] = provider.pk
        return super().get(request)


class AuthenticationCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    def login_success(self):
        from .views import SESSION_KEY

        response = super().login_success()
        self.request.session[SESSION_KEY] = self.request.session.get(PROVIDER_KEY)
        return response


class FederatedOidcBackend(UserWithScopeMixin, OIDCAuthenticationBackend):
    """Signs in the existing account an OpenID provider vouches for (a verified e-mail address
    in its claims); never makes one. Anything wrong with the token is a refusal."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view asks (with the state's nonce); a password login never does.
        if request is None or "nonce" not in kwargs or "code" not in request.GET:
            return None
        provider = chosen_provider(request.session.get(PROVIDER_KEY))
        if provider is None:
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.HTTPError):
            raise FederatedLoginRefused(
                _(
                    "The login from your organisation's login service could not be accepted. "
                    "Try again."
                )
            ) from None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **(self.get_userinfo(access_token, id_token, payload) or {})}
        if claims.get("email_verified") is False:
            raise FederatedLoginRefused(
                _("Your organisation's login service has not verified your e-mail address.")
            )
        user = account_for(self.provider, claims)
        return user if self.user_can_authenticate(user) else None
