"""Every page, as each demo role that uses it, passes axe-core with zero violations."""

import pytest

from .conftest import PHONE_WIDTH, assert_accessible, log_in, person_id, visit

PUBLIC_PAGES = [
    "/",
    "/resor/",
    "/resor/barn-och-unga/",
    "/resor/aldreomsorg-utforare/",
    "/kurser/handlaggning-med-barnet-i-centrum/",
    "/konto/logga-in/",
]
EVERYONE_LOGGED_IN = [
    "/",
    "/resor/",
    "/resor/barn-och-unga/",
    "/resor/barn-och-unga/mitt-steg/",
    "/kurser/handlaggning-med-barnet-i-centrum/",
    "/organisationer/",
    "/organisationer/lan/04/",
    "/organisationer/kommuner/0484/",
    "/konto/profil/",
    "/konto/losenord/",
]
STAFF_VIEWERS = {
    "chef.eskilstuna@example.com",
    "chef.kumla@example.com",
    "kontakt.eskilstuna@example.com",
    "samordnare@example.com",
    "admin@example.com",
}
ROLES = [
    "deltagare1@example.com",
    "deltagare2@example.com",
    "chef.eskilstuna@example.com",
    "chef.kumla@example.com",
    "kontakt.eskilstuna@example.com",
    "samordnare@example.com",
    "kursansvarig@example.com",
    "utbildare1@example.com",
    "redaktor@example.com",
    "admin@example.com",
]


def test_public_pages_are_accessible(page):
    for path in PUBLIC_PAGES:
        visit(page, path)
        assert_accessible(page)


@pytest.mark.parametrize("email", ROLES)
def test_every_page_of_the_role_is_accessible(page, db_access, email):
    log_in(page, email)
    paths = list(EVERYONE_LOGGED_IN)
    if email in STAFF_VIEWERS:
        paths.append("/personal/")
    paths.append(f"/personal/{person_id(email)}/")
    for path in paths:
        visit(page, path)
        assert_accessible(page)


def test_manager_pages_for_their_staff_are_accessible(page, db_access):
    log_in(page, "chef.eskilstuna@example.com")
    participant = person_id("deltagare1@example.com")
    for path in [
        "/personal/?q=a",
        f"/personal/{participant}/",
        f"/personal/{participant}/steg/barn-och-unga/",
        f"/personal/{participant}/roll-i-arbetet/",
    ]:
        visit(page, path)
        assert_accessible(page)


def test_error_pages_are_accessible(page, db_access):
    log_in(page, "chef.kumla@example.com")
    visit(page, f"/personal/{person_id('deltagare1@example.com')}/", status=404)
    assert_accessible(page)
    log_in(page, "deltagare1@example.com")
    visit(page, "/personal/", status=403)
    assert_accessible(page)


def test_pages_work_on_a_phone(phone_page, db_access):
    log_in(phone_page, "deltagare1@example.com")
    for path in ["/", "/kurser/handlaggning-med-barnet-i-centrum/", "/organisationer/"]:
        visit(phone_page, path)
        assert_accessible(phone_page)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{path} scrolls sideways on a phone ({width}px)"


def test_admin_pages_are_accessible_for_editor_and_administrator(page, db_access):
    from yrkesresan.catalog.models import Course

    course = Course.objects.get(slug="handlaggning-med-barnet-i-centrum").pk
    pages = {
        "redaktor@example.com": [
            "/admin/",
            "/admin/catalog/course/",
            f"/admin/catalog/course/{course}/change/",
            "/admin/catalog/journey/",
        ],
        "admin@example.com": [
            "/admin/",
            "/admin/accounts/user/",
            f"/admin/accounts/user/{person_id('deltagare1@example.com')}/change/",
            "/admin/organisations/municipality/",
            "/admin/organisations/supportstructure/",
        ],
    }
    for email, paths in pages.items():
        log_in(page, email)
        for path in paths:
            visit(page, path)
            assert_accessible(page)
