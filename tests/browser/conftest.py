"""Browser tests: the demo data behind a live server, driven in Debian's headless Chromium.

The demo is seeded once per session into the test database and served by one live-server
thread; tests do not undo what they change, so each test makes its own changes idempotent.
These tests run in their own pytest process (`make test` runs tests/browser on its own), so the
committed demo data never meets the other tests.
"""

import io
import json
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.test.utils import setup_databases, teardown_databases
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from yrkesresan.accounts.models import User
from yrkesresan.demo.sso import DEMO_TOTP_KEY

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "demo-yrkesresan"
# Flags that keep Chromium from reaching out to the network it does not have here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The narrowest screen the pages must serve without scrolling sideways: 1280 px at 400 % zoom.
PHONE_WIDTH = 320
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Every rule of those tags runs; only the violations are reported back (axe's documented
# performance option: no selectors worked out for the passes, no passes sent to Python).
AXE_RUN = """tags => axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(result => result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target),
})))"""


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, always: pytest-django only creates it for tests marked django_db,
    and these tests are not (they must not run inside a transaction the server cannot see)."""
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


# The database blocker, for helpers that are no fixtures (log_in resets the demo's TOTP codes).
DB = {}


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    DB["blocker"] = django_db_blocker
    # Every test logs in from 127.0.0.1, well over a hundred times in a run: the per-address
    # login limit (its own tests are in accounts) would refuse the walk half way.
    unlimited = override_settings(LOGIN_RATE_PER_ADDRESS="100000/10m")
    unlimited.enable()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        shared = {}
        for connection in connections.all():
            if connection.vendor == "sqlite" and connection.is_in_memory_db():
                # The in-memory test database only exists on this connection: lend it.
                connection.inc_thread_sharing()
                shared[connection.alias] = connection
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, shared, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()
            for connection in shared.values():
                connection.dec_thread_sharing()
            # Leave an empty database for any test that runs after these in this process.
            call_command("flush", interactive=False, verbosity=0)
            unlimited.disable()


@pytest.fixture
def db_access(django_db_blocker):
    """Read the demo data from a test (the server and the test share one database)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, demo_server):
    # bypass_csp lets the test inject axe-core; the site's own CSP stays as it is.
    context = browser.new_context(base_url=demo_server, bypass_csp=True, locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(5000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def phone_page(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server,
        bypass_csp=True,
        locale="sv-SE",
        viewport={"width": PHONE_WIDTH, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


# The session cookie of each demo login made so far in this run: a later test as the same
# person starts from it (a login is 0.4–0.7 s; a reused session 0.1 s) when it still holds.
SESSIONS = {}


def log_in(page, email, password=DEMO_PASSWORD):
    """Sign in as `email` and land on the start page, as the login form does. The login form
    itself runs the first time per person, with another password, and whenever the session
    kept from it has ended (a logout, a changed password)."""
    page.context.clear_cookies()
    if password == DEMO_PASSWORD and email in SESSIONS:
        page.context.add_cookies([SESSIONS[email]])
        if page.request.get("/konto/profil/", max_redirects=0).status == 200:
            page.goto("/")
            return
        page.context.clear_cookies()
    sign_in_with_the_form(page, email, password)
    if password == DEMO_PASSWORD:
        [session] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
        SESSIONS[email] = session


def sign_in_with_the_form(page, email, password):
    page.goto("/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    if "/sso/engangskod/" in page.url:
        # The demo's administrator and coordinator confirm with a code from the demo's TOTP key.
        # A code is good once (django-otp refuses it again): the tests log in many times within
        # its 30 seconds, so they forget the last code used first.
        with DB["blocker"].unblock():
            TOTPDevice.objects.filter(user__email=email).update(
                last_t=-1, throttling_failure_count=0
            )
        page.get_by_label("Kod från din autentiseringsapp").fill(totp_code())
        page.get_by_role("button", name="Bekräfta").click()
        page.wait_for_url(lambda url: "/sso/engangskod/" not in url)


def totp_code():
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def assert_accessible(page):
    """Run axe-core on the page as it is now; fail listing every violation."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))  # once per document: a second width reuses it
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    assert violations == [], f"axe violations on {page.url}:\n{json.dumps(violations, indent=2)}"


def visit(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    return response


def person_id(email):
    return User.objects.get(email=email).pk
