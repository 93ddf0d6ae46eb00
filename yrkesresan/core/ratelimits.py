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
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .errors import DomainError


class RateLimited(DomainError):
    """Too many requests: answered 429 with a Retry-After header (core.middleware)."""

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


def check(request, group, rate, key=None):
    """Count this request against `rate` ("10/h") for `group`; raise RateLimited when over.

    `key`: what the limit is per (a string, such as an account's e-mail address); by default
    the client's address.
    """
    usage = get_usage(
        request,
        group=group,
        key=_by_address if key is None else (lambda _group, _request: key),
        rate=rate,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(retry_after=max(int(usage["time_left"]), 1))
