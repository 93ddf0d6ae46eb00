"""The prose of the HR-system API's OpenAPI document, which django-ninja generates from api.py
and schemas.py and which is served at /api/v1/openapi.json.

`finish` adds what the operations do not say themselves: the server prefix, the bearer
authentication every operation but the document needs, and the headers of 201, 401 and 429.
"""

import json

DESCRIPTION = """\
An API for municipalities' HR systems: list and read course rounds, register staff, read and
cancel registrations.

**Authentication.** Send `Authorization: Bearer <token>` with every request. An administrator
creates a token with `manage.py create_api_token EMAIL`; it acts with that person's rights and
sees nothing outside their scope. A manager reaches the staff of their units, a municipal
contact their municipality's staff, a regional coordinator the staff of the counties their
support structure covers and the registrations in its rounds, an administrator everyone. A
participant's token sees the rounds they are registered in and their own registrations, and
may cancel those; it cannot register anyone.

**Errors** are JSON objects `{"error": "<message>", "code": "<name>"}`: an English sentence meant
for a person and a stable name for a program (see the schema Error). 400 a malformed request, 401 a
missing or unknown token, 403 an object you may see but not change, 404 an object that does not
exist or is outside your scope (the two are not told apart), 405 a method the address does not
answer, 409 a request the registration rules refuse now (the round is not open, the person's
municipality is not a member of the programme, the course is on another step than the person's and
no `reason` was given, the person already has a place in another round of the course or has
completed it, the person trains in or leads the round, the registration is already cancelled).

**One place per course.** A person holds at most one live registration per course: registered
or on the waiting list, in a round that is neither completed nor cancelled. Registering them
into another round of the course answers 409 with `"code": "booked_on_course"` and the id of
the round that holds the place in `"round"`; cancel that registration first. A course the
person has completed answers `"code": "course_completed"` with the round it was completed in;
a trainer or the course leader of the round answers `"code": "staff_of_round"`.

**Formats.** Dates are ISO 8601 (`2027-03-01`); times of course days are ISO 8601 date-times
with the Swedish offset (`2027-03-01T09:00:00+01:00`). Lists are paginated, 50 items a page.
"""

REGISTER = (
    "Gives the person a seat if one is free, else a place on the waiting list. Idempotent: "
    "registering a person who is already registered or waitlisted answers 200 with that "
    "registration and creates nothing, also when the same request is sent twice at once. A "
    "cancelled registration is renewed at the end of the queue (201, with the registration's "
    "address in `Location`)."
)
CANCEL = (
    "Needs a reason, in the body or as `?reason=`. A freed seat goes to the first person on the "
    "waiting list at once. A cancellation after the registration deadline is marked `late`."
)

BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "A token printed by `manage.py create_api_token EMAIL`.",
}
HEADERS = {
    "201": {
        "Location": {"description": "The registration's address.", "schema": {"type": "string"}}
    },
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def finish(document):
    """The generated document as served: OpenAPI 3.1 under /api/v1 with bearer authentication."""
    # As JSON has it: status codes as strings.
    document = json.loads(json.dumps(document))
    document["openapi"] = "3.1.0"
    document["info"] = {
        "title": "Yrkesresan API for HR systems",
        "version": "1.0.0",
        "description": DESCRIPTION,
    }
    document["servers"] = [{"url": "/api/v1"}]
    document["security"] = [{"bearerAuth": []}]
    components = document.setdefault("components", {})
    components["securitySchemes"] = {"bearerAuth": BEARER_SCHEME}
    for item in document["paths"].values():
        for operation in item.values():
            operation.pop("security", None)
            for status, headers in HEADERS.items():
                if status in operation.get("responses", {}):
                    operation["responses"][status]["headers"] = headers
    return document


_cache = {}


def cached(make):
    """The document, made once per process."""
    if "document" not in _cache:
        _cache["document"] = make()
    return _cache["document"]
