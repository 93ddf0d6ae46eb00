from axes.helpers import get_cool_off
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from yrkesresan.core import ratelimits

from .access import scope_for
from .forms import EmailLoginForm, ProfileForm, QueuedPasswordResetForm


def _given_email(request, field):
    return request.POST.get(field, "").strip().lower()[:254]


class LoginView(auth_views.LoginView):
    """Log in by e-mail. Attempts are rate-limited per client address and per account (429
    with Retry-After); wrong passwords lock the account for that address (django-axes)."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ratelimits.check(request, "login-address", settings.LOGIN_RATE_PER_ADDRESS)
        email = _given_email(request, "username")
        if email:
            ratelimits.check(request, "login-account", settings.LOGIN_RATE_PER_ACCOUNT, key=email)
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
        ratelimits.check(request, "reset-address", settings.PASSWORD_RESET_RATE_PER_ADDRESS)
        email = _given_email(request, "email")
        if email:
            ratelimits.check(
                request, "reset-account", settings.PASSWORD_RESET_RATE_PER_ACCOUNT, key=email
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


def locked_out(request, original_response, credentials):
    """django-axes' answer to a locked account (AXES_LOCKOUT_CALLABLE): 429, and Retry-After
    the whole cool-off (the lock ends at most that long after the last failure)."""
    seconds = int(get_cool_off(request).total_seconds())
    response = render(
        request, "accounts/locked_out.html", {"minutes": max(1, seconds // 60)}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
