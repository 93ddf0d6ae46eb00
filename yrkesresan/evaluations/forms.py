import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesresan.core.checked_text import CheckedText

from .models import Question
from .services import MAX_TEXT_LENGTH

# The names of answer fields: "day-<day id>-q<question id>" and "course-q<question id>".
ANSWER_FIELD = re.compile(r"^(?:day-(?P<day>\d+)-|course-)q(?P<question>\d+)$")


@dataclass
class DaySection:
    day: object
    fields: list


class EvaluationForm(CheckedText, forms.Form):
    """The evaluation of one round: the day questions once per course day, then the course
    questions. Every question may be skipped."""

    def __init__(self, *args, days, day_questions, course_questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days
        self.keys = {}  # field name -> (question id, day id or None)
        for day in days:
            for question in day_questions:
                self._add(f"day-{day.pk}-q{question.pk}", question, day)
        for question in course_questions:
            self._add(f"course-q{question.pk}", question, None)

    def _add(self, name, question, day):
        if question.kind == Question.Kind.SCALE:
            field = forms.TypedChoiceField(
                label=question.text,
                choices=scale_choices(question),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        else:
            field = forms.CharField(
                label=question.text,
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        field.question = question
        self.fields[name] = field
        self.keys[name] = (question.pk, day.pk if day else None)

    @property
    def day_sections(self):
        sections = []
        for day in self.days:
            prefix = f"day-{day.pk}-"
            sections.append(DaySection(day, [self[n] for n in self.fields if n.startswith(prefix)]))
        return sections

    @property
    def course_fields(self):
        return [self[name] for name in self.fields if name.startswith("course-")]

    def clean(self):
        unknown = [key for key in self.data if ANSWER_FIELD.match(key) and key not in self.fields]
        if unknown:
            raise forms.ValidationError(
                _(
                    "The answers include a course day or question that is not in this "
                    "evaluation. Reload the page and answer again."
                ),
                code="unknown",
            )
        return super().clean()

    def answers(self):
        """{(question id, day id or None): score or text} for the service."""
        return {key: self.cleaned_data[name] for name, key in self.keys.items()}


NO_ANSWER = gettext_lazy("No answer")


def scale_choices(question):
    """1–5 with the words for 1 and 5 in their labels, and a way back to no answer."""
    choices = []
    for score in range(1, 6):
        words = {1: question.low_label, 5: question.high_label}.get(score)
        choices.append((str(score), f"{score} – {words}" if words else str(score)))
    choices.append(("", NO_ANSWER))
    return choices
