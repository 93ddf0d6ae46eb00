from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
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
            return HttpResponse(
                str(exception), status=exception.status, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, str(exception))
        return render(request, "refused.html", status=exception.status)
