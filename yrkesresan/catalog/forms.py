"""The editors' workspace forms: the course's texts and one formset per part of its content.

The forms read and write the document of catalog.versions (a draft's content); the services
check every row against its model when the draft is saved.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText

from .models import KnowledgeGoal, LegalReference, PreparationTask

MARKDOWN_HELP = _(
    "Markdown: *italic*, **bold**, lists with - and links as [text](https://…). "
    "HTML is shown as text."
)


BLANK = [("", "–")]


class CourseTextForm(CheckedText, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, help_text=MARKDOWN_HELP
    )
    target_group = forms.CharField(label=_("Target group"), max_length=300, required=False)
    course_days = forms.IntegerField(label=_("Number of course days"), min_value=1, max_value=20)
    legal_references = forms.ModelMultipleChoiceField(
        label=_("Laws and regulations referred to"),
        queryset=LegalReference.objects.order_by("short_name", "-valid_from"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RowForm(CheckedText, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GoalForm(RowForm):
    # An empty first choice, so that the formset's empty extra row stays unchanged when posted.
    kind = forms.ChoiceField(
        label=_("Kind of knowledge (4F)"), choices=BLANK + KnowledgeGoal.Kind.choices
    )
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))


class PreparationForm(RowForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + PreparationTask.Kind.choices)
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    motivation = forms.CharField(
        label=_("Why it matters"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    estimated_minutes = forms.IntegerField(label=_("Time (minutes)"), min_value=1, max_value=600)
    body = forms.CharField(
        label=_("Text or questions"), widget=forms.Textarea, required=False, help_text=MARKDOWN_HELP
    )
    url = forms.URLField(
        label=_("Link or film"), required=False, assume_scheme="https", max_length=200
    )


class DayPlanForm(RowForm):
    number = forms.IntegerField(label=_("Day"), min_value=1, max_value=20)
    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.CharField(
        label=_("Themes"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One per line.")
    )
    trainers = forms.IntegerField(
        label=_("Trainers"), min_value=1, max_value=20, help_text=_("How many the day needs.")
    )
    team = forms.IntegerField(
        label=_("Team"),
        min_value=1,
        max_value=20,
        help_text=_("Days with the same team number are taken by one team, as a block."),
    )


class DeepDiveForm(RowForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea, help_text=MARKDOWN_HELP
    )


# (key in the document, form, legend)
PART_FORMS = (
    ("goals", GoalForm, _("Knowledge goals")),
    ("preparation", PreparationForm, _("Preparation modules")),
    ("day_plans", DayPlanForm, _("Day plans")),
    ("deep_dive_tasks", DeepDiveForm, _("Deep-dive tasks")),
)


def part_formsets(content, data=None):
    """[(key, legend, formset)] over the draft's `content`, bound to `data` when posted."""
    formsets = []
    for key, form, legend in PART_FORMS:
        formset_class = forms.formset_factory(form, extra=1, can_delete=True)
        formsets.append(
            (key, legend, formset_class(data, initial=content.get(key, []), prefix=key))
        )
    return formsets


def course_text_form(content, data=None):
    return CourseTextForm(data, initial=content, prefix="course")


def content_from(text_form, formsets):
    """The document the valid forms describe; deleted and untouched empty rows left out."""
    content = dict(text_form.cleaned_data)
    content["legal_references"] = sorted(law.pk for law in content["legal_references"])
    for key, _legend, formset in formsets:
        rows = []
        for form in formset.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            rows.append({name: value for name, value in data.items() if name != "DELETE"})
        content[key] = rows
    return content


class PublishForm(CheckedText, forms.Form):
    number = forms.CharField(label=_("New version"), max_length=20)
    change_note = forms.CharField(
        label=_("What changed and why"),
        widget=forms.Textarea,
        help_text=_("Trainers and coordinators read this before they teach the new version."),
    )
    legal_reference = forms.ModelChoiceField(
        label=_("Caused by a law or regulation (optional)"),
        queryset=LegalReference.objects.order_by("short_name", "-valid_from"),
        required=False,
    )


def posted_revision(data):
    """The draft revision the editor's form was made from (-1, which never matches, when
    missing or garbled)."""
    try:
        return int(data.get("revision", ""))
    except ValueError:
        return -1


def compared_versions(query, versions):
    """(old, new): the two of `versions` chosen by ?fran= and ?till= (ids), or (None, None)
    when not both are among them."""
    by_id = {str(version.pk): version for version in versions}
    old, new = by_id.get(query.get("fran", "")), by_id.get(query.get("till", ""))
    return (old, new) if old and new else (None, None)
