from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.accounts.models import WorkRole
from yrkesresan.catalog.models import Step
from yrkesresan.core.checked_text import CheckedText
from yrkesresan.organisations.models import Municipality, Unit


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, step):
        years = step.years_label()
        return f"{step.name} ({years})" if years else step.name


class StaffFilterForm(CheckedText, forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    # Ids: bounded, so that a number no database column holds is a form error, not a 500.
    unit = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    municipality = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    needs_place = forms.BooleanField(
        label=_("Only people who need a place in a round"),
        required=False,
        help_text=_(
            "People with a course on their step that they have neither completed nor have a "
            "seat for."
        ),
    )


class ChooseStepForm(CheckedText, forms.Form):
    step = StepChoiceField(
        label=_("Step"),
        queryset=Step.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = journey.steps.filter(min_years__isnull=False)


class SetPlacementForm(CheckedText, forms.Form):
    step = StepChoiceField(label=_("Step"), queryset=Step.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why this step fits the person. The reason is saved with your name."),
        error_messages={"required": _("Give a reason for changing the step.")},
    )

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = journey.steps.all()


class WorkRoleForm(CheckedText, forms.Form):
    work_role = forms.ChoiceField(
        label=_("Role at work"),
        choices=[("", _("No leading role")), *WorkRole.choices],
        required=False,
        help_text=_(
            "Unit managers and team leaders are placed on the journey's step for their role "
            "(Chef, Arbetsledare). A step chosen earlier on those journeys is replaced."
        ),
        error_messages={"invalid_choice": _("Choose a role at work from the list.")},
    )


class UnitChoiceField(forms.ModelChoiceField):
    # The municipality is chosen in the field above: the unit's name is enough.
    def label_from_instance(self, unit):
        return unit.name


class MoveForm(CheckedText, forms.Form):
    """A move to another municipality; the units offered are those of the chosen municipality."""

    municipality = forms.ModelChoiceField(
        label=_("New municipality"),
        queryset=Municipality.objects.order_by("name"),
        error_messages={
            "required": _("Choose the municipality the person moves to."),
            "invalid_choice": _("Choose a municipality from the list."),
        },
    )
    unit = UnitChoiceField(
        label=_("New unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No unit yet"),
        help_text=_("The unit's manager will see the person's record."),
        error_messages={
            "invalid_choice": _("Choose a unit in the municipality you chose, or no unit.")
        },
    )
    moved_on = forms.DateField(
        label=_("Moved on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day at the new employer."),
        error_messages={"required": _("Give the date of the move.")},
    )

    def __init__(self, *args, units_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.chosen_municipality()
        if municipality is not None:
            self.fields["unit"].queryset = Unit.objects.filter(municipality=municipality)
        if units_url:
            # With JavaScript the unit list follows the municipality at once (htmx).
            self.fields["municipality"].widget.attrs.update(
                {
                    "hx-get": units_url,
                    "hx-trigger": "change",
                    "hx-target": "#unit-field",
                    "hx-swap": "outerHTML",
                }
            )

    def chosen_municipality(self):
        """The municipality picked so far (posted, or passed in the query), or None."""
        source = self.data if self.is_bound else self.initial
        value = source.get("municipality")
        if isinstance(value, Municipality):
            return value
        try:
            return Municipality.objects.filter(pk=int(value)).first() if value else None
        except (TypeError, ValueError):
            return None
