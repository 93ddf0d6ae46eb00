"""The API's schemas (django-ninja, pydantic): what api.py accepts and answers, and so what
its OpenAPI document says.

Input is validated here, at the edge, with the limits of the forms: the reason's length is
models.REASON_MAX_LENGTH (the form's too), the e-mail address's the user model's. Text refuses
NUL and other control characters (PostgreSQL cannot store NUL; a line break has no place in an
address). Numbers are ASCII digits only. Enumerations come from the models.
"""

import datetime
import re
from typing import Annotated, Literal

from django.contrib.auth import get_user_model
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

from yrkesresan.rounds.models import CourseDay, Round

from .models import REASON_MAX_LENGTH, Registration
from .services import RegistrationError

EMAIL_MAX_LENGTH = get_user_model()._meta.get_field("email").max_length
# A slug, a term: short words.
FILTER_MAX_LENGTH = 100
# No C0 control characters but tab, line feed and carriage return (in free text only).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_FREE_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
CONTROL_FREE = r"^[^\x00-\x1f\x7f]*$"
TERM = re.compile(r"^(VT|HT)\s*(\d{4})$", re.ASCII | re.IGNORECASE)


def _refusing(pattern, what):
    def check(value):
        if pattern.search(value):
            raise ValueError(f"{what} may not contain control characters such as NUL")
        return value

    return AfterValidator(check)


def text(max_length, *, lines=False):
    """A stripped string of at most `max_length` characters without control characters (line
    breaks allowed in free text, `lines`)."""
    pattern = CONTROL_FREE_LINES if lines else CONTROL_FREE
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        _refusing(CONTROL if lines else LINE_CONTROL, "The text"),
        WithJsonSchema({"type": "string", "maxLength": max_length, "pattern": pattern}),
    ]


def _term(value):
    match = TERM.match(value)
    if not match:
        raise ValueError("give a term such as VT 2027 or HT 2026")
    return f"{match.group(1).upper()} {match.group(2)}"


def _email(value):
    if not re.fullmatch(r"[^@\s]+@[^@\s]+", value):
        raise ValueError("give an e-mail address")
    return value


def choices(values):
    return Literal[tuple(values)]


# Errors: every 4xx has a stable code. The registration rules' own codes come first.
REFUSAL_CODES = (
    RegistrationError.BOOKED_ON_COURSE,
    RegistrationError.COURSE_COMPLETED,
    RegistrationError.STAFF_OF_ROUND,
)
STATUS_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}
ERROR_CODES = (*STATUS_CODES.values(), "invalid_json", *REFUSAL_CODES)


class Error(Schema):
    error: str = Field(description="What went wrong, as an English sentence for a person.")
    code: choices(ERROR_CODES) = Field(
        description=(
            "What went wrong, for a program: the status's name (`invalid_request`, "
            "`invalid_json`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`, "
            "`conflict`, `rate_limited`) or what the registration rules refused: "
            "`booked_on_course` (the person has a live registration in another round of the "
            "course), `course_completed` (the person has completed the course), "
            "`staff_of_round` (the person trains in or leads the round)."
        )
    )
    round: int | None = Field(
        None,
        description=(
            "With `booked_on_course`, the round that holds the person's place; with "
            "`course_completed`, the round the course was completed in."
        ),
    )


# Input


class RoundFilters(Schema):
    course: text(FILTER_MAX_LENGTH) = Field("", description="A course's slug.")
    structure: int | None = Field(
        None, ge=1, le=2**63 - 1, description="The id of a support structure."
    )
    term: Annotated[text(FILTER_MAX_LENGTH), AfterValidator(_term)] | None = Field(
        None, description="A term such as `VT 2027` or `HT 2026`."
    )
    status: choices(Round.Status.values) | None = None
    page: int = Field(1, ge=1, le=2**31 - 1, description="The page, from 1.")


class RegistrationIn(Schema):
    email: Annotated[
        text(EMAIL_MAX_LENGTH),
        AfterValidator(_email),
        WithJsonSchema(
            {"type": "string", "format": "email", "maxLength": EMAIL_MAX_LENGTH, "minLength": 3}
        ),
    ] = Field(description="The e-mail address of a person in your scope.")
    reason: text(REASON_MAX_LENGTH, lines=True) = Field(
        "",
        description=(
            "Why the person should take a course on another step than their own; required only "
            "then."
        ),
    )


class CancellationIn(Schema):
    reason: text(REASON_MAX_LENGTH, lines=True) = Field("", description="Why it is cancelled.")


class CancellationQuery(Schema):
    reason: text(REASON_MAX_LENGTH, lines=True) = Field(
        "", description="Why the registration is cancelled, if not given in the body."
    )


# Output


class CourseOut(Schema):
    slug: str
    title: str


class StructureOut(Schema):
    id: int
    name: str


class VenueOut(Schema):
    name: str
    address: str
    room: str = Field(description="Empty when the venue has one room.")


class CourseDayOut(Schema):
    number: int = Field(ge=1, description="Day 1, 2, …")
    date: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mode: choices(CourseDay.Mode.values)
    venue: VenueOut | None = Field(
        description="Where a physical day takes place; null for a digital day."
    )
    meeting_url: str | None = Field(
        description="The meeting link of a digital day; null when there is none."
    )


class RoundOut(Schema):
    id: int
    course: CourseOut
    structure: StructureOut = Field(description="The regional support structure running it.")
    term: str = Field(pattern=r"^(VT|HT) [0-9]{4}$", examples=["VT 2027"])
    name: str
    status: choices(Round.Status.values)
    seats: int = Field(ge=0)
    registered: int = Field(ge=0, description="Seats taken.")
    waitlisted: int = Field(ge=0, description="People on the waiting list.")
    registration_opens_on: datetime.date
    registration_closes_on: datetime.date = Field(
        description="The registration deadline; later cancellations are late."
    )
    fee_model: choices(Round.FeeModel.values)
    fee_amount: str = Field(
        pattern=r"^[0-9]+\.[0-9]{2}$",
        description="In SEK, per participant or per participant and day.",
        examples=["1200.00"],
    )
    days: list[CourseDayOut]


class RoundPage(Schema):
    count: int = Field(ge=0, description="Rounds on all pages.")
    next: str | None
    previous: str | None
    results: list[RoundOut] = Field(max_length=50)


class RoundRef(Schema):
    id: int
    name: str
    term: str
    course: CourseOut


class PersonRef(Schema):
    email: str
    first_name: str
    last_name: str


class RegistrationOut(Schema):
    """A person's place in a round. Diet and accessibility needs are not shared."""

    id: int
    round: RoundRef
    person: PersonRef
    status: choices(Registration.Status.values)
    registered_at: datetime.datetime = Field(
        description="When the person joined the round; orders the waiting list."
    )
    step_mismatch_reason: str
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    late: bool = Field(description="Cancelled after the round's registration deadline.")
