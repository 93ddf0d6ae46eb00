"""Who is asking (the client's address behind a trusted proxy) and how often they may ask.

Behind a load balancer every request comes from the balancer's address: keyed on REMOTE_ADDR,
one person's failed logins would lock out everyone, and a rate limit per address would be one
limit for the whole country. So when the request comes from a configured trusted proxy
(TRUSTED_PROXIES: addresses or networks), the client's address is read from the header the proxy
sets (CLIENT_ADDRESS_HEADER, X-Forwarded-For by default): the right-most address in it that is
not itself a trusted proxy. Everything left of that was written by the client and is not
believed. A request from anywhere else is keyed on its own address, whatever headers it sends.
The same address keys the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) and the rate
limits (django-ratelimit).

Limits are named in settings.RATE_LIMITS (or given as `rate`); `check` counts a request and
raises RateLimited when the limit is spent. Every Ratelimited (django-ratelimit's own, raised by
its decorator, included) is answered in one place, `response_for`: 429 with Retry-After, as JSON
under /api/ and as the refusal page with a Swedish message elsewhere.
"""

import ipaddress
from functools import cache

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
    """A spent limit, with the seconds until its window ends: a Ratelimited (answered as
    django-ratelimit's own are) and a DomainError (a refusal: 429, code rate_limited)."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after):
        super().__init__(
            _("Too many attempts. Wait %(minutes)s minutes and try again.")
            % {"minutes": max(1, -(-retry_after // 60))}
        )
        self.retry_after = retry_after


@cache
def _trusted(proxies):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def _header_key(name):
    return "HTTP_" + name.upper().replace("-", "_")


def client_address(request):
    """The client's address: from the trusted proxy's header, or the connection's own."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUSTED_PROXIES or not _is_trusted(remote):
        return remote
    header = request.META.get(_header_key(settings.CLIENT_ADDRESS_HEADER), "")
    for candidate in reversed([part.strip() for part in header.split(",") if part.strip()]):
        if _is_trusted(candidate):
            continue
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            break  # garbage in the header: fall back on the proxy's address
    return remote


def _by_address(group, request):
    return client_address(request)


def check(request, name, key=None, rate=None):
    """Count this request against the limit `name` (its rate from settings.RATE_LIMITS, or
    `rate` such as "10/h") for `key` (whom the request counts for: an account, a token; by
    default the client's address); raise RateLimited when it is spent. Nothing is counted when
    settings.RATELIMIT_ENABLE is False."""
    usage = get_usage(
        request,
        group=f"yrkesresan.{name}",
        key=_by_address if key is None else (lambda _group, _request: str(key)),
        rate=rate or settings.RATE_LIMITS[name],
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimited(max(1, int(usage["time_left"])))


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
