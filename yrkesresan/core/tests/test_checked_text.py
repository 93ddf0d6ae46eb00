"""Free text is checked at every edge: every project form mixes in CheckedText, and every
CharField and TextField of every project model is checked again when it is saved."""

import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.db import models
from django.utils import translation

import yrkesresan
from yrkesresan.core.checked_text import (
    CheckedText,
    TextRefused,
    refuse_unchecked_text,
    text_fields,
)
from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.core.tests.test_personnummer import personnummer
from yrkesresan.rounds.forms import EditRoundForm
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

NUMBER = personnummer("811218")


def project_forms():
    for module in pkgutil.walk_packages(yrkesresan.__path__, "yrkesresan."):
        if not any(part in module.name for part in (".tests", ".migrations", "testing")):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("yrkesresan.") and ".tests" not in sub.__module__:
                found.add(sub)
    return found


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("yrkesresan.")]


class EveryEdgeTests(PersonaTestCase):
    def test_every_form_of_the_project_checks_its_text(self):
        found = project_forms()
        self.assertGreater(len(found), 30)
        self.assertEqual(
            sorted(f"{f.__module__}.{f.__name__}" for f in found if not issubclass(f, CheckedText)),
            [],
        )

    def test_every_text_field_of_every_model_refuses_a_personnummer_naming_the_field(self):
        checked = 0
        for model in project_models():
            for field in text_fields(model):
                with self.subTest(f"{model.__name__}.{field.name}"):
                    instance = model()
                    setattr(instance, field.attname, f"Text {NUMBER} text")
                    with self.assertRaises(TextRefused) as caught:
                        refuse_unchecked_text(model, instance)
                    self.assertEqual(caught.exception.field_name, field.name)
                    self.assertIn(str(field.verbose_name).lower(), str(caught.exception).lower())
                    checked += 1
        self.assertGreater(checked, 50)

    def test_single_line_fields_refuse_line_breaks_and_texts_keep_them(self):
        for model in project_models():
            for field in text_fields(model):
                with self.subTest(f"{model.__name__}.{field.name}"):
                    instance = model()
                    setattr(instance, field.attname, "Rad ett\nrad två")
                    if isinstance(field, models.TextField):
                        refuse_unchecked_text(model, instance)
                    else:
                        with self.assertRaises(TextRefused):
                            refuse_unchecked_text(model, instance)

    def test_saving_a_round_with_a_line_break_in_its_name_is_refused(self):
        round = make_round(self.course, self.region_x)
        round.name = "Omgång 3\r\nBcc: alla@example.com"
        with self.assertRaises(TextRefused):
            round.save()
        self.assertNotIn("\n", Round.objects.get(pk=round.pk).name)

    def test_the_round_form_puts_the_message_on_the_field(self):
        round = make_round(self.course, self.region_x)
        for name, message in [
            (f"Omgång för {NUMBER}", "personnummer"),
            ("Omgång\n3", "one line"),
        ]:
            with self.subTest(name):
                data = {
                    "name": name,
                    "term": round.term,
                    "seats": 10,
                    "registration_opens_on": round.registration_opens_on,
                    "registration_closes_on": round.registration_closes_on,
                    "fee_model": Round.FeeModel.NONE,
                    "notes": f"Anteckning\n{NUMBER}",
                }
                form = EditRoundForm(data, round=round)
                with translation.override("en"):
                    self.assertFalse(form.is_valid())
                self.assertIn(message, " ".join(form.errors["name"]))
                self.assertIn("personnummer", " ".join(form.errors["notes"]))
