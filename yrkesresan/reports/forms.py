"""Forms of the reports: the capacity plan's choices and the manager's staff filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds.forms import DateInput
from yrkesresan.rounds.models import term_dates


class CapacityForm(CheckedText, forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Regional support structure"),
        queryset=SupportStructure.objects.none(),
        required=False,
    )
    by_date = forms.DateField(label=_("Everyone through by"), widget=DateInput, required=False)
    seats_per_round = forms.IntegerField(
        label=_("Seats per new round"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Leave empty to use the seats of your latest round of each course."),
    )

    def __init__(self, data, *, structures, **kwargs):
        # Without a date the plan runs to the end of next term, the one being planned.
        if not data.get("by_date"):
            data = data.copy()
            data["by_date"] = self.default_date().isoformat()
        super().__init__(data, **kwargs)
        self.structures = structures
        self.fields["structure"].queryset = structures
        if len(structures) == 1:
            self.fields["structure"].widget = forms.HiddenInput()

    @staticmethod
    def default_date():
        return term_dates(round_queries.coming_terms(count=2)[1])[1]

    def clean_structure(self):
        return self.cleaned_data["structure"] or self.structures[0]

    def clean_by_date(self):
        value = self.cleaned_data["by_date"] or self.default_date()
        if value < timezone.localdate():
            raise forms.ValidationError(_("Choose a date that has not passed."))
        return value


class MyStaffForm(CheckedText, forms.Form):
    behover = forms.BooleanField(label=_("Only those who still need a place"), required=False)
