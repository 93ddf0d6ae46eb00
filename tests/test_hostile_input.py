"""Hostile input never reaches the server's error page.

Every page of the URL configuration (the rows of the permission matrix) is called by two
personas that reach its view, with every GET parameter a page reads set to a NUL byte, to digits
that are not ASCII and to an over-long number: a 400 or the page, never a 500. Form bodies with
NUL bytes are a 400 too, and so is a request for a host the site does not serve.
"""

import importlib
import pkgutil
import re
from pathlib import Path

from django import forms
from django.db import transaction
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils.http import urlencode

import yrkesresan
from tests import test_permission_matrix as matrix

HOSTILE = {
    "NUL byte": "a\x00b",
    "Arabic-Indic digits": "١٢",
    "superscript digit": "²",
    "fullwidth digits": "１２",
    "a number too big for the database": "9" * 40,
}


def page_parameters():
    """Every GET parameter a page may read: the fields of the project's forms and the names
    views read from request.GET themselves."""
    names = set()
    for module in pkgutil.walk_packages(yrkesresan.__path__, "yrkesresan."):
        if any(part in module.name for part in (".tests", ".migrations", "testing")):
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names |= set(value.base_fields)
    for path in Path(yrkesresan.__path__[0]).rglob("*.py"):
        names |= set(re.findall(r"request\.GET\.get\(\"(\w+)\"", path.read_text()))
    return sorted(names)


class HostileQueryStringTests(matrix.PermissionMatrixTests):
    """The permission matrix's personas and objects; only the tests below run here."""

    def test_every_page_answers_hostile_query_strings_without_a_server_error(self):
        parameters = page_parameters()
        self.assertIn("sida", parameters)
        self.client.raise_request_exception = False
        rows = [row for row in matrix.MATRIX if not row.api and row.method == "get"]
        for row in rows:
            # Two personas who reach the view (one of them a 403 if no second opens it).
            reach = [p for p, status in row.expected.items() if status not in (matrix.LOGIN, 404)]
            personas = sorted(reach, key=lambda p: row.expected[p] != 200)[:2]
            for persona in personas:
                for kind, value in HOSTILE.items():
                    with self.subTest(url=row.name, persona=persona, kind=kind):
                        self.sign_in(persona)
                        with transaction.atomic():
                            url = row.url(self).split("?")[0]
                            response = self.client.get(url, {name: value for name in parameters})
                            transaction.set_rollback(True)
                        self.assertLess(response.status_code, 500, f"{persona} {url} {kind}")
                        if kind == "NUL byte":
                            self.assertEqual(response.status_code, 400, f"{persona} {url}")

    def test_a_form_body_with_a_nul_byte_is_a_400_with_a_message(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("rounds:create")
        body = urlencode({"name": "Omgång\x00", "seats": "1\x00"})
        # As a browser sends a form: the middleware refuses it before the view.
        response = self.client.post(url, body, content_type="application/x-www-form-urlencoded")
        self.assertContains(response, "NUL", status_code=400)
        # A file-upload form (multipart) is left to its fields, which refuse it too.
        response = self.client.post(url, {"name": "Omgång\x00", "seats": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].has_error("name"))


# The matrix's own tests run in their own file, not again here.
for _name in dir(matrix.PermissionMatrixTests):
    if _name.startswith("test_") and _name not in vars(HostileQueryStringTests):
        setattr(HostileQueryStringTests, _name, None)


class UnknownHostTests(SimpleTestCase):
    @override_settings(ALLOWED_HOSTS=["yrkesresan.example"], DEBUG=False)
    def test_a_request_for_a_host_the_site_does_not_serve_is_a_400(self):
        self.client.raise_request_exception = False
        for path in ["/", "/konto/logga-in/", "/no/such/page/", "/api/v1/rounds"]:
            with self.subTest(path):
                response = self.client.get(path, headers={"host": "evil.example"})
                self.assertEqual(response.status_code, 400)
