"""Forms of the reports: the capacity plan's choices and the manager's staff filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.catalog.models import Course
from yrkesresan.core.checked_text import CheckedText
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds.forms import DateInput
from yrkesresan.rounds.models import Round, term_dates


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


class ModeComparisonForm(CheckedText, forms.Form):
    """The filters of the physical/digital comparison: a course, a term, a support structure;
    each optional. Every combination keeps the threshold of five (reports.queries)."""

    kurs = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, to_field_name="slug"
    )
    termin = forms.ChoiceField(label=_("Term"), choices=(), required=False)
    stod = forms.ModelChoiceField(
        label=_("Regional support structure"),
        queryset=SupportStructure.objects.none(),
        required=False,
    )

    def __init__(self, data, *, rounds, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kurs"].queryset = Course.objects.filter(
            pk__in=rounds.values("course_id")
        ).order_by("title")
        terms = sorted(
            set(rounds.values_list("term", flat=True)),
            key=lambda t: (t.split()[-1], t.split()[0] == "HT"),
            reverse=True,
        )
        self.fields["termin"].choices = [("", _("All terms"))] + [(t, t) for t in terms]
        self.fields["stod"].queryset = SupportStructure.objects.filter(
            pk__in=rounds.values("structure_id")
        ).order_by("name")
        self.fields["kurs"].empty_label = _("All courses")
        self.fields["stod"].empty_label = _("All support structures")

    def filter(self, rounds):
        """`rounds` narrowed to the valid filters."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kurs"):
            rounds = rounds.filter(course=data["kurs"])
        if data.get("termin"):
            rounds = rounds.filter(term=data["termin"])
        if data.get("stod"):
            rounds = rounds.filter(structure=data["stod"])
        return rounds

    def description(self):
        """The chosen filters in words, for the Excel file's heading."""
        data = self.cleaned_data if self.is_valid() else {}
        return " · ".join(
            [
                str(data.get("kurs") or _("All courses")),
                data.get("termin") or str(_("All terms")),
                str(data.get("stod") or _("All support structures")),
            ]
        )


class TimelineForm(CheckedText, forms.Form):
    """The timeline's choices: the term, and a course and a status to narrow the rounds."""

    termin = forms.ChoiceField(label=_("Term"), choices=(), required=False)
    kurs = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)

    def __init__(self, data, *, terms, courses, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["termin"].choices = [(t, t) for t in terms]
        self.fields["kurs"].queryset = courses
        self.fields["kurs"].empty_label = _("All courses")
        self.fields["status"].choices = [("", _("All statuses")), *Round.Status.choices]

    def filter(self, rounds):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kurs"):
            rounds = rounds.filter(course=data["kurs"])
        if data.get("status"):
            rounds = rounds.filter(status=data["status"])
        return rounds


class RegionForm(CheckedText, forms.Form):
    """The region dashboard's one choice: a support structure of the user's, or all of them."""

    stod = forms.ModelChoiceField(
        label=_("Regional support structure"),
        queryset=SupportStructure.objects.none(),
        required=False,
    )

    def __init__(self, data, *, structures, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["stod"].queryset = structures
        self.fields["stod"].empty_label = _("All your support structures")
