"""Federated login in the browser: the e-mail first, then the municipality's own SAML IdP (a real
pysaml2 process on 127.0.0.1 started here on a free port), and back signed in."""

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from tests.sso.processes import IDP_PASSWORD, oidc_provider, saml_idp
from yrkesresan.core.testing import free_port
from yrkesresan.demo.sso import OIDC_CLIENT_SECRET, OIDC_PERSON, SAML_PERSON, seed_oidc, seed_sso
from yrkesresan.sso.saml import sp_config

from .conftest import DEMO_PASSWORD, PHONE_WIDTH, assert_accessible, log_in, totp_code, visit

SAML_PORT = free_port()
OIDC_PORT = free_port()


@pytest.fixture
def saml_provider(demo_server, db_access):
    seed_sso(saml_port=SAML_PORT)
    host = demo_server.removeprefix("http://")
    request = RequestFactory().get("/", HTTP_HOST=host)
    email, first_name, last_name = SAML_PERSON
    users = {"anna": {"mail": email, "givenName": first_name, "sn": last_name}}
    with saml_idp(SAML_PORT, sp_config(request, providers=()), users) as idp:
        yield idp


@pytest.fixture
def oidc_op(demo_server, db_access):
    seed_oidc(oidc_port=OIDC_PORT)
    email, first_name, last_name = OIDC_PERSON
    users = {"bo": {"email": email, "first_name": first_name, "last_name": last_name}}
    callback = f"{demo_server}/sso/oidc/callback/"
    with oidc_provider(OIDC_PORT, callback, users, client_secret=OIDC_CLIENT_SECRET) as op:
        yield op


def test_the_login_page_asks_for_the_email_first_and_is_accessible(page):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        visit(page, "/konto/logga-in/")
        assert page.get_by_label("Lösenord").count() == 0
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert_accessible(page)


def test_a_federated_municipalitys_staff_log_in_through_their_saml_idp(
    page, demo_server, saml_provider
):
    page.context.clear_cookies()
    visit(page, "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(SAML_PERSON[0])
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{saml_provider}/sso/redirect?*")
    page.get_by_label("User name").fill("anna")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.startswith(demo_server) and "/sso/" not in url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hej")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda url: "/sso/" not in url and f":{SAML_PORT}" not in url)
    assert page.get_by_role("button", name="Logga ut").count() == 0


def test_an_administrators_password_login_asks_for_a_one_time_code(page, db_access):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__email="admin@example.com").update(last_t=-1)
    page.context.clear_cookies()
    visit(page, "/konto/logga-in/")
    page.get_by_label("E-postadress").fill("admin@example.com")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/sso/engangskod/" in url)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code())
    page.get_by_role("button", name="Bekräfta").click()
    page.wait_for_url(lambda url: "/sso/engangskod/" not in url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hej")


def test_a_federated_municipalitys_staff_log_in_through_their_openid_provider(
    page, demo_server, oidc_op
):
    page.context.clear_cookies()
    visit(page, "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(OIDC_PERSON[0])
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(lambda url: url.startswith(f"{oidc_op}/login/"))
    page.get_by_label("User name").fill("bo")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.startswith(demo_server) and "/sso/" not in url)
    assert page.get_by_role("heading", level=1).inner_text() == "Hej Bo!"
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()
    visit(page, "/")
    assert page.get_by_role("button", name="Logga ut").count() == 0


def test_an_administrator_makes_recovery_codes_and_logs_in_with_one(page, db_access):
    """The recovery codes' page before and after making codes, at 1280 and 320 px, and one of
    the codes standing in for the authenticator app's at the next login."""
    log_in(page, "admin@example.com")
    visit(page, "/konto/profil/")
    page.locator("main a[href='/sso/reservkoder/']").click()
    page.wait_for_url("**/sso/reservkoder/")
    for width in (1280, PHONE_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("main form button[type=submit]").click()
    codes = page.locator("ol.recovery-codes code")
    expect(codes).to_have_count(10)
    first = codes.first.inner_text()
    for width in (1280, PHONE_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.clear_cookies()
    page.goto("/konto/logga-in/")
    page.get_by_label("E-postadress").fill("admin@example.com")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/sso/engangskod/**")
    page.get_by_label("Kod från din autentiseringsapp").fill(first)
    page.get_by_role("button", name="Bekräfta").click()
    page.wait_for_url(lambda url: "/sso/engangskod/" not in url)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
