"""Course rounds in the browser: every page as the role that uses it passes axe-core, the
checklist works by keyboard, and a coordinator registers and cancels through the forms.

The round is made idempotently (matched on its name) through the planning functions, the way
a coordinator makes one, next term: the data stays between tests.
"""

import datetime
from unittest import mock

from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment import services
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import RegistrationError, change_status, register
from yrkesresan.organisations.models import SupportStructure, Unit
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import CourseDay, Round, Venue, term_dates
from yrkesresan.staffing.services import set_course_leader

from .conftest import PHONE_WIDTH, assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
ROUND_NAME = "Omgång sidtest"
COORDINATOR = "samordnare@example.com"
# UI text is translated later; forms are found by structure, not by their words.
SUBMIT = "main form[method=post] button[type=submit]"


def the_round():
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    venue, _ = Venue.objects.get_or_create(
        structure=structure,
        name="Testlokalen för omgångar",
        defaults={
            "address": "Kungsgatan 5, 632 20 Eskilstuna",
            "room": "Sal A",
            "capacity": 40,
            "accessibility_notes": "Hiss och hörslinga.",
        },
    )
    round = Round.objects.filter(structure=structure, name=ROUND_NAME).first()
    coordinator = User.objects.get(email=COORDINATOR)
    if round is None:
        term = round_queries.next_term(round_queries.coming_terms()[0])
        start = term_dates(term)[0] + datetime.timedelta(weeks=5)
        first_day = start + datetime.timedelta(days=(3 - start.weekday()) % 7)
        round = planning.create_round(
            Course.objects.get(slug=COURSE_SLUG),
            structure,
            by=coordinator,
            term=term,
            name=ROUND_NAME,
            seats=20,
            registration_opens_on=timezone.localdate(),
            registration_closes_on=first_day - datetime.timedelta(days=14),
            days=planning.propose_days(
                Course.objects.get(slug=COURSE_SLUG),
                first_day,
                venue=venue,
                meeting_url="https://meet.example.se/sidtest",
            ),
            fee_model=Round.FeeModel.PER_PARTICIPANT,
            fee_amount=1500,
        )
        change_status(round, Round.Status.OPEN, by=coordinator)
        set_course_leader(round, User.objects.get(email="kursansvarig@example.com"), by=None)
        round.refresh_from_db()
    for email, needs in [
        ("sidtest.ett@example.com", {"special_diet": "Vegetarisk", "needs_consent": True}),
        ("sidtest.tva@example.com", {}),
    ]:
        register(
            staff_member(email, "0484"),
            round,
            by=coordinator,
            step_mismatch_reason="Sidtest",
            **needs,
        )
    return round, venue


def staff_member(email, municipality_code):
    """A social worker new to the profession, made once. Everyone in the demo already holds a
    place on its course or has completed it, and a person has one place per course."""
    unit = Unit.objects.filter(municipality__code=municipality_code).order_by("pk").first()
    person, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": email.split("@")[0].replace(".", " ").title(),
            "last_name": "Sidtestsson",
            "title": "Socialsekreterare",
            "municipality": unit.municipality,
            "unit": unit,
            "profession_started_on": timezone.localdate() - datetime.timedelta(days=200),
        },
    )
    return person


def pages_of(round, venue):
    pk = round.pk
    registration = Registration.objects.filter(round=round).order_by("pk").first()
    return {
        COORDINATOR: [
            f"/omgangar/?termin={round.term.replace(' ', '+')}",
            "/omgangar/ny/",
            f"/omgangar/{pk}/",
            f"/omgangar/{pk}/andra/",
            f"/omgangar/{pk}/kopiera/",
            f"/omgangar/{pk}/status/?status=cancelled",
            f"/omgangar/{pk}/dagar/1/",
            f"/omgangar/{pk}/dagar/2/",
            f"/omgangar/{pk}/narvarolista/",
            f"/omgangar/{pk}/anmal/",
            f"/omgangar/anmalan/{registration.pk}/avanmal/",
            "/omgangar/kapacitet/",
            "/omgangar/lokaler/",
            "/omgangar/lokaler/ny/",
            f"/omgangar/lokaler/{venue.pk}/",
        ],
        "kursansvarig@example.com": [f"/omgangar/{pk}/", f"/omgangar/{pk}/narvarolista/"],
        "utbildare1@example.com": ["/omgangar/", f"/omgangar/{pk}/"],
        "chef.eskilstuna@example.com": [
            "/omgangar/",
            f"/omgangar/{pk}/",
            f"/omgangar/{pk}/anmal/",
            "/omgangar/min-personal/",
            "/omgangar/min-personal/?behover=on",
        ],
        "kontakt.eskilstuna@example.com": ["/omgangar/min-personal/", f"/omgangar/{pk}/"],
        "admin@example.com": [f"/omgangar/{pk}/", "/omgangar/kapacitet/"],
    }


def test_every_rounds_page_is_accessible_for_its_roles(page, db_access):
    round, venue = the_round()
    for email, paths in pages_of(round, venue).items():
        log_in(page, email)
        for path in paths:
            visit(page, path)
            assert page.locator("h1").count() == 1, path
            assert_accessible(page)


def test_forms_with_errors_are_accessible(page, db_access):
    round, _venue = the_round()
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/dagar/2/")
    page.locator("input[name=mode][value=physical]").check()
    page.locator(SUBMIT).click()
    assert page.locator(".errorlist").count() >= 1
    assert_accessible(page)
    visit(page, "/omgangar/ny/")
    page.locator(SUBMIT).click()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)


def test_a_refusal_page_is_accessible(page, db_access):
    round, _venue = the_round()
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/status/?status=closed")
    refusal = RegistrationError("En omgång med status inställd kan inte få status anmälan stängd.")
    # The server runs in this process: the round seems cancelled by someone else meanwhile.
    with (
        mock.patch.object(services, "change_status", side_effect=refusal),
        page.expect_response(lambda response: response.request.method == "POST") as posted,
    ):
        page.locator(SUBMIT).click()
    assert posted.value.status == 409
    assert page.locator(".message--error").inner_text() == str(refusal)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_the_checklist_is_ticked_by_keyboard_and_keeps_focus(page, db_access):
    round, _venue = the_round()
    CourseDay.objects.filter(round=round, number=1).update(fika_ordered=False)
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/")
    button = page.locator("#logistik-1-fika_ordered")
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#logistik-1-fika_ordered').getAttribute('aria-pressed') === 'true'"
    )
    assert page.evaluate("document.activeElement.id") == "logistik-1-fika_ordered"
    assert CourseDay.objects.get(round=round, number=1).fika_ordered
    assert_accessible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#logistik-1-fika_ordered')"
        ".getAttribute('aria-pressed') === 'false'"
    )


def test_the_coordinator_registers_and_cancels_through_the_forms(page, db_access):
    round, _venue = the_round()
    person = staff_member("sidtest.formular@example.com", "0483")
    Registration.objects.filter(round=round, person=person).update(
        status="cancelled", live_course=None
    )
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/anmal/")
    page.locator("#id_person").select_option(value=str(person.pk))
    page.locator("#id_step_mismatch_reason").fill("Sidtest")
    page.locator(SUBMIT).click()
    page.wait_for_url(f"**/omgangar/{round.pk}/")
    registration = Registration.objects.get(round=round, person=person)
    assert registration.status == Registration.Status.REGISTERED
    visit(page, f"/omgangar/anmalan/{registration.pk}/avanmal/")
    page.locator(SUBMIT).click()
    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)
    page.locator("#id_reason").fill("Sidtest klart.")
    page.locator(SUBMIT).click()
    page.wait_for_url(f"**/omgangar/{round.pk}/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_round_page_fits_a_phone(phone_page, db_access):
    round, _venue = the_round()
    log_in(phone_page, COORDINATOR)
    visit(phone_page, f"/omgangar/{round.pk}/")
    # Wide tables scroll inside their own box; the page itself does not scroll sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_accessible(phone_page)
