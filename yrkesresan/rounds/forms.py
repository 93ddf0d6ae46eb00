"""Forms for planning rounds: creating, editing, copying, days, logistics and venues. They check
shape; the rules live in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.catalog.models import Course, Journey
from yrkesresan.core.checked_text import CheckedText
from yrkesresan.organisations.models import SupportStructure

from . import queries as round_queries
from . import services as planning
from .models import CourseDay, Round, Venue


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class FieldsetsMixin:
    """`fieldsets` lists (legend, [bound fields]) for templates that group fields."""

    fieldset_names = ()

    @property
    def fieldsets(self):
        groups = []
        for legend, names in self.fieldset_names:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups


class TermForm(CheckedText, forms.Form):
    termin = forms.CharField(label=_("Term"), max_length=7, required=False)

    def clean_termin(self):
        term = self.cleaned_data["termin"].strip().upper()
        if term and not round_queries.is_term(term):
            raise forms.ValidationError(_("Give the term as VT or HT and a year, e.g. VT 2027."))
        return term


class RoundForm(CheckedText, FieldsetsMixin, forms.Form):
    """A round's plan: what both creating and changing a round ask for."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example Omgång 3."))
    term = forms.ChoiceField(label=_("Term"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    minimum_participants = forms.IntegerField(
        label=_("Minimum participants"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Leave empty if the round runs however few register."),
    )
    registration_opens_on = forms.DateField(label=_("Registration opens"), widget=DateInput)
    registration_closes_on = forms.DateField(
        label=_("Registration deadline"),
        widget=DateInput,
        help_text=_("Cancellations after this date are marked late."),
    )
    fee_model = forms.ChoiceField(
        label=_("Fee model"),
        choices=Round.FeeModel.choices,
        widget=forms.RadioSelect,
        initial=Round.FeeModel.NONE,
    )
    fee_amount = forms.DecimalField(
        label=_("Fee (SEK)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Per participant, or per participant and course day."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(term, term) for term in terms]

    def round_fields(self):
        """The cleaned values as keywords for planning.update_round / create_round."""
        fields = {name: self.cleaned_data[name] for name in planning.ROUND_FIELDS}
        fields["fee_amount"] = fields["fee_amount"] or 0
        return fields


class EditRoundForm(RoundForm):
    fieldset_names = (
        (_("The round"), ("name", "term", "seats", "minimum_participants", "notes")),
        (_("Registration"), ("registration_opens_on", "registration_closes_on")),
        (_("Fee"), ("fee_model", "fee_amount")),
    )

    def __init__(self, *args, round, **kwargs):
        terms = round_queries.coming_terms()
        if round.term not in terms:
            terms.insert(0, round.term)
        initial = {name: getattr(round, name) for name in (*planning.ROUND_FIELDS, "seats")}
        super().__init__(*args, terms=terms, initial=initial, **kwargs)


class CreateRoundForm(RoundForm):
    """A new round: the plan, and what the proposed course days are built from."""

    structure = forms.ModelChoiceField(
        label=_("Regional support structure"), queryset=SupportStructure.objects.none()
    )
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    first_day = forms.DateField(label=_("First course day"), widget=DateInput)
    day_count = forms.IntegerField(
        label=_("Number of course days"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("Leave empty for the course's own number of days."),
    )
    interval_days = forms.IntegerField(
        label=_("Days between course days"), min_value=1, max_value=90, initial=7
    )
    starts_at = forms.TimeField(
        label=_("Starts"), widget=TimeInput, initial=round_queries.DEFAULT_STARTS_AT
    )
    ends_at = forms.TimeField(
        label=_("Ends"), widget=TimeInput, initial=round_queries.DEFAULT_ENDS_AT
    )
    venue = forms.ModelChoiceField(
        label=_("Venue of the first day"),
        queryset=Venue.objects.none(),
        required=False,
        help_text=_("The first day is physical, the others digital; you can change each day."),
    )
    meeting_url = forms.URLField(
        assume_scheme="https",
        label=_("Meeting link for the digital days"),
        required=False,
        max_length=200,
    )

    fieldset_names = (
        (_("The round"), ("structure", "course", "name", "term", "seats", "minimum_participants")),
        (
            _("Course days"),
            (
                "first_day",
                "day_count",
                "interval_days",
                "starts_at",
                "ends_at",
                "venue",
                "meeting_url",
            ),
        ),
        (_("Registration"), ("registration_opens_on", "registration_closes_on")),
        (_("Fee"), ("fee_model", "fee_amount")),
        (_("Notes"), ("notes",)),
    )

    def __init__(self, *args, structures, **kwargs):
        terms = round_queries.coming_terms()
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("term", terms[1])
        kwargs["initial"].setdefault("registration_opens_on", timezone.localdate())
        kwargs["initial"].setdefault("seats", round_queries.DEFAULT_SEATS)
        super().__init__(*args, terms=terms, **kwargs)
        self.fields["structure"].queryset = structures
        if len(structures) == 1:
            self.fields["structure"].initial = structures[0]
            self.fields["structure"].widget = forms.HiddenInput()
        self.fields["course"].queryset = (
            Course.objects.filter(step__journey__status=Journey.Status.PUBLISHED)
            .select_related("step")
            .order_by("step__journey__order", "step__order", "order", "title")
        )
        self.fields["course"].label_from_instance = lambda c: f"{c.title} ({c.step.name})"
        self.fields["venue"].queryset = Venue.objects.filter(structure__in=structures)

    def clean(self):
        data = super().clean()
        structure = data.get("structure")
        venue = data.get("venue")
        if structure and venue and venue.structure_id != structure.pk:
            self.add_error("venue", _("Choose one of your own venues."))
        return data


class DayForm(CheckedText, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=CourseDay.Mode.choices, widget=forms.RadioSelect
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        help_text=_("For a physical day."),
    )
    meeting_url = forms.URLField(
        assume_scheme="https",
        label=_("Meeting link"),
        required=False,
        max_length=200,
        help_text=_("For a digital day."),
    )

    def __init__(self, *args, day, **kwargs):
        initial = {
            "date": day.date,
            "starts_at": day.starts_at,
            "ends_at": day.ends_at,
            "mode": day.mode,
            "venue": day.venue_id,
            "meeting_url": day.meeting_url,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(structure_id=day.round.structure_id)


class CopyForm(CheckedText, forms.Form):
    name = forms.CharField(label=_("Name of the new round"), max_length=100)
    first_day = forms.DateField(
        label=_("First course day of the new round"),
        widget=DateInput,
        help_text=_("The other days keep their distance from the first."),
    )


class LogisticsForm(CheckedText, forms.Form):
    item = forms.ChoiceField(choices=[(name, name) for name in round_queries.LOGISTICS_FIELDS])
    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class VenueForm(CheckedText, forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Regional support structure"), queryset=SupportStructure.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, max_value=2000, help_text=_("People the room holds.")
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, hearing loop, accessible toilet, parking."),
    )

    def __init__(self, *args, structures, venue=None, **kwargs):
        if venue is not None:
            kwargs["initial"] = {name: getattr(venue, name) for name in planning.VENUE_FIELDS}
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        if venue is not None:
            del self.fields["structure"]
        elif len(structures) == 1:
            self.fields["structure"].initial = structures[0]
            self.fields["structure"].widget = forms.HiddenInput()

    def venue_fields(self):
        return {name: self.cleaned_data[name] for name in planning.VENUE_FIELDS}


def add_problems(form, error, field_map=None):
    """Put a PlanningError's problems on the form's fields where they belong."""
    field_map = field_map or {}
    for problem in error.problems:
        name = field_map.get(problem.field, problem.field) if problem.day else problem.field
        form.add_error(name if name in form.fields else None, problem.message)


class VersionForm(CheckedText, forms.Form):
    version = forms.ModelChoiceField(
        label=_("Teach this version"), queryset=None, empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda version: (
            _("Version %(number)s") % {"number": version.number}
        )
