import json
from urllib.parse import urlencode

from axes.helpers import get_cool_off
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yrkesresan.core import ratelimits
from yrkesresan.core.models import log_action

from . import access, privacy, privacy_pdf, tokens, trail
from .access import scope_for
from .forms import (
    EmailLoginForm,
    ErasureForm,
    ProfileForm,
    QueuedPasswordResetForm,
    TokenForm,
    TrailFilterForm,
)


def _given_email(request, field):
    return request.POST.get(field, "").strip().lower()[:254]


class LoginView(auth_views.LoginView):
    """Log in by e-mail. Attempts are rate-limited per client address and per account (429
    with Retry-After); wrong passwords lock the account for that address (django-axes)."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        # The e-mail step (sso:start) sends local accounts here with their address filled in.
        return {"username": self.request.GET.get("email", "")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.GET.get("email"):
            form.fields["username"].widget.attrs.pop("autofocus", None)
            form.fields["password"].widget.attrs["autofocus"] = True
        return form

    def post(self, request, *args, **kwargs):
        ratelimits.check(request, "login-address", rate=settings.LOGIN_RATE_PER_ADDRESS)
        email = _given_email(request, "username")
        if email:
            ratelimits.check(
                request, "login-account", key=email, rate=settings.LOGIN_RATE_PER_ACCOUNT
            )
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to choose a new password (or to renew an expired invitation).

    The answer is the same whether or not the address has an account; requests are
    rate-limited per client address and per address given (429 with Retry-After).
    """

    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def post(self, request, *args, **kwargs):
        ratelimits.check(request, "reset-address", rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS)
        email = _given_email(request, "email")
        if email:
            ratelimits.check(
                request, "reset-account", key=email, rate=settings.PASSWORD_RESET_RATE_PER_ACCOUNT
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a password from an invitation's or a reset's link. The new password also lifts
    a lockout of the account (someone else's wrong guesses do not keep its owner out)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockout(username=form.user.email)
        return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "roles": request.user.roles.select_related(
                "unit__municipality", "municipality", "structure", "journey"
            ),
            "scope": scope_for(request.user),
        },
    )


TRAIL_PAGE_SIZE = 50


def _page(request, items, size):
    return Paginator(items, size).get_page(request.GET.get("sida"))


@login_required
def my_trail(request):
    """Who else has seen or changed my data."""
    page = _page(request, trail.about(request.user), TRAIL_PAGE_SIZE)
    return render(
        request,
        "accounts/trail.html",
        {"page": page, "rows": [(event, trail.describe(event)) for event in page], "mine": True},
    )


@login_required
def staff_trail(request):
    """Who has seen or changed the data of the staff a contact is responsible for."""
    if not scope_for(request.user).may_see_staff_trail:
        raise PermissionDenied
    form = TrailFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(request, trail.about_staff(request.user, query), TRAIL_PAGE_SIZE)
    return render(
        request,
        "accounts/trail.html",
        {
            "page": page,
            "rows": [(event, trail.describe(event)) for event in page],
            "form": form,
            "query": urlencode({"q": query}) if query else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """My API tokens (every token, for an administrator): make one, see them, revoke them."""
    for_admin = scope_for(request.user).is_admin
    form = TokenForm(request.POST or None, for_admin=for_admin)
    new_token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            owner = request.user
            if data.get("owner_email"):
                owner = tokens.owner_by_email(data["owner_email"])
            new_token = tokens.issue_token(
                owner, name=data["name"], valid_days=data["valid_days"], by=request.user
            )
            form = TokenForm(for_admin=for_admin)
        except tokens.TokenError as error:
            form.add_error(None, str(error))
    page = _page(request, tokens.tokens_visible_to(request.user), TRAIL_PAGE_SIZE)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "page": page, "new_token": new_token, "for_admin": for_admin},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def revoke_api_token(request, pk):
    token = get_object_or_404(tokens.tokens_visible_to(request.user), pk=pk)
    tokens.revoke_token(token, by=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


# Personal-data rights


@never_cache
@login_required
def my_data(request):
    """Everything held about me, with downloads as JSON and PDF."""
    return render(
        request, "accounts/my_data.html", {"sections": privacy.personal_data(request.user)}
    )


@never_cache
@login_required
def my_data_download(request, kind):
    person = request.user
    sections = privacy.personal_data(person)
    log_action(person, "person.exported", person, subject=person, kind=kind)
    stem = f"yrkesresan-mina-uppgifter-{timezone.localdate().isoformat()}"
    if kind == "pdf":
        content, content_type = privacy_pdf.as_pdf(sections, person), "application/pdf"
    else:
        content = json.dumps(privacy.as_json(sections, person), ensure_ascii=False, indent=2)
        content_type = "application/json; charset=utf-8"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, f"{stem}.{kind}")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_person(request, pk):
    """A municipality's contact erases a person of the municipality on their request."""
    person = access.get_person_for_user(request.user, pk)
    if not privacy.may_erase(request.user, person):
        raise PermissionDenied
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_person(person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The person's personal data has been erased."))
        return redirect("learning:staff")
    return render(
        request,
        "accounts/erase_person.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def processing_record(request):
    """What is kept about people, why and for how long: for contacts and administrators."""
    if not scope_for(request.user).may_see_staff_trail:
        raise PermissionDenied
    return render(
        request, "accounts/processing_record.html", {"sections": privacy.processing_record()}
    )


def locked_out(request, original_response, credentials):
    """django-axes' answer to a locked account (AXES_LOCKOUT_CALLABLE): 429, and Retry-After
    the whole cool-off (the lock ends at most that long after the last failure)."""
    seconds = int(get_cool_off(request).total_seconds())
    response = render(
        request, "accounts/locked_out.html", {"minutes": max(1, seconds // 60)}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
