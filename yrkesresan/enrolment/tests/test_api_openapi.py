"""The OpenAPI document: public, complete, self-consistent, and true of the running API.

The check against the running API needs no schema library: `schema_errors` below validates the
subset of JSON Schema the document uses ($ref, oneOf, type, enum, format, pattern, minimum,
properties, required, items, maxItems) and also refuses properties the schema does not name, so
that a field added to a response without being documented fails here.
"""

import datetime
import re

from django.urls import URLPattern, reverse

from yrkesresan.enrolment import api_urls
from yrkesresan.enrolment.openapi import DOCUMENT
from yrkesresan.enrolment.tests.test_api_auth import ApiTestCase
from yrkesresan.rounds.testing import make_round

METHODS = {"get", "post", "put", "patch", "delete"}
JSON_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
FORMATS = {
    "date": datetime.date.fromisoformat,
    "date-time": lambda v: datetime.datetime.fromisoformat(v).tzinfo or 1 / 0,
    "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+", v) or 1 / 0,
    "uri": lambda v: re.match(r"^https?://", v) or 1 / 0,
}


def resolve(document, pointer):
    node = document
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


def schema_errors(value, schema, document, where="$"):
    """What is wrong with `value` under `schema`, as a list of sentences (empty when valid)."""
    if "$ref" in schema:
        return schema_errors(value, resolve(document, schema["$ref"]), document, where)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not schema_errors(value, s, document, where)]
        return [] if len(matches) == 1 else [f"{where}: matches {len(matches)} of oneOf"]
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    if types and not any(JSON_TYPES[t](value) for t in types):
        return [f"{where}: {value!r} is not of type {types}"]
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if "format" in schema:
            try:
                FORMATS[schema["format"]](value)
            except (ValueError, ZeroDivisionError):
                errors.append(f"{where}: {value!r} is not a {schema['format']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: {value!r} is too short")
    if isinstance(value, int) and value < schema.get("minimum", value):
        errors.append(f"{where}: {value} is below {schema['minimum']}")
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: {name} is missing")
        for name, item in value.items():
            if name not in properties:
                errors.append(f"{where}: {name} is not documented")
            else:
                errors += schema_errors(item, properties[name], document, f"{where}.{name}")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{where}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), document, f"{where}[{index}]")
    return errors


def documented_path(pattern):
    """The OpenAPI path of a URL pattern: rounds/<int:round_id> is /rounds/{round_id}."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from walk(child)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation, item.get("parameters", [])


def api_patterns():
    return [p for p in api_urls.urlpatterns if isinstance(p, URLPattern) and p.name != "not_found"]


class DocumentTests(ApiTestCase):
    def test_the_document_is_public_json(self):
        response = self.client.get(reverse("api:openapi"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["openapi"], "3.1.0")
        self.assertEqual(response.json(), DOCUMENT)

    def test_every_url_is_documented_with_the_methods_it_answers(self):
        urls = {}
        for pattern in api_patterns():
            urls[documented_path(pattern)] = {m.lower() for m in pattern.callback.allowed_methods}
        documented = {
            path: {method for method in item if method in METHODS}
            for path, item in DOCUMENT["paths"].items()
        }
        self.assertEqual(urls, documented)

    def test_every_reference_resolves_and_every_path_parameter_is_declared(self):
        for node in walk(DOCUMENT):
            if isinstance(node, dict) and "$ref" in node:
                with self.subTest(ref=node["$ref"]):
                    self.assertIsInstance(resolve(DOCUMENT, node["$ref"]), dict)
        for path, method, operation, shared in operations(DOCUMENT):
            with self.subTest(path=path, method=method):
                in_path = set(re.findall(r"{(\w+)}", path))
                parameters = shared + operation.get("parameters", [])
                declared = {p["name"] for p in parameters if p["in"] == "path"}
                self.assertEqual(in_path, declared)
                self.assertIn("operationId", operation)
                self.assertTrue(operation["responses"])
                if operation.get("security", DOCUMENT["security"]):
                    self.assertIn("401", operation["responses"])
        self.assertEqual(
            DOCUMENT["components"]["securitySchemes"]["bearerAuth"],
            {**DOCUMENT["components"]["securitySchemes"]["bearerAuth"], "scheme": "bearer"},
        )

    def test_every_example_fits_its_schema(self):
        for node in walk(DOCUMENT):
            if isinstance(node, dict) and "schema" in node and "example" in node:
                with self.subTest(example=node["example"]):
                    self.assertEqual(schema_errors(node["example"], node["schema"], DOCUMENT), [])


class AnswersAsDocumentedTests(ApiTestCase):
    """One sample request per documented operation, checked against the documented response."""

    def sample_values(self):
        make_round(self.course, self.region_x, name="Omgång 2")
        return {
            "path": {"round_id": self.round_x.pk, "registration_id": self.registration_x.pk},
            "query": {"status": "open", "course": self.course.slug},
            ("post", "/rounds/{round_id}/registrations"): {"email": self.kumla_participant.email},
        }

    def request(self, path, method, operation, values, *, token_of="coordinator_x"):
        url = "/api/v1" + path.format(**values["path"])
        query = [
            f"{p['name']}={values['query'][p['name']]}"
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p["name"] in values["query"]
        ]
        if query and method == "get":
            url += "?" + "&".join(query)
        body = None
        if "requestBody" in operation:
            example = operation["requestBody"]["content"]["application/json"]["example"]
            body = values.get((method, path), example)
        secured = operation.get("security", DOCUMENT["security"])
        return self.api(method.upper(), url, token_of if secured else None, body)

    def assert_documented(self, response, operation):
        status = str(response.status_code)
        responses = operation["responses"]
        self.assertIn(status, responses, response.content)
        documented = responses[status]
        if "$ref" in documented:
            documented = resolve(DOCUMENT, documented["$ref"])
        schema = documented["content"]["application/json"]["schema"]
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(schema_errors(response.json(), schema, DOCUMENT), [])
        for header in documented.get("headers", {}):
            self.assertIn(header, response.headers)

    def test_each_operation_answers_a_sample_request_as_documented(self):
        values = self.sample_values()
        for path, method, operation, _ in operations(DOCUMENT):
            with self.subTest(path=path, method=method):
                response = self.request(path, method, operation, values)
                self.assertLess(response.status_code, 300, response.content)
                self.assert_documented(response, operation)

    def test_each_secured_operation_answers_401_as_documented(self):
        values = self.sample_values()
        for path, method, operation, _ in operations(DOCUMENT):
            if operation.get("security", DOCUMENT["security"]):
                with self.subTest(path=path, method=method):
                    response = self.request(path, method, operation, values, token_of=None)
                    self.assertEqual(response.status_code, 401)
                    self.assert_documented(response, operation)

    def test_each_operation_on_an_object_answers_404_as_documented(self):
        values = self.sample_values()
        values["path"] = {"round_id": 999999, "registration_id": 999999}
        for path, method, operation, _ in operations(DOCUMENT):
            if "{" in path:
                with self.subTest(path=path, method=method):
                    response = self.request(path, method, operation, values)
                    self.assertEqual(response.status_code, 404)
                    self.assert_documented(response, operation)

    def test_documented_refusals_answer_as_documented(self):
        values = self.sample_values()
        refusals = [
            ("get", "/rounds", {"status": "nope"}, None, 400),
            ("post", "/rounds/{round_id}/registrations", {}, {"email": ""}, 400),
            ("post", "/rounds/{round_id}/registrations", {}, {"email": "x@example.com"}, 404),
            ("delete", "/registrations/{registration_id}", {}, {"reason": ""}, 400),
        ]
        for method, path, query, body, status in refusals:
            with self.subTest(method=method, path=path, status=status):
                operation = DOCUMENT["paths"][path][method]
                url = "/api/v1" + path.format(**values["path"])
                if query:
                    url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                response = self.api(method.upper(), url, "coordinator_x", body)
                self.assertEqual(response.status_code, status, response.content)
                self.assert_documented(response, operation)

    def test_a_refusal_with_a_code_answers_as_documented(self):
        # The participant has a seat in round_x; Omgång 2 is another round of the course.
        later = make_round(self.course, self.region_x, name="Omgång 2")
        path = "/rounds/{round_id}/registrations"
        operation = DOCUMENT["paths"][path]["post"]
        url = "/api/v1" + path.format(round_id=later.pk)
        response = self.api("POST", url, "manager_a", {"email": self.participant.email})
        self.assertEqual(response.status_code, 409, response.content)
        self.assert_documented(response, operation)
        self.assertEqual(response.json()["code"], "booked_on_course")
