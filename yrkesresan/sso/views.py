import base64

import qrcode
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from djangosaml2 import views as saml_views
from qrcode.image.svg import SvgPathImage

from yrkesresan.core import ratelimits
from yrkesresan.core.checked_text import CheckedText

from .models import IdentityProvider
from .services import (
    FederatedLoginRefused,
    confirm_totp_device,
    has_authenticator,
    issue_recovery_codes,
    provider_for_email,
    recovery_codes_left,
    totp_device_to_set_up,
    use_recovery_code,
)
from .two_factor import second_factor_due

SESSION_KEY = "sso_provider"


class EmailStepForm(CheckedText, forms.Form):
    username = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


def safe_next(request, value):
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if value and allowed else ""


@require_POST
def start(request):
    """The login page's first step: people of a federated organisation go to their own login
    service, everyone else to the password step. Rate-limited per client address as the
    password step is (429 with Retry-After): it tells which addresses log in where."""
    ratelimits.check(request, "login-email-step", rate=settings.LOGIN_RATE_PER_ADDRESS)
    form = EmailStepForm(request.POST)
    next_url = safe_next(request, request.POST.get("next", ""))
    if not form.is_valid():
        return render(
            request, "accounts/login.html", {"email_form": form, "next": next_url}, status=400
        )
    email = form.cleaned_data["username"].strip().lower()
    provider = provider_for_email(email)
    if provider and provider.protocol == IdentityProvider.Protocol.SAML:
        query = {"idp": provider.entity_id, **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('saml2_login')}?{urlencode(query)}")
    if provider and provider.protocol == IdentityProvider.Protocol.OIDC:
        query = {"provider": provider.pk, **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('sso:oidc_login')}?{urlencode(query)}")
    query = {"email": email, **({"next": next_url} if next_url else {})}
    return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")


@require_POST
def logout(request):
    """Log out; a session a provider opened is closed there too (single logout)."""
    provider = IdentityProvider.objects.filter(pk=request.session.get(SESSION_KEY)).first()
    if provider and provider.protocol == IdentityProvider.Protocol.SAML:
        return redirect("saml2_logout")
    id_token = request.session.get("oidc_id_token")
    auth.logout(request)
    if provider and provider.end_session_endpoint and id_token:
        query = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("home:home")),
        }
        return HttpResponseRedirect(f"{provider.end_session_endpoint}?{urlencode(query)}")
    return HttpResponseRedirect(reverse("home:home"))


def refuse(request, exception=None, status=403, **kwargs):
    """djangosaml2's answer to an assertion it refused (bad signature, expired, unsolicited):
    one Swedish sentence, no details of the assertion."""
    if isinstance(exception, FederatedLoginRefused):
        raise exception
    raise FederatedLoginRefused(
        _("The login from your organisation's login service could not be accepted. Try again.")
    )


class SamlLoginView(saml_views.LoginView):
    """djangosaml2's request to an IdP, only to an active provider of ours (chosen by the e-mail
    step): no list of every provider to choose from, no error page for a missing one."""

    def get(self, request, *args, **kwargs):
        known = IdentityProvider.objects.filter(
            protocol=IdentityProvider.Protocol.SAML,
            is_active=True,
            entity_id=request.GET.get("idp", ""),
        )
        if not request.user.is_authenticated and not known.exists():
            return redirect("accounts:login")
        return super().get(request, *args, **kwargs)


class SamlLogoutInitView(saml_views.LogoutInitView):
    """Single logout through the IdP; a session no IdP opened is simply ended here."""

    def get(self, request, *args, **kwargs):
        if saml_views._get_subject_id(request.saml_session) is None:
            auth.logout(request)
            return redirect("home:home")
        return super().get(request, *args, **kwargs)


class AssertionConsumerServiceView(saml_views.AssertionConsumerServiceView):
    def post_login_hook(self, request, user, session_info):
        provider = IdentityProvider.objects.get(
            protocol=IdentityProvider.Protocol.SAML, entity_id=session_info["issuer"]
        )
        request.session[SESSION_KEY] = provider.pk


class TokenForm(CheckedText, forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy("Lost your phone? Give one of your recovery codes instead."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


@login_required
def totp(request):
    """The second factor: set up an authenticator app (QR code and key), or give its code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    next_url = next_url or reverse("home:home")
    if not second_factor_due(request):
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    device = device or totp_device_to_set_up(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        if device.verify_token(token):
            confirm_totp_device(device)
            otp_login(request, device)
            if setting_up:  # the app works: now the codes for the day the phone is lost
                codes = issue_recovery_codes(request.user)
                return render(
                    request, "sso/recovery_codes.html", {"codes": codes, "next": next_url}
                )
            return HttpResponseRedirect(next_url)
        recovery = None if setting_up else use_recovery_code(request.user, token)
        if recovery is not None:
            otp_login(request, recovery)
            _tell_codes_left(request)
            return HttpResponseRedirect(next_url)
        form.add_error(
            "token", _("The code is wrong or too old. Give the code your app shows now.")
        )
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        svg = qrcode.make(device.config_url, image_factory=SvgPathImage).to_string(
            encoding="unicode"
        )
        context["qr_svg"] = svg
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "sso/totp.html", context, status=400 if form.is_bound else 200)


def _tell_codes_left(request):
    left = recovery_codes_left(request.user)
    message = ngettext(
        "You logged in with a recovery code; %(count)s is left. Make new ones on your profile.",
        "You logged in with a recovery code; %(count)s are left. Make new ones on your profile.",
        left,
    )
    messages.warning(request, message % {"count": left})


@login_required
def recovery_codes(request):
    """Recovery codes: how many are left, and new ones (the old stop working), shown once.
    They stand in for the authenticator app, so only a person who has one may make them."""
    has_app = has_authenticator(request.user)
    if request.method == "POST":
        if not has_app:
            raise Http404
        codes = issue_recovery_codes(request.user)
        return render(request, "sso/recovery_codes.html", {"codes": codes})
    context = {"has_app": has_app, "left": recovery_codes_left(request.user)}
    return render(request, "sso/recovery_codes.html", context)
