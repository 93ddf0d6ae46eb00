"""The JSON API for HR systems under /api/v1/; openapi.py is its contract.

Every endpoint but the OpenAPI document authenticates with a bearer token (accounts.ApiToken)
and then acts with the token owner's rights, through accounts/access.py exactly as the web pages
do: a round, person or registration outside the owner's scope is a 404 (its existence is not
revealed), a visible one the owner may not change is a 403. A request the registration rules
refuse (the round is not open, the municipality is not a member, a step mismatch without a
reason, a live registration in another round of the course, a completed course, the round's
own trainer or course leader, an already cancelled registration) is a 409 Conflict. Every
error is a JSON object {"error": "<an English sentence>"}: the API speaks English whatever the
caller's language; some 409s add a "code" and the "round" they concern (openapi.py).
"""

import datetime
import functools
import json
import re

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Func, IntegerField, OuterRef, Prefetch, Subquery
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from yrkesresan.accounts import access
from yrkesresan.accounts.models import ApiToken, User
from yrkesresan.catalog.models import Course, Step, suggested_step_id
from yrkesresan.core.compiled import CompiledQuery
from yrkesresan.core.errors import DomainError
from yrkesresan.organisations.models import Municipality, SupportStructure, member_on
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds.models import CourseDay, Round, Venue

from . import access as enrolment_access
from . import services
from .models import Registration
from .openapi import DOCUMENT
from .queries import with_counts

PAGE_SIZE = 50
# A token's last use is recorded to the minute, so that reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
TERM_FILTER = re.compile(r"^(VT|HT)\s*(\d{4})$")


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
    """The JSON error for any DomainError, as the Error schema of openapi.py describes it:
    {"error": its sentence, and its details such as "code"}, with its status."""
    return JsonResponse(
        {"error": str(error), **error.details()},
        status=error.status,
        headers=getattr(error, "headers", None),
    )


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
            headers={"WWW-Authenticate": 'Bearer realm="yrkesresan"'},
        )
    access.scope_from_rows(user, (row[user_end:] for row in rows))
    if last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.record_use(token_pk, user, now)
    return user


def api_view(*methods, public=False):
    """Answer only `methods`, authenticate the bearer token (unless `public`), speak English,
    and turn every refusal into a JSON error: a DomainError (a service's refusal, or an
    ApiError) with its status, a 404 or a 403. Session cookies never authenticate the API, so
    CSRF protection does not apply."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            with translation.override("en"):
                try:
                    if request.method not in methods:
                        allowed = ", ".join(methods)
                        raise ApiError(
                            405,
                            f"The method {request.method} is not allowed here; use {allowed}.",
                            headers={"Allow": allowed},
                        )
                    if not public:
                        request.user = authenticate(request)
                    response = view(request, *args, **kwargs)
                except DomainError as error:
                    response = error_response(error)
                except Http404:
                    response = error_response(ApiError(404, "Not found."))
                except PermissionDenied:
                    response = error_response(ApiError(403, "You may not do this."))
            response.headers["Content-Language"] = "en"
            return response

        wrapper.allowed_methods = methods
        return csrf_exempt(wrapper)

    return decorator


# Reading requests


def read_json(request):
    """The request body as a JSON object; an empty body is an empty object."""
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return data


def text_field(data, name, *, required):
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ApiError(400, f'The field "{name}" must be a string.')
    value = value.strip()
    if required and not value:
        raise ApiError(400, f'The field "{name}" is required.')
    return value


def filter_rounds(rounds, params):
    """Apply the list filters course (slug), structure (id), term and status."""
    if course := params.get("course", "").strip():
        rounds = rounds.filter(course__slug=course)
    if structure := params.get("structure", "").strip():
        if not structure.isdigit():
            raise ApiError(400, "The filter structure must be the id of a support structure.")
        rounds = rounds.filter(structure_id=int(structure))
    if term := params.get("term", "").strip():
        match = TERM_FILTER.match(term.upper())
        if not match:
            raise ApiError(400, "The filter term must be a term such as VT 2027 or HT 2026.")
        rounds = rounds.filter(term=f"{match.group(1)} {match.group(2)}")
    if status := params.get("status", "").strip():
        if status not in Round.Status.values:
            raise ApiError(
                400, f"The filter status must be one of {', '.join(Round.Status.values)}."
            )
        rounds = rounds.filter(status=status)
    return rounds


def page_number(params):
    value = params.get("page", "1").strip()
    if not value.isdigit() or int(value) < 1:
        raise ApiError(400, "The parameter page must be a whole number from 1.")
    return int(value)


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


# Endpoints


@api_view("GET", public=True)
def openapi_document(request):
    return JsonResponse(DOCUMENT)


@api_view("GET")
def round_list(request):
    rounds = filter_rounds(round_access.rounds_visible_to(request.user), request.GET)
    # Ordered by id, so that rounds created while a client pages through are appended.
    paginator = Paginator(with_details(rounds).order_by("pk"), PAGE_SIZE)
    number = page_number(request.GET)
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

    return JsonResponse(
        {
            "count": paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [round_json(round) for round in page],
        }
    )


@api_view("GET")
def round_detail(request, round_id):
    round, days = get_visible_round(request.user, round_id)
    return JsonResponse(round_json(round, days))


@api_view("POST")
def round_registrations(request, round_id):
    """Register a person: 201 for a new registration, 200 for one that was already active.

    The person is read first, so that the round comes with everything the registration rules
    need about the two of them; the refusals keep their order (an unseen round, a bad body,
    an unseen person, a person the caller may not register).
    """
    user = request.user
    today = timezone.localdate()
    try:
        data = read_json(request)
        email = text_field(data, "email", required=True)
        reason = text_field(data, "reason", required=False)
    except ApiError as error:
        bad_request, (person, is_member) = error, (None, False)
    else:
        bad_request, (person, is_member) = None, find_person(email, today)
    round = get_round_for_registration(user, round_id, person, today)
    if bad_request is not None:
        raise bad_request
    if person is None or not access.can_see_person(user, person):
        raise ApiError(404, f"There is no person with the e-mail address {email} that you may see.")
    if not enrolment_access.can_register(user, person, round):
        raise ApiError(403, f"You may not register {person.email} for this round.")
    # A retry answers with the active registration as it is, even if the rules would refuse a
    # new one now (the round has closed, or no step-mismatch reason is repeated).
    if round.active_registration_id:
        existing = Registration.objects.get(pk=round.active_registration_id)
        existing.round, existing.person = round, person
        return JsonResponse(registration_json(existing))
    facts = services.RuleFacts(
        is_member=is_member,
        step_id=round.person_step_id,
        live_round_id=round.live_round_id,
        completed=round.person_completed,
        in_team=round.person_in_team,
    )
    registration = services.register(
        person, round, by=user, step_mismatch_reason=reason, facts=facts
    )
    location = reverse("api:registration_detail", args=[registration.pk])
    return JsonResponse(registration_json(registration), status=201, headers={"Location": location})


@api_view("GET", "DELETE")
def registration_detail(request, registration_id):
    registration = get_visible_registration(request.user, registration_id)
    if request.method == "DELETE":
        if not enrolment_access.can_cancel(request.user, registration):
            raise ApiError(403, "You may not cancel this registration.")
        data = read_json(request)
        reason = text_field(data, "reason", required=False) or request.GET.get("reason", "")
        if not reason.strip():
            raise ApiError(
                400, 'Give a reason for the cancellation in the field "reason" or ?reason=.'
            )
        registration = services.cancel_registration(registration, by=request.user, reason=reason)
    return JsonResponse(registration_json(registration))


@csrf_exempt
def not_found(request, path=""):
    """Any other address under /api/v1/: a JSON 404 rather than the site's HTML page."""
    return error_response(ApiError(404, "There is no such API endpoint; see /api/v1/openapi.json."))
