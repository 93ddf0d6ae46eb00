from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.enrolment.deep_dive import ANSWER_MAX_LENGTH
from yrkesresan.enrolment.preparation import NOTES_MAX_LENGTH


class DoneForm(CheckedText, forms.Form):
    """Mark a preparation module done (1) or not done (0)."""

    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
    back = forms.ChoiceField(choices=[("module", "module"), ("list", "list")], required=False)


class NotesForm(CheckedText, forms.Form):
    notes = forms.CharField(
        label=_("Your notes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        help_text=_("Only you can see your notes. Nobody else, not even administrators."),
    )


class DeepDiveForm(CheckedText, forms.Form):
    """The answer to one deep-dive task; the button pressed (name "action") says whether to
    save a draft or hand it in."""

    SUBMIT = "submit"

    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=ANSWER_MAX_LENGTH,
        error_messages={"required": _("Write your answer before you save it.")},
    )

    @property
    def submits(self):
        return self.data.get("action") == self.SUBMIT
