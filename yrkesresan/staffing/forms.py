"""Forms of the staffing page.

The choices (trainers, course leaders, teams) are loaded once per page by the view and handed
to every form, so a page with many days and teams still makes a fixed number of queries.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText


def person_label(person):
    place = person.municipality.name if person.municipality_id else ""
    return f"{person.get_full_name()} ({place})" if place else person.get_full_name()


class ObjectChoiceField(forms.ChoiceField):
    """A choice among preloaded objects; cleans to the object, or None when left empty."""

    def __init__(self, *, objects, label_from, empty_label=None, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label_from(obj)) for key, obj in self.objects.items()]
        if empty_label is not None:
            choices.insert(0, ("", empty_label))
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Several of the preloaded objects; cleans to a list of them."""

    def __init__(self, *, objects, label_from, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label_from(obj)) for key, obj in self.objects.items()]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        return [self.objects[key] for key in super().clean(value)]


class CourseLeaderForm(CheckedText, forms.Form):
    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course_leader"] = ObjectChoiceField(
            label=_("Course leader"),
            objects=candidates,
            label_from=person_label,
            empty_label=_("No course leader"),
            required=False,
            help_text=_("People with the course leader role in the support structure."),
        )


class TeamMembersForm(CheckedText, forms.Form):
    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"] = ObjectMultipleChoiceField(
            label=_("Trainers"),
            objects=trainers,
            label_from=person_label,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class TeamForm(TeamMembersForm):
    name = forms.CharField(
        label=_("Name of the team"),
        max_length=100,
        help_text=_("For example Team 1."),
        error_messages={"required": _("Give the team a name.")},
    )


class DayTeamForm(CheckedText, forms.Form):
    def __init__(self, *args, day, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = ObjectChoiceField(
            label=_("Team for day %(number)s") % {"number": day.number},
            objects=teams,
            label_from=lambda team: team.name,
            empty_label=_("No team"),
            required=False,
        )


class HandoverNoteForm(CheckedText, forms.Form):
    """The handover note of a course day (services.save_handover_note)."""

    covered = forms.CharField(
        label=_("What was covered"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    questions = forms.CharField(
        label=_("What the group asked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    follow_up = forms.CharField(
        label=_("Who needs follow-up"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Names and what to follow up; no sensitive personal details."),
    )


class PoolApplicationForm(CheckedText, forms.Form):
    """A staff member's application to a structure's trainer pool."""

    structure = forms.ModelChoiceField(
        queryset=None, label=_("Regional support structure"), empty_label=None
    )
    courses = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Courses you want to train"), widget=forms.CheckboxSelectMultiple
    )
    motivation = forms.CharField(label=_("Why do you want to train?"), widget=forms.Textarea,
                                 max_length=3000)  # fmt: skip
    experience = forms.CharField(label=_("Your experience"), widget=forms.Textarea,
                                 max_length=3000)  # fmt: skip

    def __init__(self, *args, structures, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["courses"].queryset = courses


class ManagerDecisionForm(CheckedText, forms.Form):
    days_per_term = forms.IntegerField(
        label=_("Days per term"), min_value=1, max_value=40, required=False
    )


class WithdrawDateForm(CheckedText, forms.Form):
    """The manager withdraws the approval of one of the trainer's course dates."""

    def __init__(self, *args, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = {date.isoformat(): date for date in dates}
        self.fields["date"] = forms.ChoiceField(
            label=_("Date"),
            choices=[(key, key) for key in self.dates],
            error_messages={"invalid_choice": _("Choose one of the trainer's course dates.")},
        )
        self.fields["reason"] = forms.CharField(
            label=_("Reason"),
            max_length=300,
            error_messages={"required": _("Give a reason for withdrawing the date.")},
        )

    def clean_date(self):
        return self.dates[self.cleaned_data["date"]]


class TrainingForm(CheckedText, forms.Form):
    """The coordinator records a trainer's trainer training for one of their courses."""

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"] = ObjectChoiceField(
            label=_("Course"), objects=courses, label_from=lambda course: course.title
        )
        self.fields["trained_on"] = forms.DateField(
            label=_("Trained on"),
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"required": _("Give the date of the trainer training.")},
        )

    def clean_trained_on(self):
        value = self.cleaned_data["trained_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The trainer training cannot be in the future."))
        return value


def first_error(form):
    """The first error of a bound, invalid form as one sentence."""
    return next(iter(form.errors.values()))[0]
