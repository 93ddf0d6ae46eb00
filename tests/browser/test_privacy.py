"""The person sees who has seen their data, the contact reads the staff's log, and a person
makes and revokes an API token, at desktop width and at 320 CSS px (400 % zoom)."""

import re

from playwright.sync_api import expect

from yrkesresan.core.testing import make_person
from yrkesresan.organisations.models import Municipality

from .conftest import assert_accessible, log_in, person_id, visit

NARROW = {"width": 320, "height": 640}


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width}px wide at 320px"


def test_who_has_seen_my_data_and_the_contacts_log(page, db_access):
    participant = person_id("deltagare1@example.com")
    log_in(page, "chef.eskilstuna@example.com")
    visit(page, f"/personal/{participant}/")
    manager = page.locator(".signed-in-as").inner_text()

    log_in(page, "deltagare1@example.com")
    visit(page, "/konto/profil/")
    page.get_by_role("link", name="Vem har sett mina uppgifter").click()
    row = page.get_by_role("row").filter(has_text=manager)
    expect(row.first).to_contain_text("Såg personens sida")
    assert_accessible(page)

    log_in(page, "kontakt.eskilstuna@example.com")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Personuppgiftslogg"
    ).click()
    page.get_by_label("Namn eller e-postadress").fill("deltagare1@example.com")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("row").filter(has_text=manager).first).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def test_a_person_makes_a_token_sees_it_once_and_revokes_it(page, db_access):
    log_in(page, "chef.eskilstuna@example.com")
    page.set_viewport_size(NARROW)
    visit(page, "/konto/profil/")
    page.get_by_role("link", name=re.compile("API-nycklar")).click()
    page.get_by_label("Vad nyckeln ska användas till").fill("Lönesystemet")
    page.get_by_label("Giltig i").select_option("30")
    page.get_by_role("button", name="Skapa nyckeln").click()
    token = page.locator("#new-token").inner_text()
    assert len(token) > 30
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    visit(page, "/konto/api-nycklar/")
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Återkalla Lönesystemet").click()
    expect(page.get_by_role("row").filter(has_text="Lönesystemet")).to_contain_text("Återkallad")
    response = page.request.get("/api/v1/rounds", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401
    assert_accessible(page)


def test_a_person_reads_and_downloads_their_data(page, db_access):
    log_in(page, "deltagare2@example.com")
    visit(page, "/konto/profil/")
    page.get_by_role("link", name=re.compile("Mina personuppgifter")).click()
    expect(page.get_by_role("heading", name="Anmälningar till kursomgångar")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som JSON").click()
    assert download.value.suggested_filename.endswith(".json")
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def test_the_contact_reads_the_record_of_processing_and_erases_a_person(page, db_access):
    # A person of their own, so that the demo's people stay for the other tests.
    eskilstuna = Municipality.objects.get(name="Eskilstuna")
    person = make_person("flyttar.utomlands@example.com", municipality=eskilstuna).pk
    log_in(page, "kontakt.eskilstuna@example.com")
    visit(page, "/konto/personuppgiftslogg/")
    page.get_by_role("link", name=re.compile("registerförteckning")).click()
    expect(page.get_by_role("rowheader", name="Anmälningar till kursomgångar")).to_be_visible()
    assert_accessible(page)
    visit(page, f"/personal/{person}/")
    page.get_by_role("link", name="Radera personuppgifterna").click()
    assert_accessible(page)
    page.get_by_label("Varför uppgifterna raderas").fill("Personen begärde det")
    page.get_by_role("button", name="Radera personuppgifterna").click()
    confirm = page.get_by_label("Jag förstår att raderingen inte kan ångras")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    confirm.check()
    page.get_by_role("button", name="Radera personuppgifterna").click()
    expect(page.get_by_text("Personens personuppgifter har raderats.")).to_be_visible()
