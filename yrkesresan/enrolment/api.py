"""The JSON API for HR systems under /api/v1/, on django-ninja: the OpenAPI document
(/api/v1/openapi.json) is generated from the schemas and operations below (schemas.py holds
the schemas, openapi.py the document's prose).

Every endpoint but the OpenAPI document authenticates with a bearer token (accounts.ApiToken)
and then acts with the token owner's rights, through accounts/access.py exactly as the web pages
do: a round, person or registration outside the owner's scope is a 404 (its existence is not
revealed), a visible one the owner may not change is a 403. A request the registration rules
refuse (the round is not open, the municipality is not a member, a step mismatch without a
reason, a live registration in another round of the course, a completed course, the round's
own trainer or course leader, an already cancelled registration) is a 409 Conflict. Input is
validated at the edge by the schemas, with the limits the forms have. Every error is a JSON
object {"error": "<an English sentence>", "code": "<a stable name>"} (schemas.Error): the API
speaks English whatever the caller's language, and never answers an HTML page.
"""

import datetime
import functools
import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Func, IntegerField, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI, Query, Status
from ninja import errors as ninja_errors
from ninja.errors import ValidationError

from yrkesresan.accounts import access
from yrkesresan.accounts.models import ApiToken, User
from yrkesresan.catalog.models import Course, Step, suggested_step_id
from yrkesresan.core import ratelimits
from yrkesresan.core.compiled import CompiledQuery
from yrkesresan.core.errors import DomainError
from yrkesresan.organisations.models import Municipality, SupportStructure, member_on
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds.models import CourseDay, Round, Venue

from . import access as enrolment_access
from . import openapi, schemas, services
from .models import Registration
from .queries import with_counts

PAGE_SIZE = 50
# A token's last use is recorded to the minute, so that reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="yrkesresan"'}


class ApiError(DomainError):
    """A refusal only the API makes (a bad token, body, filter or method): its `status`, an
    English `message`, any `headers` and any further `fields` of the JSON error."""

    def __init__(self, status, message, headers=None, **fields):
        super().__init__(message)
        self.status = status
        self.headers = headers
        self.fields = fields

    def details(self):
        return dict(self.fields)


def error_response(error):
    """The JSON error for any DomainError, as schemas.Error describes it: {"error": its
    sentence, "code": its code (by default the status's), and its further details}."""
    body = {"error": str(error), **error.details()}
    body.setdefault("code", schemas.STATUS_CODES.get(error.status, "invalid_request"))
    return JsonResponse(body, status=error.status, headers=getattr(error, "headers", None))


def validation_message(errors):
    """One English sentence for pydantic's errors: the first field and what is wrong with it."""
    error = errors[0]
    where = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(where[1:] if where[:1] == ["data"] else where)
    message = error.get("msg", "Invalid value").removeprefix("Value error, ")
    return f'The field "{field}" is invalid: {message}.' if field else f"{message}."


# Tokens


# The token, its owner and the owner's role assignments (for the scope) come in one query: a
# row per assignment (and per county of a structure's), the token and the owner on each.
USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
TOKEN_PATHS = (
    "pk",
    "last_used_at",
    "expires_at",
    "revoked_at",
    *(f"user__{name}" for name in USER_FIELDS),
    *(f"user__roles__{path}" for path in access.SCOPE_PATHS),
)
TOKEN_QUERY = CompiledQuery(
    lambda digest: ApiToken.objects.filter(digest=digest).order_by().values_list(*TOKEN_PATHS),
    digest="sentinel:digest",
)


def authenticate(request):
    """The active owner of the request's bearer token, with their access scope; 401 otherwise.
    One query, and one write a minute at most."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    rows = None
    if scheme.lower() == "bearer" and token:
        rows = TOKEN_QUERY.rows(digest=ApiToken.digest_of(token))
    user = None
    now = timezone.now()
    if rows:
        token_pk, last_used_at, expires_at, revoked_at = rows[0][:4]
        user_end = 4 + len(USER_FIELDS)
        if ApiToken.usable(expires_at, revoked_at, now):
            user = User.from_db(DEFAULT_DB_ALIAS, USER_FIELDS, rows[0][4:user_end])
    if user is None or not user.is_active:
        raise ApiError(
            401,
            "Give a valid API token in the header Authorization: Bearer <token>.",
            headers=AUTHENTICATE,
        )
    access.scope_from_rows(user, (row[user_end:] for row in rows))
    if last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.record_use(token_pk, user, now)
    return user


# Fetching within the owner's scope


def with_details(rounds):
    """Rounds with their counts, course, structure and days in a constant number of queries."""
    days = CourseDay.objects.select_related("venue").order_by("number")
    return (
        with_counts(rounds)
        .select_related("course", "structure")
        .prefetch_related(Prefetch("days", queryset=days))
    )


def fields_of(model):
    """The attribute names of the model's columns, in the order Model.from_db takes them."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def from_row(model, row, start):
    """An instance of `model` from its concrete fields in `row` from `start` (as values_list
    gives them), and where the next columns start."""
    fields = fields_of(model)
    end = start + len(fields)
    return model.from_db(DEFAULT_DB_ALIAS, fields, row[start:end]), end


def counted(rounds):
    """Rounds with `registered_count` and `waitlisted_count` as subqueries: for one round,
    cheaper than Round.with_counts' join and grouping by every column."""

    def count(status):
        # COUNT without GROUP BY: one row, 0 when there is none.
        registrations = Registration.objects.filter(round=OuterRef("pk"), status=status)
        return Subquery(
            registrations.order_by().values(n=Func("pk", function="COUNT")),
            output_field=IntegerField(),
        )

    return rounds.annotate(
        registered_count=count(Registration.Status.REGISTERED),
        waitlisted_count=count(Registration.Status.WAITLISTED),
    )


# One round as the API shows it: the round with its counts, course and structure, then its days
# with their venues. Two queries, compiled once (core/compiled.py); visibility is checked after.
ROUND_DETAIL_QUERY = CompiledQuery(
    lambda round_id: counted(Round.objects.filter(pk=round_id).order_by()).values_list(
        *fields_of(Round),
        *(f"course__{name}" for name in fields_of(Course)),
        *(f"structure__{name}" for name in fields_of(SupportStructure)),
        "registered_count",
        "waitlisted_count",
    ),
    round_id=2_000_000_031,
)
DAYS_QUERY = CompiledQuery(
    lambda round_id: (
        CourseDay.objects.filter(round_id=round_id)
        .order_by("number")
        .values_list(*fields_of(CourseDay), *(f"venue__{name}" for name in fields_of(Venue)))
    ),
    round_id=2_000_000_032,
)


def no_round(round_id):
    """The 404 for a round the user may not see (or that does not exist)."""
    return ApiError(404, f"There is no round {round_id} that you may see.")


def beyond_ids(round_id):
    """An id no round can have: the compiled queries would pass it to the database as it is
    (where the ORM leaves it out of the SQL), and SQLite refuses integers beyond 64 bits."""
    return round_id > connection.ops.integer_field_range(Round._meta.pk.get_internal_type())[1]


def get_visible_round(user, round_id):
    """The round with its counts, course and structure, and its days in order; 404 unless the
    user may see it (round_access.may_see_round: no query for administrators and the round's own
    structure)."""
    if beyond_ids(round_id):
        raise no_round(round_id)
    rows = ROUND_DETAIL_QUERY.rows(round_id=round_id)
    if not rows:
        raise no_round(round_id)
    row = rows[0]
    round, end = from_row(Round, row, 0)
    course, end = from_row(Course, row, end)
    structure, end = from_row(SupportStructure, row, end)
    round.course, round.structure = course, structure
    round.registered_count, round.waitlisted_count = row[end:]
    if not round_access.may_see_round(user, round):
        raise no_round(round_id)
    days = []
    for row in DAYS_QUERY.rows(round_id=round.pk):
        day, end = from_row(CourseDay, row, 0)
        venue = from_row(Venue, row, end)[0] if day.venue_id is not None else None
        day.venue = venue
        days.append(day)
    return round, days


# Registering: the person (by address) with their municipality and whether it is a member
# today, then the round with its course and step, the person's placement and suggested step
# on its journey, their active registration in it, their live registration in another round
# of the course, whether they completed it and whether they train in the round. Two queries,
# compiled once.
PERSON_QUERY = CompiledQuery(
    lambda email, today: (
        User.objects.filter(email=email)
        .order_by()
        .annotate(member_today=member_on("municipality_id", today))
        .values_list(
            *USER_FIELDS,
            *(f"municipality__{name}" for name in fields_of(Municipality)),
            "member_today",
        )
    ),
    email="sentinel:email",
    today=datetime.date(1111, 11, 11),
)


def _round_for_registration(round_id, person_id, years, work_role):
    journey = OuterRef("course__step__journey_id")
    active = (
        Registration.objects.filter(round=OuterRef("pk"), person_id=person_id)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by()  # the default order would join the round and the catalog
        .values("pk")[:1]
    )
    return (
        Round.objects.filter(pk=round_id)
        .order_by()
        .annotate(
            placed_step_id=services.placed_step_id(person_id, journey),
            suggested_step_id=suggested_step_id(journey, years, work_role),
            active_registration_id=Subquery(active),
            live_round_id=services.live_round_elsewhere(
                person_id, OuterRef("course_id"), OuterRef("pk")
            ),
            completed=services.completed_course(person_id, OuterRef("course_id")),
            in_team=services.in_team_of(person_id, OuterRef("pk")),
        )
        .values_list(
            *fields_of(Round),
            *(f"course__{name}" for name in fields_of(Course)),
            *(f"course__step__{name}" for name in fields_of(Step)),
            "placed_step_id",
            "suggested_step_id",
            "active_registration_id",
            "live_round_id",
            "completed",
            "in_team",
        )
    )


# Sentinels within the columns' ranges (Django leaves out-of-range values out of the SQL).
ROUND_QUERY = CompiledQuery(
    _round_for_registration,
    round_id=2_000_000_011,
    person_id=2_000_000_013,
    years=7_013,
    work_role="sentinel:work_role",
)


def find_person(email, today):
    """(the person with this e-mail address and their municipality, whether the municipality
    is a member on `today`), or (None, False).

    The caller checks with access.can_see_person (the same rule as staff_visible_to, in Python)
    and answers unknown and out-of-scope addresses alike, so that the API does not reveal who
    has an account elsewhere.
    """
    rows = PERSON_QUERY.rows(email=email.lower(), today=today)
    if not rows:
        return None, False
    row = rows[0]
    person, end = from_row(User, row, 0)
    municipality = None
    if person.municipality_id is not None:
        municipality = from_row(Municipality, row, end)[0]
    person.municipality = municipality
    return person, bool(row[-1])


def get_round_for_registration(user, round_id, person, today):
    """The round with its course and the course's step if the user may see it (404 otherwise),
    with, for `person` (unless None), `active_registration_id` and the RuleFacts of
    services.register but the membership (which comes with the person): `person_step_id`,
    the step of their placement on the round's journey, else Journey.suggested_step;
    `live_round_id`, `person_completed` (the course) and `person_in_team` (of the round)."""
    if beyond_ids(round_id):
        raise no_round(round_id)
    years = person.years_in_profession(today) if person is not None else None
    # Unknown years are -1, which no step covers (Journey.suggested_step gives None).
    rows = ROUND_QUERY.rows(
        round_id=round_id,
        person_id=person.pk if person is not None else 0,
        years=-1 if years is None else years,
        work_role=person.work_role if person is not None else "",
    )
    if not rows:
        raise no_round(round_id)
    row = rows[0]
    round, end = from_row(Round, row, 0)
    course, end = from_row(Course, row, end)
    step, end = from_row(Step, row, end)
    course.step = step
    round.course = course
    if not round_access.may_see_round(user, round):
        raise no_round(round_id)
    placed, suggested, round.active_registration_id, live_round_id, completed, in_team = row[end:]
    round.person_step_id = placed if placed is not None else suggested
    round.live_round_id = live_round_id
    round.person_completed, round.person_in_team = bool(completed), bool(in_team)
    return round


def get_visible_registration(user, registration_id):
    """A registration of the user, of someone the user may see, or in a round they manage."""
    registration = (
        Registration.objects.select_related(
            "round__course", "round__structure", "person__municipality"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not (
        access.can_see_person(user, registration.person)
        or round_access.can_manage_round(user, registration.round)
    ):
        raise ApiError(404, f"There is no registration {registration_id} that you may see.")
    return registration


# Representations


def round_json(round, days=None):
    """`days`: the round's days in order, when not prefetched as `round.days`."""
    return {
        "id": round.pk,
        "course": {"slug": round.course.slug, "title": round.course.title},
        "structure": {"id": round.structure_id, "name": round.structure.name},
        "term": round.term,
        "name": round.name,
        "status": round.status,
        "seats": round.seats,
        "registered": round.registered_count,
        "waitlisted": round.waitlisted_count,
        "registration_opens_on": round.registration_opens_on.isoformat(),
        "registration_closes_on": round.registration_closes_on.isoformat(),
        "fee_model": round.fee_model,
        "fee_amount": f"{round.fee_amount:.2f}",
        "days": [day_json(day) for day in (round.days.all() if days is None else days)],
    }


def day_json(day):
    venue = day.venue
    return {
        "number": day.number,
        "date": day.date.isoformat(),
        "starts_at": day.starts().isoformat(),
        "ends_at": day.ends().isoformat(),
        "mode": day.mode,
        "venue": (
            {"name": venue.name, "address": venue.address, "room": venue.room} if venue else None
        ),
        "meeting_url": day.meeting_url or None,
    }


def registration_json(registration):
    """A registration without the person's diet or accessibility needs, which are not shared."""
    round, person = registration.round, registration.person
    return {
        "id": registration.pk,
        "round": {
            "id": round.pk,
            "name": round.name,
            "term": round.term,
            "course": {"slug": round.course.slug, "title": round.course.title},
        },
        "person": {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
        },
        "status": registration.status,
        "registered_at": timezone.localtime(registration.queued_at).isoformat(),
        "step_mismatch_reason": registration.step_mismatch_reason,
        "cancelled_at": (
            timezone.localtime(registration.cancelled_at).isoformat()
            if registration.cancelled_at
            else None
        ),
        "cancel_reason": registration.cancel_reason,
        "late": registration.cancelled_late,
    }


# The API and its error handlers


def bearer_token(request):
    """Ninja's authentication: the token's owner (a 401 ApiError otherwise), counted against
    the API's rate limit; a request without a valid token counts for its client address."""
    try:
        user = authenticate(request)
    except ApiError:
        ratelimits.check(request, "api", f"address:{ratelimits.client_address(request)}")
        raise
    request.user = user
    ratelimits.check(request, "api", f"user:{user.pk}")
    return user


class JsonParser:
    """Bodies are JSON objects: anything else, and JSON nested deeper than Python parses, is a
    400 with code invalid_json (never a server error)."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ApiError(
                400, "The request body is not valid JSON.", code="invalid_json"
            ) from None
        if not isinstance(data, dict):
            raise ApiError(400, "The request body must be a JSON object.", code="invalid_json")
        return data

    def parse_querydict(self, data, list_fields, request):
        return {key: data.getlist(key) if key in list_fields else data[key] for key in data}


class JsonApi(NinjaAPI):
    def get_content_type(self):
        """application/json without a charset: JSON is UTF-8 (RFC 8259 defines no charset)."""
        return self.renderer.media_type


api = JsonApi(
    title="Yrkesresan API",
    version="1",
    description=openapi.DESCRIPTION,
    urls_namespace="api",
    openapi_url=None,
    docs_url=None,
    auth=bearer_token,
    parser=JsonParser(),
)


@api.exception_handler(DomainError)
def _domain_error(request, error):
    return error_response(error)


@api.exception_handler(ValidationError)
def _validation_error(request, error):
    return error_response(ApiError(400, validation_message(error.errors), code="invalid_request"))


@api.exception_handler(ninja_errors.HttpError)
def _http_error(request, error):
    """django-ninja's own refusals; a body JsonParser refused carries the ApiError."""
    if isinstance(error.__cause__, ApiError):
        return error_response(error.__cause__)
    return error_response(ApiError(error.status_code, f"{error}."))


@api.exception_handler(Http404)
def _not_found(request, error):
    return error_response(ApiError(404, "Not found."))


@api.exception_handler(PermissionDenied)
def _permission_denied(request, error):
    if isinstance(error, Ratelimited):
        return ratelimits.response_for(request, error)
    return error_response(ApiError(403, "You may not do this."))


@api.exception_handler(ninja_errors.AuthenticationError)
def _unauthenticated(request, error):
    return error_response(
        ApiError(
            401,
            "Give a valid API token in the header Authorization: Bearer <token>.",
            headers=AUTHENTICATE,
        )
    )


def responses(ok, *statuses):
    return {**ok, **{status: schemas.Error for status in (400, 401, 429, *statuses)}}


# Endpoints


@api.get(
    "/rounds",
    response=responses({200: schemas.RoundPage}, 404),
    url_name="round_list",
    operation_id="listRounds",
    summary="List the course rounds you may see",
    description="Ordered by id, oldest first; 50 to a page. A page beyond the last is a 404.",
)
def round_list(request, filters: Query[schemas.RoundFilters]):
    rounds = filter_rounds(round_access.rounds_visible_to(request.user), filters)
    # Ordered by id, so that rounds created while a client pages through are appended.
    paginator = Paginator(with_details(rounds).order_by("pk"), PAGE_SIZE)
    number = filters.page
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            404, f"There is no page {number}; the last is {paginator.num_pages}."
        ) from None

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [round_json(round) for round in page],
    }


@api.get(
    "/rounds/{int:round_id}",
    response=responses({200: schemas.RoundOut}, 404),
    url_name="round_detail",
    operation_id="getRound",
    summary="Read a round, with its seats, counts and days",
)
def round_detail(request, round_id: int):
    round, days = get_visible_round(request.user, round_id)
    return round_json(round, days)


@api.post(
    "/rounds/{int:round_id}/registrations",
    response=responses({201: schemas.RegistrationOut, 200: schemas.RegistrationOut}, 403, 404, 409),
    url_name="round_registrations",
    operation_id="registerPerson",
    summary="Register a person into a round",
    description=openapi.REGISTER,
)
def round_registrations(
    request, response: HttpResponse, round_id: int, data: schemas.RegistrationIn
):
    """Register a person: 201 for a new registration, 200 for one that was already active
    (a retry, or the same request sent twice at once)."""
    user = request.user
    ratelimits.check(request, "registration", f"user:{user.pk}")
    today = timezone.localdate()
    person, is_member = find_person(data.email, today)
    round = get_round_for_registration(user, round_id, person, today)
    if person is None or not access.can_see_person(user, person):
        raise ApiError(
            404, f"There is no person with the e-mail address {data.email} that you may see."
        )
    if not enrolment_access.can_register(user, person, round):
        raise ApiError(403, f"You may not register {person.email} for this round.")
    # A retry answers with the active registration as it is, even if the rules would refuse a
    # new one now (the round has closed, or no step-mismatch reason is repeated).
    if round.active_registration_id:
        existing = Registration.objects.get(pk=round.active_registration_id)
        existing.round, existing.person = round, person
        return Status(200, registration_json(existing))
    facts = services.RuleFacts(
        is_member=is_member,
        step_id=round.person_step_id,
        live_round_id=round.live_round_id,
        completed=round.person_completed,
        in_team=round.person_in_team,
    )
    registration = services.register(
        person, round, by=user, step_mismatch_reason=data.reason, facts=facts
    )
    if not registration.made_now:
        # The same request, sent at the same moment, made it first.
        return Status(200, registration_json(registration))
    response["Location"] = reverse("api:registration_detail", args=[registration.pk])
    return Status(201, registration_json(registration))


@api.get(
    "/registrations/{int:registration_id}",
    response=responses({200: schemas.RegistrationOut}, 404),
    url_name="registration_detail",
    operation_id="getRegistration",
    summary="Read a registration",
)
def registration_detail(request, registration_id: int):
    return registration_json(get_visible_registration(request.user, registration_id))


@api.delete(
    "/registrations/{int:registration_id}",
    response=responses({200: schemas.RegistrationOut}, 403, 404, 409),
    url_name="registration_detail",
    operation_id="cancelRegistration",
    summary="Cancel a registration",
    description=openapi.CANCEL,
)
def cancel_registration(
    request,
    registration_id: int,
    query: Query[schemas.CancellationQuery],
    data: schemas.CancellationIn = None,
):
    registration = get_visible_registration(request.user, registration_id)
    if not enrolment_access.can_cancel(request.user, registration):
        raise ApiError(403, "You may not cancel this registration.")
    reason = (data.reason if data else "") or query.reason
    if not reason:
        raise ApiError(
            400,
            'Give a reason for the cancellation in the field "reason" or ?reason=.',
            code="invalid_request",
        )
    registration = services.cancel_registration(registration, by=request.user, reason=reason)
    return registration_json(registration)


# Filters


def filter_rounds(rounds, filters):
    """Apply the list filters course (slug), structure (id), term and status."""
    if filters.course:
        rounds = rounds.filter(course__slug=filters.course)
    if filters.structure is not None:
        rounds = rounds.filter(structure_id=filters.structure)
    if filters.term:
        rounds = rounds.filter(term=filters.term)
    if filters.status:
        rounds = rounds.filter(status=filters.status)
    return rounds


# The views Django routes to (api_urls.py): each in English, its errors JSON


def document():
    """The OpenAPI document, generated once from the operations and schemas above."""
    return openapi.finish(api.get_openapi_schema(path_prefix=""))


def openapi_document(request):
    return english(lambda request: JsonResponse(openapi.cached(document)))(request)


def english(view):
    """A view of the API in English, its 405s and rate limits as JSON errors (a 405 from
    django-ninja is a plain-text page), and Content-Language: en."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override("en"):
            try:
                response = view(request, *args, **kwargs)
            except Ratelimited as error:
                response = ratelimits.response_for(request, error)
            if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
                allowed = response["Allow"]
                response = error_response(
                    ApiError(
                        405,
                        f"The method {request.method} is not allowed here; use {allowed}.",
                        headers={"Allow": allowed},
                    )
                )
        response.headers["Content-Language"] = "en"
        return response

    wrapper.csrf_exempt = True
    return wrapper


def not_found(request, path=""):
    """Any other address under /api/v1/: a JSON 404 rather than the site's HTML page."""
    response = error_response(
        ApiError(404, "There is no such API endpoint; see /api/v1/openapi.json.")
    )
    response.headers["Content-Language"] = "en"
    return response


not_found.csrf_exempt = True
