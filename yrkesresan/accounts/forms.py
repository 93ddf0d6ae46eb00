from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText

from .models import User


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
