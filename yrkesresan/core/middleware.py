from django.contrib import messages
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django_ratelimit.exceptions import Ratelimited

from . import ratelimits
from .errors import DomainError


class DomainErrorMiddleware:
    """Answer a DomainError a page's view let through with its sentence and its status.

    A full page shows the sentence as an error message on the refusal page (refused.html). An
    htmx request gets the sentence alone as plain text: htmx swaps nothing on a 4xx, so the part
    of the page it came from keeps showing the saved state, and a message queued for the next
    full page would appear out of context. The JSON API answers its own errors (enrolment.api).

    A spent rate limit (django-ratelimit's Ratelimited, core.ratelimits) is a 429 with
    Retry-After: JSON under /api/, the refusal page elsewhere (ratelimits.response_for).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            return ratelimits.response_for(request, exception)
        if not isinstance(exception, DomainError):
            return None
        if getattr(request, "htmx", False):
            response = HttpResponse(
                str(exception), status=exception.status, content_type="text/plain; charset=utf-8"
            )
        else:
            messages.error(request, str(exception))
            response = render(request, "refused.html", status=exception.status)
        return response


class UnknownHostMiddleware:
    """Answer a request for a host the site does not serve with a plain 400, first of all.

    Django would raise DisallowedHost from the first middleware that asks for the host, before
    the user is known, and its 400 page, which needs the user for the menu, would then fail
    with a 500. This page stands alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            return render(None, "core/bad_host.html", status=400)
        return self.get_response(request)


class HostileInputMiddleware:
    """Answer a page request whose query string or form body holds a NUL byte with a 400 and a
    message, before any view reads it: no database stores it, and PostgreSQL would fail on it
    in any lookup. The JSON API (under API_PREFIX) answers its own errors."""

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.API_PREFIX) and _holds_nul(request):
            messages.error(request, _NUL_MESSAGE())
            return render(request, "refused.html", status=400)
        return self.get_response(request)


def _holds_nul(request):
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    # Not multipart: a view may still set its upload handlers (the import's size limit), which
    # reading the body here would forbid. Its text fields refuse NUL bytes in the form.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for source in sources
        for key, values in source.lists()
    )


def _NUL_MESSAGE():
    return gettext(
        "The request held a NUL byte (a character that is not text). Nothing was done: go "
        "back, remove it and try again."
    )
