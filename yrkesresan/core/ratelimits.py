"""Rate limits over django-ratelimit, named in settings.RATE_LIMITS.

`check(request, name, key)` counts the request against the limit `name` for `key` (whom the
request counts for: a user, a token, an address) and raises RateLimited when the limit is
spent. Every Ratelimited (django-ratelimit's own, raised by its decorator, included) is
answered in one place, `response_for`: 429 with Retry-After, as JSON under /api/ and as the
refusal page with a Swedish message elsewhere (core.middleware and the API's handler call it).
"""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from .errors import DomainError

# When a limit is known only by django-ratelimit's decorator, the client waits a minute.
DEFAULT_RETRY_AFTER = 60


class RateLimited(Ratelimited, DomainError):
    """A spent limit, with the seconds until its window ends. A Ratelimited (so that it is
    answered as django-ratelimit's own are) and a DomainError (a refusal: 429, rate_limited)."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after):
        super().__init__(f"Rate limit exceeded; retry after {retry_after} s.")
        self.retry_after = retry_after


def check(request, name, key):
    """Count this request against the limit `name` of settings.RATE_LIMITS for `key`; raise
    RateLimited when it is over. Nothing is counted when settings.RATELIMIT_ENABLE is False."""
    usage = get_usage(
        request,
        group=f"yrkesresan.{name}",
        key=lambda group, request: str(key),
        rate=settings.RATE_LIMITS[name],
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimited(max(1, int(usage["time_left"])))


def client_address(request):
    """The address a request came from (REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "")


def is_api(request):
    return request.path.startswith("/api/")


def response_for(request, exception):
    """429 Too Many Requests with Retry-After: JSON for the API, the refusal page otherwise."""
    retry_after = getattr(exception, "retry_after", DEFAULT_RETRY_AFTER)
    headers = {"Retry-After": str(retry_after)}
    if is_api(request):
        return JsonResponse(
            {
                "error": f"Too many requests; try again in {retry_after} seconds.",
                "code": "rate_limited",
            },
            status=429,
            headers=headers,
        )
    messages.error(
        request,
        _("Too many attempts in a short time. Wait %(seconds)s seconds and try again.")
        % {"seconds": retry_after},
    )
    response = render(request, "refused.html", status=429)
    response["Retry-After"] = headers["Retry-After"]
    return response
