from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.catalog.models import Step


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, step):
        years = step.years_label()
        return f"{step.name} ({years})" if years else step.name


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    municipality = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ChooseStepForm(forms.Form):
    step = StepChoiceField(
        label=_("Step"),
        queryset=Step.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = journey.steps.filter(min_years__isnull=False)


class SetPlacementForm(forms.Form):
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
