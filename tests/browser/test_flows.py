"""Whole tasks done in the browser, by keyboard where it matters."""

from playwright.sync_api import expect

from yrkesresan.enrolment.models import Placement

from .conftest import assert_accessible, log_in, person_id, visit


def test_keyboard_user_skips_to_the_content(page):
    visit(page, "/resor/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_log_in_with_the_keyboard_alone(page):
    visit(page, "/konto/logga-in/")
    page.get_by_label("E-postadress").focus()
    page.keyboard.type("deltagare1@example.com")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "email=" in url)
    # The password field takes the focus itself (autofocus), which a browser may apply only
    # after the load event: wait for it rather than type into nothing.
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type("demo-yrkesresan")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hej")


def test_wrong_password_shows_a_swedish_message(page):
    log_in_page = visit(page, "/konto/logga-in/")
    assert log_in_page.ok
    page.get_by_label("E-postadress").fill("deltagare2@example.com")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Lösenord").fill("fel-losenord")
    page.get_by_role("button", name="Logga in").click()
    assert (
        page.get_by_role("alert").inner_text().startswith("E-postadressen eller lösenordet är fel")
    )
    assert page.get_by_label("E-postadress").input_value() == "deltagare2@example.com"
    assert_accessible(page)


def test_manager_overrides_a_step_with_a_reason(page, db_access):
    participant = person_id("deltagare1@example.com")
    Placement.objects.filter(person_id=participant).delete()
    log_in(page, "chef.eskilstuna@example.com")
    visit(page, f"/personal/{participant}/")
    page.get_by_role("link", name="Byt steg i Barn och unga, myndighetsutövning").click()
    page.get_by_label("Steg").select_option(label="Van (2–5 år)")
    page.get_by_role("button", name="Spara").click()
    # No reason given: the form says so in Swedish and keeps the chosen step.
    assert "Ange ett skäl" in page.locator(".errorlist").inner_text()
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Har arbetat tre år med barn och unga i annan kommun.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/personal/{participant}/")
    assert "Steget har ändrats" in page.get_by_role("status").inner_text()
    placement = Placement.objects.get(person_id=participant)
    assert placement.step.slug == "van"
    placement.delete()


def test_switch_language_to_english_and_back(page):
    visit(page, "/resor/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    # The form posts and the page comes back in English: wait for it, not the old page.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journeys")
    assert_accessible(page)
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resor")
