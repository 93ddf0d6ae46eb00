"""The JSON API for HR systems under /api/v1/; openapi.py is its contract.

Every endpoint but the OpenAPI document authenticates with a bearer token (accounts.ApiToken)
and then acts with the token owner's rights, through accounts/access.py exactly as the web pages
do: a round, person or registration outside the owner's scope is a 404 (its existence is not
revealed), a visible one the owner may not change is a 403. A request the registration rules
refuse (the round is not open, the municipality is not a member, a step mismatch without a
reason, an already cancelled registration) is a 409 Conflict. Every error is a JSON object
{"error": "<an English sentence>"}: the API speaks English whatever the caller's language.
"""

import datetime
import functools
import json
import re

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from yrkesresan.accounts import access
from yrkesresan.accounts.models import ApiToken, User

from . import services
from .models import CourseDay, Registration, Round
from .openapi import DOCUMENT

PAGE_SIZE = 50
# A token's last use is recorded to the minute, so that reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
TERM_FILTER = re.compile(r"^(VT|HT)\s*(\d{4})$")


class ApiError(Exception):
    """A refusal the API answers with `status`, an English `message` and any `headers`."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    def response(self):
        return JsonResponse({"error": self.message}, status=self.status, headers=self.headers)


# Tokens


def authenticate(request):
    """The active owner of the request's bearer token; 401 otherwise. One query, and one write
    a minute at most."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    api_token = None
    if scheme.lower() == "bearer" and token:
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token))
            .order_by()
            .first()
        )
    if api_token is None or not api_token.user.is_active:
        raise ApiError(
            401,
            "Give a valid API token in the header Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="yrkesresan"'},
        )
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


def api_view(*methods, public=False):
    """Answer only `methods`, authenticate the bearer token (unless `public`), speak English,
    and turn every refusal into a JSON error. Session cookies never authenticate the API, so
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
                except ApiError as error:
                    response = error.response()
                except Http404:
                    response = ApiError(404, "Not found.").response()
                except PermissionDenied:
                    response = ApiError(403, "You may not do this.").response()
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
        rounds.with_counts()
        .select_related("course", "structure")
        .prefetch_related(Prefetch("days", queryset=days))
    )


def get_visible_round(user, round_id, *, details=True):
    if not details:
        try:
            return access.get_round_for_user(user, round_id)
        except Http404:
            raise ApiError(404, f"There is no round {round_id} that you may see.") from None
    rounds = with_details(access.rounds_visible_to(user))
    # order_by(): one row by its key needs no sorting (the default order joins the catalog).
    round = rounds.filter(pk=round_id).order_by().first()
    if round is None:
        raise ApiError(404, f"There is no round {round_id} that you may see.")
    return round


def find_person(user, email, *, registration_in=None):
    """The person with this e-mail address among those the user may see (themself included).

    Unknown and out-of-scope addresses get the same answer, so that the API does not reveal
    who has an account elsewhere. With `registration_in` (a round), the person's active
    registration there, if any, comes in the same query as `active_registration_id`.
    """
    # One simple query by the unique address, then the same rule as staff_visible_to in
    # Python (access.can_see_person): cheaper than combining the two querysets in SQL.
    people = User.objects.select_related("municipality__county", "unit")
    if registration_in is not None:
        active = (
            Registration.objects.filter(round=registration_in, person=OuterRef("pk"))
            .exclude(status=Registration.Status.CANCELLED)
            .values("pk")[:1]
        )
        people = people.annotate(active_registration_id=Subquery(active))
    person = people.filter(email=email.lower()).order_by().first()
    if person is None or not access.can_see_person(user, person):
        raise ApiError(404, f"There is no person with the e-mail address {email} that you may see.")
    return person


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
        or access.can_manage_round(user, registration.round)
    ):
        raise ApiError(404, f"There is no registration {registration_id} that you may see.")
    return registration


# Representations


def round_json(round):
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
        "days": [day_json(day) for day in round.days.all()],
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
    rounds = filter_rounds(access.rounds_visible_to(request.user), request.GET)
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
    return JsonResponse(round_json(get_visible_round(request.user, round_id)))


@api_view("POST")
def round_registrations(request, round_id):
    """Register a person: 201 for a new registration, 200 for one that was already active."""
    round = get_visible_round(request.user, round_id, details=False)
    data = read_json(request)
    email = text_field(data, "email", required=True)
    reason = text_field(data, "reason", required=False)
    person = find_person(request.user, email, registration_in=round)
    if not access.can_register(request.user, person, round):
        raise ApiError(403, f"You may not register {person.email} for this round.")
    # A retry answers with the active registration as it is, even if the rules would refuse a
    # new one now (the round has closed, or no step-mismatch reason is repeated).
    if person.active_registration_id:
        existing = Registration.objects.get(pk=person.active_registration_id)
        existing.round, existing.person = round, person
        return JsonResponse(registration_json(existing))
    try:
        registration = services.register(
            person, round, by=request.user, step_mismatch_reason=reason
        )
    except services.RegistrationError as error:
        raise ApiError(409, str(error)) from None
    location = reverse("api:registration_detail", args=[registration.pk])
    return JsonResponse(registration_json(registration), status=201, headers={"Location": location})


@api_view("GET", "DELETE")
def registration_detail(request, registration_id):
    registration = get_visible_registration(request.user, registration_id)
    if request.method == "DELETE":
        if not access.can_cancel(request.user, registration):
            raise ApiError(403, "You may not cancel this registration.")
        data = read_json(request)
        reason = text_field(data, "reason", required=False) or request.GET.get("reason", "")
        if not reason.strip():
            raise ApiError(
                400, 'Give a reason for the cancellation in the field "reason" or ?reason=.'
            )
        try:
            registration = services.cancel_registration(
                registration, by=request.user, reason=reason
            )
        except services.RegistrationError as error:
            raise ApiError(409, str(error)) from None
    return JsonResponse(registration_json(registration))


@csrf_exempt
def not_found(request, path=""):
    """Any other address under /api/v1/: a JSON 404 rather than the site's HTML page."""
    return ApiError(404, "There is no such API endpoint; see /api/v1/openapi.json.").response()
