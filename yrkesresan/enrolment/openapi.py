"""The OpenAPI 3.1 description of the HR-system API (api.py), served at /api/v1/openapi.json.

Written by hand: it is the contract. Only the enumerations of status, mode and fee model are
taken from the models, and the refusal codes from services.RegistrationError, so that they
cannot drift from what the API answers. The tests check
that every URL in api_urls is described here with the methods its view answers, and that each
operation answers a sample request as described.
"""

from yrkesresan.rounds.models import CourseDay, Round

from .models import Registration
from .services import RegistrationError

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

**Errors** are JSON objects `{"error": "<message>"}` with an English sentence meant for a person:
400 a malformed request, 401 a missing or unknown token, 403 an object you may see but not
change, 404 an object that does not exist or is outside your scope (the two are not told
apart), 405 a method the address does not answer, 409 a request the registration rules refuse
now (the round is not open, the person's municipality is not a member of the programme, the
course is on another step than the person's and no `reason` was given, the person already has
a place in another round of the course or has completed it, the person trains in or leads the
round, the registration is already cancelled).

**One place per course.** A person holds at most one live registration per course: registered
or on the waiting list, in a round that is neither completed nor cancelled. Registering them
into another round of the course answers 409 with `"code": "booked_on_course"` and the id of
the round that holds the place in `"round"`; cancel that registration first. A course the
person has completed answers `"code": "course_completed"` with the round it was completed in;
a trainer or the course leader of the round answers `"code": "staff_of_round"`.

**Formats.** Dates are ISO 8601 (`2027-03-01`); times of course days are ISO 8601 date-times
with the Swedish offset (`2027-03-01T09:00:00+01:00`). Lists are paginated, 50 items a page.
"""

BEARER = [{"bearerAuth": []}]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def response(name):
    return {"$ref": f"#/components/responses/{name}"}


def json_content(schema, example=None):
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"application/json": content}


def path_id(name, description):
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1},
    }


def query(name, description, schema):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


ROUND_STATUSES = list(Round.Status.values)
REGISTRATION_STATUSES = list(Registration.Status.values)
REFUSAL_CODES = [
    RegistrationError.BOOKED_ON_COURSE,
    RegistrationError.COURSE_COMPLETED,
    RegistrationError.STAFF_OF_ROUND,
]
COURSE = {
    "type": "object",
    "required": ["slug", "title"],
    "properties": {
        "slug": {"type": "string", "examples": ["handlaggning-med-barnet-i-centrum"]},
        "title": {"type": "string", "examples": ["Handläggning med barnet i centrum"]},
    },
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "string",
                "description": "What went wrong, as an English sentence for a person.",
            },
            "code": {
                "type": "string",
                "enum": REFUSAL_CODES,
                "description": (
                    "On some 409s, what the registration rules refused, for a program: "
                    "`booked_on_course` (the person has a live registration in another round "
                    "of the course), `course_completed` (the person has completed the course), "
                    "`staff_of_round` (the person trains in or leads the round)."
                ),
            },
            "round": {
                "type": "integer",
                "description": (
                    "With `booked_on_course`, the round that holds the person's place; with "
                    "`course_completed`, the round the course was completed in."
                ),
            },
        },
    },
    "Venue": {
        "type": "object",
        "required": ["name", "address", "room"],
        "properties": {
            "name": {"type": "string"},
            "address": {"type": "string"},
            "room": {"type": "string", "description": "Empty when the venue has one room."},
        },
    },
    "CourseDay": {
        "type": "object",
        "required": [
            "number",
            "date",
            "starts_at",
            "ends_at",
            "mode",
            "venue",
            "meeting_url",
        ],
        "properties": {
            "number": {"type": "integer", "minimum": 1, "description": "Day 1, 2, …"},
            "date": {"type": "string", "format": "date"},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "mode": {"type": "string", "enum": list(CourseDay.Mode.values)},
            "venue": {
                "oneOf": [ref("Venue"), {"type": "null"}],
                "description": "Where a physical day takes place; null for a digital day.",
            },
            "meeting_url": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The meeting link of a digital day; null when there is none.",
            },
        },
    },
    "Round": {
        "type": "object",
        "required": [
            "id",
            "course",
            "structure",
            "term",
            "name",
            "status",
            "seats",
            "registered",
            "waitlisted",
            "registration_opens_on",
            "registration_closes_on",
            "fee_model",
            "fee_amount",
            "days",
        ],
        "properties": {
            "id": {"type": "integer"},
            "course": COURSE,
            "structure": {
                "type": "object",
                "description": "The regional support structure that runs the round.",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "term": {"type": "string", "pattern": "^(VT|HT) [0-9]{4}$", "examples": ["VT 2027"]},
            "name": {"type": "string", "examples": ["Omgång 1"]},
            "status": {"type": "string", "enum": ROUND_STATUSES},
            "seats": {"type": "integer", "minimum": 0},
            "registered": {"type": "integer", "minimum": 0, "description": "Seats taken."},
            "waitlisted": {
                "type": "integer",
                "minimum": 0,
                "description": "People on the waiting list.",
            },
            "registration_opens_on": {"type": "string", "format": "date"},
            "registration_closes_on": {
                "type": "string",
                "format": "date",
                "description": "The registration deadline; later cancellations are late.",
            },
            "fee_model": {"type": "string", "enum": list(Round.FeeModel.values)},
            "fee_amount": {
                "type": "string",
                "pattern": "^[0-9]+\\.[0-9]{2}$",
                "description": "In SEK, per participant or per participant and day.",
                "examples": ["1200.00"],
            },
            "days": {"type": "array", "items": ref("CourseDay")},
        },
    },
    "RoundPage": {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "Rounds on all pages."},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": ref("Round"), "maxItems": 50},
        },
    },
    "Registration": {
        "type": "object",
        "description": "A person's place in a round. Diet and accessibility needs are not shared.",
        "required": [
            "id",
            "round",
            "person",
            "status",
            "registered_at",
            "step_mismatch_reason",
            "cancelled_at",
            "cancel_reason",
            "late",
        ],
        "properties": {
            "id": {"type": "integer"},
            "round": {
                "type": "object",
                "required": ["id", "name", "term", "course"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "term": {"type": "string"},
                    "course": COURSE,
                },
            },
            "person": {
                "type": "object",
                "required": ["email", "first_name", "last_name"],
                "properties": {
                    "email": {"type": "string", "format": "email"},
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                },
            },
            "status": {"type": "string", "enum": REGISTRATION_STATUSES},
            "registered_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the person joined the round; orders the waiting list.",
            },
            "step_mismatch_reason": {"type": "string"},
            "cancelled_at": {"type": ["string", "null"], "format": "date-time"},
            "cancel_reason": {"type": "string"},
            "late": {
                "type": "boolean",
                "description": "Cancelled after the round's registration deadline.",
            },
        },
    },
    "RegistrationRequest": {
        "type": "object",
        "required": ["email"],
        "properties": {
            "email": {
                "type": "string",
                "format": "email",
                "description": "The e-mail address of a person in your scope.",
            },
            "reason": {
                "type": "string",
                "description": (
                    "Why the person should take a course on another step than their own; "
                    "required only then."
                ),
            },
        },
    },
    "CancelRequest": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1}},
    },
}


def error(description, message):
    return {"description": description, "content": json_content(ref("Error"), {"error": message})}


RESPONSES = {
    "BadRequest": error(
        "The request is malformed: bad JSON, a missing field or a bad parameter.",
        'The field "email" is required.',
    ),
    "Unauthorized": {
        **error(
            "The token is missing, unknown or belongs to a deactivated account.",
            "Give a valid API token in the header Authorization: Bearer <token>.",
        ),
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    },
    "Forbidden": error(
        "You may see the object but not do this to it.",
        "You may not cancel this registration.",
    ),
    "NotFound": error(
        "The object does not exist or is outside your scope.",
        "There is no round 7 that you may see.",
    ),
    "Conflict": {
        "description": (
            "The registration rules refuse the request now; for the refusals that have one, "
            "`code` says which rule and `round` which other round."
        ),
        "content": json_content(
            ref("Error"),
            {
                "error": (
                    "Anna Andersson already has a place in Omgång 1 (VT 2027, Region "
                    "Mälardalen), a round of the same course. Cancel that registration first; "
                    "a missed course day is made up with a make-up day in a later round."
                ),
                "code": RegistrationError.BOOKED_ON_COURSE,
                "round": 7,
            },
        ),
    },
}

ROUND_EXAMPLE = {
    "id": 7,
    "course": {
        "slug": "handlaggning-med-barnet-i-centrum",
        "title": "Handläggning med barnet i centrum",
    },
    "structure": {"id": 2, "name": "Region Mälardalen"},
    "term": "VT 2027",
    "name": "Omgång 1",
    "status": "open",
    "seats": 24,
    "registered": 21,
    "waitlisted": 0,
    "registration_opens_on": "2026-11-01",
    "registration_closes_on": "2027-02-15",
    "fee_model": "per_participant",
    "fee_amount": "1200.00",
    "days": [
        {
            "number": 1,
            "date": "2027-03-01",
            "starts_at": "2027-03-01T09:00:00+01:00",
            "ends_at": "2027-03-01T16:00:00+01:00",
            "mode": "physical",
            "venue": {
                "name": "Munktellarenan",
                "address": "Munktellstorget 1, Eskilstuna",
                "room": "Sal 2",
            },
            "meeting_url": None,
        }
    ],
}

REGISTRATION_EXAMPLE = {
    "id": 31,
    "round": {
        "id": 7,
        "name": "Omgång 1",
        "term": "VT 2027",
        "course": ROUND_EXAMPLE["course"],
    },
    "person": {
        "email": "anna.andersson@example.com",
        "first_name": "Anna",
        "last_name": "Andersson",
    },
    "status": "registered",
    "registered_at": "2026-11-03T10:12:45+01:00",
    "step_mismatch_reason": "",
    "cancelled_at": None,
    "cancel_reason": "",
    "late": False,
}

ROUND_ID = path_id("round_id", "The round's id.")
REGISTRATION_ID = path_id("registration_id", "The registration's id.")

PATHS = {
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 description of the API.",
                    "content": json_content({"type": "object"}),
                }
            },
        }
    },
    "/rounds": {
        "get": {
            "operationId": "listRounds",
            "summary": "List the course rounds you may see",
            "description": "Ordered by id, oldest first; 50 to a page.",
            "parameters": [
                query("course", "A course's slug.", {"type": "string"}),
                query("structure", "A regional support structure's id.", {"type": "integer"}),
                query(
                    "term",
                    "A term, such as `VT 2027` or `HT 2026` (the space may be left out).",
                    {"type": "string"},
                ),
                query("status", "A round status.", {"type": "string", "enum": ROUND_STATUSES}),
                query("page", "The page, from 1.", {"type": "integer", "minimum": 1}),
            ],
            "responses": {
                "200": {
                    "description": "A page of rounds.",
                    "content": json_content(
                        ref("RoundPage"),
                        {"count": 1, "next": None, "previous": None, "results": [ROUND_EXAMPLE]},
                    ),
                },
                "400": response("BadRequest"),
                "401": response("Unauthorized"),
                "404": error("There is no such page.", "There is no page 3; the last is 2."),
            },
        }
    },
    "/rounds/{round_id}": {
        "parameters": [ROUND_ID],
        "get": {
            "operationId": "getRound",
            "summary": "Read a round, with its seats, counts and days",
            "responses": {
                "200": {
                    "description": "The round.",
                    "content": json_content(ref("Round"), ROUND_EXAMPLE),
                },
                "401": response("Unauthorized"),
                "404": response("NotFound"),
            },
        },
    },
    "/rounds/{round_id}/registrations": {
        "parameters": [ROUND_ID],
        "post": {
            "operationId": "registerPerson",
            "summary": "Register a person into a round",
            "description": (
                "Gives the person a seat if one is free, else a place on the waiting list. "
                "Idempotent: registering a person who is already registered or waitlisted "
                "answers 200 with that registration and creates nothing. A cancelled "
                "registration is renewed at the end of the queue (201)."
            ),
            "requestBody": {
                "required": True,
                "content": json_content(
                    ref("RegistrationRequest"), {"email": "anna.andersson@example.com"}
                ),
            },
            "responses": {
                "201": {
                    "description": "Registered or waitlisted now.",
                    "headers": {
                        "Location": {
                            "description": "The registration's address.",
                            "schema": {"type": "string"},
                        }
                    },
                    "content": json_content(ref("Registration"), REGISTRATION_EXAMPLE),
                },
                "200": {
                    "description": "The person was already registered or waitlisted.",
                    "content": json_content(ref("Registration"), REGISTRATION_EXAMPLE),
                },
                "400": response("BadRequest"),
                "401": response("Unauthorized"),
                "403": error(
                    "You may see the person and the round but may not register them.",
                    "You may not register anna.andersson@example.com for this round.",
                ),
                "404": error(
                    "The round, or a person with this e-mail address, is outside your scope.",
                    "There is no person with the e-mail address x@example.com that you may see.",
                ),
                "409": response("Conflict"),
            },
        },
    },
    "/registrations/{registration_id}": {
        "parameters": [REGISTRATION_ID],
        "get": {
            "operationId": "getRegistration",
            "summary": "Read a registration",
            "responses": {
                "200": {
                    "description": "The registration.",
                    "content": json_content(ref("Registration"), REGISTRATION_EXAMPLE),
                },
                "401": response("Unauthorized"),
                "404": response("NotFound"),
            },
        },
        "delete": {
            "operationId": "cancelRegistration",
            "summary": "Cancel a registration",
            "description": (
                "Needs a reason, in the body or as `?reason=`. A freed seat goes to the first "
                "person on the waiting list at once. A cancellation after the registration "
                "deadline is marked `late`."
            ),
            "parameters": [
                query(
                    "reason",
                    "Why the registration is cancelled, if not given in the body.",
                    {"type": "string"},
                )
            ],
            "requestBody": {
                "required": False,
                "content": json_content(ref("CancelRequest"), {"reason": "Föräldraledig"}),
            },
            "responses": {
                "200": {
                    "description": "The cancelled registration.",
                    "content": json_content(
                        ref("Registration"),
                        {
                            **REGISTRATION_EXAMPLE,
                            "status": "cancelled",
                            "cancelled_at": "2027-02-20T08:30:00+01:00",
                            "cancel_reason": "Föräldraledig",
                            "late": True,
                        },
                    ),
                },
                "400": error(
                    "No reason was given.",
                    'Give a reason for the cancellation in the field "reason" or ?reason=.',
                ),
                "401": response("Unauthorized"),
                "403": response("Forbidden"),
                "404": response("NotFound"),
                "409": error(
                    "The registration is already cancelled.",
                    "The registration is already cancelled.",
                ),
            },
        },
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Yrkesresan API for HR systems",
        "version": "1.0.0",
        "description": DESCRIPTION,
    },
    "servers": [{"url": "/api/v1"}],
    "security": BEARER,
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token printed by `manage.py create_api_token EMAIL`.",
            }
        },
    },
}
