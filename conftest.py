"""Suite-wide test settings: a fast password hasher (the real one is tested in accounts)."""

import os

import pytest


def pytest_configure(config):
    from django.conf import settings

    # Tests, the browser tests included, talk plain HTTP to the test server.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The suite sends many requests a minute with one token; the rate limit tests set their own
    # limits with override_settings.
    settings.RATE_LIMITS = {name: "100000/s" for name in settings.RATE_LIMITS}
    # A cookie that is not Secure may not be SameSite=None: the IdP's answer comes back from
    # another port of 127.0.0.1, the same site, so Lax carries it.
    settings.SAML_SESSION_COOKIE_SAMESITE = "Lax"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Background tasks (e-mail) run at once, in the test's own thread and transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Django is set up before this hook runs, and apps' ready() may have made the backend:
    # tell django-tasks the setting changed, as override_settings would.
    from django.core.signals import setting_changed

    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # The browser tests drive Playwright's sync API, which runs an event loop in the test
    # thread; the ORM calls the tests make themselves are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()
    yield
