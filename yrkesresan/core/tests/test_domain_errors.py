"""Every refusal the domain raises is a DomainError, so that each entry point answers it in one
place: the pages (core.middleware), the API (enrolment.api.api_view)."""

import importlib
import inspect
import pkgutil

from django.test import SimpleTestCase

import yrkesresan
from yrkesresan.core.errors import DomainError


def app_modules():
    """Every module of the apps but their tests and migrations."""
    for info in pkgutil.walk_packages(yrkesresan.__path__, "yrkesresan."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        yield importlib.import_module(info.name)


def exceptions_defined_in(module):
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and issubclass(cls, BaseException)
    ]


class DomainErrorTests(SimpleTestCase):
    def test_every_exception_of_the_apps_is_a_domain_error(self):
        found = [cls for module in app_modules() for cls in exceptions_defined_in(module)]
        names = {cls.__name__ for cls in found}
        # The walk reaches the apps' writing modules and the API.
        self.assertTrue({"RegistrationError", "PlanningError", "ApiError"} <= names, names)
        strays = [
            f"{cls.__module__}.{cls.__qualname__}"
            for cls in found
            if not issubclass(cls, DomainError)
        ]
        self.assertEqual(strays, [], "Subclass core.errors.DomainError")

    def test_a_refusal_is_a_400_with_its_sentence_unless_it_says_otherwise(self):
        error = DomainError("Choose a day.")
        self.assertEqual((str(error), error.status, error.details()), ("Choose a day.", 400, {}))
        coded = DomainError("Choose a day.", code="no_day")
        self.assertEqual(coded.details(), {"code": "no_day"})
