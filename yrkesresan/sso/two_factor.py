"""Two-factor authentication: the one rule, enforced in one place.

An administrator or a regional coordinator (Scope.needs_second_factor) who logged in with a local
password is sent to the one-time code page (sso:totp) from every page until a TOTP device of
theirs has verified a code in this session. Sessions opened by an identity provider, API tokens,
and sessions not opened by the password form (tests' force_login) are not password logins.
"""

from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from yrkesresan.accounts.access import scope_for

PASSWORD_LOGIN = "sso_password_login"
# Pages open before the code: the code page itself, logging out, the language switch.
OPEN_VIEWS = {"sso:totp", "sso:logout", "accounts:logout", "set_language"}


@receiver(user_logged_in, dispatch_uid="sso_remember_password_login")
def remember_a_password_login(sender, request, user, **kwargs):
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "accounts:login":
        request.session[PASSWORD_LOGIN] = True


def second_factor_due(request):
    """The rule: a password login of someone whose roles need a second factor, not yet
    confirmed by a one-time code in this session."""
    user = request.user
    return (
        user.is_authenticated
        and request.session.get(PASSWORD_LOGIN, False)
        and not user.is_verified()
        and scope_for(user).needs_second_factor
    )


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware (which tells is_verified())."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or not second_factor_due(request):
            return None
        return redirect(f"{reverse('sso:totp')}?{urlencode({'next': request.get_full_path()})}")
