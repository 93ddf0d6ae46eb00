from django import forms
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText

from .models import Material


class MaterialForm(CheckedText, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("For"), choices=Material.Audience.choices)
    day_number = forms.IntegerField(
        label=_("For course day"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Leave empty for material that belongs to the whole course."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=1000)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, PowerPoint, Word, Excel or an image (PNG, JPEG)."),
    )
