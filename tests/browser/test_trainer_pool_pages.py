"""The pool's pages in the browser: a trainer marks dates on the month calendar with the
keyboard (and on a phone), their manager withdraws a date with a reason, and the coordinator
records the trainer's trainer training and then removes them from the pool.

A trainer of its own, in the Eskilstuna unit whose manager is chef.eskilstuna, is made (and put
back into the pool) idempotently, so the demo's trainers and plans are left alone.
"""

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.staffing.models import Availability, PoolMembership, TrainerTraining

from .conftest import assert_accessible, log_in, visit

EMAIL = "kalender.utbildare@example.com"
MANAGER = "chef.eskilstuna@example.com"
PASSWORD = "demo-yrkesresan"


def calendar_trainer():
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    unit = RoleAssignment.objects.get(user__email=MANAGER, role=RoleAssignment.Role.MANAGER).unit
    person = User.objects.filter(email=EMAIL).first()
    if person is None:
        person = User.objects.create_user(
            EMAIL, PASSWORD, first_name="Kalle", last_name="Kalender", unit=unit,
            municipality=unit.municipality,
        )  # fmt: skip
    PoolMembership.objects.update_or_create(
        person=person, structure=structure,
        defaults={"status": PoolMembership.Status.ACCEPTED, "days_per_term": 6,
                  "motivation": "m", "experience": "e"},
    )  # fmt: skip
    Availability.objects.filter(person=person).delete()
    TrainerTraining.objects.filter(person=person).delete()
    return person, structure


def message(page, text):
    return page.locator(".message--success").filter(has_text=text)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_mark_dates_withdraw_one_record_training_and_remove(page, db_access):
    person, structure = calendar_trainer()

    # The trainer marks the first course date with the keyboard: Tab to it, press Enter.
    log_in(page, EMAIL)
    visit(page, "/mina-dagar/tillganglighet/")
    assert_accessible(page)
    first = page.locator("button[name=toggle]").first
    date = first.get_attribute("value")
    assert "inte markerat" in first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    message(page, "Du kan ta ").wait_for()
    assert page.locator(f"#dag-{date}").inner_text().endswith("Ja")
    assert Availability.objects.get(person=person, date=date).available
    page.locator(f"#dag-{date}").press("Enter")
    message(page, "Du kan inte ta ").wait_for()
    assert page.locator(f"#dag-{date}").inner_text().endswith("Nej")
    page.locator(f"#dag-{date}").press("Enter")
    message(page, "Du kan ta ").wait_for()

    # On a phone: the calendar fits, and the list is the alternative.
    page.set_viewport_size({"width": 320, "height": 740})
    visit(page, "/mina-dagar/tillganglighet/")
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("link", name="Visa som lista i stället").click()
    page.get_by_role("button", name="Spara min tillgänglighet").wait_for()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The manager sees the date marked and withdraws it with a reason.
    log_in(page, MANAGER)
    visit(page, "/utbildarpool/ansokningar/")
    page.get_by_role("link", name="Dina utbildares tillgänglighet").click()
    assert_accessible(page)
    section = page.get_by_role("region", name="Kursdatum för Kalle Kalender")
    assert section.get_by_role("cell", name="Ja").count() == 1
    membership = PoolMembership.objects.get(person=person)
    page.locator(f"#date-{membership.pk}").select_option(date)
    page.locator(f"#reason-{membership.pk}").fill("Tillsyn i enheten")
    page.get_by_role("button", name="Återkalla datumet Kalle Kalender").click()
    message(page, "samordnaren får veta det").wait_for()
    withdrawn = Availability.objects.get(person=person, date=date)
    assert (withdrawn.available, withdrawn.withdrawn_reason) == (False, "Tillsyn i enheten")
    page.set_viewport_size({"width": 320, "height": 740})
    visit(page, "/utbildarpool/personal/")
    assert_accessible(page)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The trainer sees the date withdrawn, with the reason, and cannot press it.
    log_in(page, EMAIL)
    visit(page, "/mina-dagar/tillganglighet/")
    assert page.locator(f"#dag-{date}").count() == 0
    assert page.get_by_text("Tillsyn i enheten").count() == 1

    # The coordinator records the trainer training, then takes the trainer out of the pool.
    log_in(page, "samordnare@example.com")
    visit(page, f"/planering/{structure.pk}/pool/")
    assert_accessible(page)
    page.get_by_text("Registrera utbildarutbildning Kalle Kalender").click()
    page.locator(f"#trained-{membership.pk}").fill("2026-02-10")
    page.get_by_role("button", name="Registrera Kalle Kalender").click()
    message(page, "Utbildarutbildningen för Kalle Kalender").wait_for()
    assert TrainerTraining.objects.filter(person=person).count() == 1
    page.get_by_role("button", name="Ta bort ur poolen Kalle Kalender").click()
    message(page, "Kalle Kalender är borttagen ur poolen.").wait_for()
    assert PoolMembership.objects.get(person=person).status == PoolMembership.Status.REMOVED
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 740})
    visit(page, f"/planering/{structure.pk}/pool/")
    assert_accessible(page)
    no_sideways_scroll(page)
