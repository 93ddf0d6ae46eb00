"""Forms for the course leader's, trainers' and coordinator's pages of a round."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.enrolment.attendance import NOTE_MAX_LENGTH
from yrkesresan.enrolment.models import Attendance
from yrkesresan.enrolment.review import FEEDBACK_MAX_LENGTH


class MarkAttendanceForm(CheckedText, forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Attendance.Status.PARTLY and not data.get("note", "").strip():
            self.add_error("note", _("Write a short note on what part of the day was attended."))
        return data


class ReviewForm(CheckedText, forms.Form):
    APPROVE = "approve"
    MORE = "more"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (MORE, _("Ask for more"))],
    )
    feedback = forms.CharField(
        label=_("Feedback to the participant"),
        help_text=_("Required when you ask for more."),
        max_length=FEEDBACK_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.MORE and not data.get("feedback", "").strip():
            self.add_error("feedback", _("Write what more is needed before you send it back."))
        return data


class CompleteForm(CheckedText, forms.Form):
    registrations = forms.ModelMultipleChoiceField(
        label=_("Participants to mark complete"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one participant to mark complete."),
            "invalid_choice": _("Someone chosen is not a participant of this round."),
            "invalid_pk_value": _("Someone chosen is not a participant of this round."),
        },
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = registrations


class BookMakeUpForm(CheckedText, forms.Form):
    registration = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    day = forms.ModelChoiceField(
        label=_("Make-up day"),
        queryset=None,
        error_messages={
            "required": _("Choose a day to book."),
            "invalid_choice": _("That day cannot be booked as a make-up day."),
        },
    )

    def __init__(self, *args, registrations, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        self.fields["day"].queryset = days


class VerifyForm(CheckedText, forms.Form):
    kod = forms.CharField(
        label=_("Verification code"),
        help_text=_("As printed on the certificate, for example ABCD-EFGH-JKLM."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
