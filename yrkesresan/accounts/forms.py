import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.core.mail import send

from .models import ApiToken, User


class EmailLoginForm(CheckedText, AuthenticationForm):
    """Log in by e-mail address; addresses are stored in lower case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check them and try again."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(CheckedText, forms.ModelForm):
    """What a person may change about themself; employer and roles are set by others."""

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "title",
            "profession_started_on",
            "findable_by_colleagues",
        ]
        widgets = {
            "profession_started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }
        labels = {"findable_by_colleagues": _("Let colleagues in other municipalities find me")}
        help_texts = {
            "findable_by_colleagues": _(
                "If you tick this, everyone logged in to Yrkesresan can find you in the "
                "colleague search by municipality, title, role and course, and sees your name, "
                "title, municipality and e-mail address. In the course rounds you take part in, "
                "the other participants and the trainers also see your e-mail address. If you "
                "do not tick it, you are listed only in your own rounds, by name and "
                "municipality. You can change this at any time."
            )
        }

    def clean_profession_started_on(self):
        started = self.cleaned_data["profession_started_on"]
        if started and started > timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the future."))
        if started and started.year < 1950:
            raise forms.ValidationError(_("Check the year: it is too far back."))
        return started


class TokenForm(CheckedText, forms.Form):
    """A new API token: what it is for and how long it lives (and, for an administrator,
    whose it is)."""

    name = forms.CharField(
        label=_("What the token is for"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("For example the HR system's name."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        # A callable, so that the labels are translated for each request's language.
        choices=lambda: [
            (days, gettext("%(days)d days") % {"days": days})
            for days in ApiToken.VALID_DAYS_CHOICES
        ],
        initial=90,
    )
    owner_email = forms.EmailField(
        label=_("Whose token (e-mail address)"),
        required=False,
        help_text=_("Leave empty for your own token."),
    )

    def __init__(self, *args, for_admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_admin:
            del self.fields["owner_email"]


class TrailFilterForm(CheckedText, forms.Form):
    q = forms.CharField(label=_("Name or e-mail address"), max_length=100, required=False)


class ErasureForm(CheckedText, forms.Form):
    reason = forms.CharField(
        label=_("Why the data is erased"),
        max_length=300,
        help_text=_("For example: the person asked for it on 3 December. Kept in the audit trail."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone"), required=True
    )


class QueuedPasswordResetForm(CheckedText, PasswordResetForm):
    """Django's password reset, for every active account, its e-mail sent through the outbox.

    An account whose invitation link expired before a password was chosen has no usable
    password; Django's form would skip it. Here it gets a link too: that is how a person renews
    their own expired invitation. The message goes to the outbox (core.mail) and the worker
    sends it: the answer is the same, and as quick, whether or not the address has an account.
    """

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        message = EmailMessage(subject, body, from_email, [to_email])
        send([message], key=f"password-reset:{uuid.uuid4()}")
