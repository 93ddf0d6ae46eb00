"""Forms of the round page: registering, cancelling, filtering the participants, the status."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.organisations.models import Municipality, Unit
from yrkesresan.rounds.forms import FieldsetsMixin
from yrkesresan.rounds.models import Round

from .models import REASON_MAX_LENGTH
from .new_hire import MOST_YEARS
from .placement import current_placement


class StatusForm(CheckedText, forms.Form):
    status = forms.ChoiceField(choices=Round.Status.choices)


class PeopleByMunicipality(ModelChoiceIterator):
    """Choices grouped by municipality (the queryset is ordered by municipality)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for person in self.queryset:
            name = person.municipality.name if person.municipality else "–"
            groups.setdefault(name, []).append(self.choice(person))
        yield from groups.items()


class PersonChoiceField(forms.ModelChoiceField):
    """People grouped by municipality, each labelled with unit and step."""

    iterator = PeopleByMunicipality

    def __init__(self, *args, journey, course, **kwargs):
        self.journey = journey
        self.course = course
        super().__init__(*args, **kwargs)

    def label_from_instance(self, person):
        step = current_placement(person, self.journey, person.placements.all()).step
        label = person.get_full_name()
        if person.unit:
            label += f", {person.unit.name}"
        if step is None:
            unknown = _("step unknown")
            return f"{label} ({unknown})"
        if step.pk != self.course.step_id:
            other = _("another step")
            return f"{label} ({step.name}: {other})"
        return f"{label} ({step.name})"


class RegistrationForm(CheckedText, FieldsetsMixin, forms.Form):
    person = forms.Field()  # replaced in __init__
    step_mismatch_reason = forms.CharField(
        label=_("Reason for another step"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the course's step is not the person's step."),
    )
    needs_consent = forms.BooleanField(
        label=_(
            "The participant consents to share diet and accessibility needs with the organisers"
        ),
        required=False,
        help_text=_(
            "Only the regional coordinator and the course leader see them, and they are erased "
            "when the round is completed. Without consent the participant can e-mail the "
            "coordinator instead."
        ),
    )
    special_diet = forms.CharField(label=_("Special diet"), required=False, max_length=300)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, max_length=300
    )

    fieldset_names = (
        (_("Participant"), ("person", "step_mismatch_reason")),
        (
            _("Diet and accessibility (optional)"),
            ("needs_consent", "special_diet", "accessibility_needs"),
        ),
    )

    def __init__(self, *args, people, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(
            label=_("Participant"),
            queryset=people,
            journey=round.course.step.journey,
            course=round.course,
            empty_label=_("Choose a person"),
            help_text=_("Your staff in the programme's member municipalities of the region."),
        )
        self.order_fields(["person", "step_mismatch_reason", "needs_consent", "special_diet"])

    def clean(self):
        data = super().clean()
        has_needs = (
            data.get("special_diet", "").strip() or data.get("accessibility_needs", "").strip()
        )
        if has_needs and not data.get("needs_consent"):
            self.add_error(
                "needs_consent",
                _("Diet and accessibility needs are saved only with the participant's consent."),
            )
        return data


class CancelForm(CheckedText, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ParticipantFilterForm(CheckedText, forms.Form):
    STATUS_CHOICES = [
        ("active", _("Registered and waiting")),
        ("registered", pgettext_lazy("registration status", "Registered")),
        ("waitlisted", pgettext_lazy("registration status", "On the waiting list")),
        ("cancelled", pgettext_lazy("registration status", "Cancelled")),
        ("all", _("All")),
    ]
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            county__support_structures=round.structure_id
        ).order_by("name")


class NewHireForm(CheckedText, forms.Form):
    """A new person in one of the manager's units (new_hire.add_new_hire)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    years = forms.IntegerField(
        label=_("Years in the profession"),
        min_value=0,
        max_value=MOST_YEARS,
        help_text=_("Whole years; it suggests the step on the journey."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # The choices read once (a ModelChoiceIterator reads the units at every rendering).
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]
