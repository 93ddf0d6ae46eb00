"""Free text checked the same way at every edge: no personal identity number anywhere, and no
line break or other control character in a single-line field.

- Forms: `CheckedText` puts the message on the field. Every form of the project mixes it in
  (tests/test_checked_text_everywhere.py walks them). A field is single-line unless its widget
  is a Textarea.
- The database: `refuse_unchecked_text` is a pre_save receiver over every CharField and
  TextField of the project's models; it raises a DomainError naming the field, so an import,
  the API or a future form cannot store such a text by forgetting to check. A CharField is
  single-line, a TextField may hold line breaks.
"""

import re

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from .errors import DomainError
from .personnummer import contains_personnummer, refusal

# Control characters (tab excepted), line and paragraph separators: a name with one breaks
# the e-mail headers, calendars and file names it goes into.
NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
NO_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ONE_LINE_MESSAGE = gettext_lazy("%(field)s must be one line, without line breaks.")
CONTROL_MESSAGE = gettext_lazy("%(field)s contains characters that are not text.")

# Fields whose values are made by the platform, not typed: password hashes (other such fields,
# digests and tokens, are editable=False).
SKIPPED_FIELDS = {"password"}


class TextRefused(DomainError):
    """A text to be stored breaks a rule of checked_text; the message names the field."""

    code = "invalid_text"

    def __init__(self, message, field_name=""):
        super().__init__(message)
        self.field_name = field_name


def problem(value, label, *, one_line):
    """The message refusing `value` for the field called `label`, or None if it is fine."""
    if not isinstance(value, str) or not value:
        return None
    if contains_personnummer(value):
        return refusal(label)
    if one_line and NOT_ONE_LINE.search(value):
        return str(ONE_LINE_MESSAGE % {"field": capfirst(str(label))})
    if NO_CONTROL.search(value):
        return str(CONTROL_MESSAGE % {"field": capfirst(str(label))})
    return None


def text_fields(model):
    """The concrete CharFields and TextFields of `model` that hold text people type."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.editable
        and field.name not in SKIPPED_FIELDS
    ]


def _strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def refuse_unchecked_text(sender, instance, raw=False, **kwargs):
    """pre_save receiver: refuse to store a project model with a text that breaks the rules.

    JSONFields (the audit log's details) are searched for a personal identity number in any
    of their strings."""
    if raw or not sender.__module__.startswith("yrkesresan."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            value = getattr(instance, field.attname, None)
            if any(contains_personnummer(text) for text in _strings(value)):
                raise TextRefused(refusal(field.verbose_name), field.name)
    for field in text_fields(sender):
        message = problem(
            getattr(instance, field.attname, None),
            field.verbose_name,
            one_line=not isinstance(field, models.TextField),
        )
        if message:
            raise TextRefused(message, field.name)


class CheckedText:
    """A form mixin: a text field's value that breaks the rules is an error on that field."""

    def _post_clean(self):
        super()._post_clean()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            message = problem(
                self.cleaned_data.get(name),
                field.label or name.replace("_", " "),
                one_line=not isinstance(field.widget, forms.Textarea),
            )
            if message:
                self.add_error(name, message)
