"""Bulk registration in the browser: upload, preview, apply, and the set-password page.

The round is made idempotently and the imported people get new e-mail addresses each run,
because the data stays between tests.
"""

import datetime
import uuid

from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment.imports import invitation_link
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

from .conftest import PHONE_WIDTH, assert_accessible, log_in, visit

COORDINATOR = "samordnare@example.com"
CONTACT = "kontakt.eskilstuna@example.com"
MANAGER = "chef.eskilstuna@example.com"
HEADER = "Personnummer;Förnamn;Efternamn;E-post;Kommun;Titel"


def import_round():
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    round = Round.objects.filter(structure=structure, name="Omgång för import").first()
    if round is None:
        first_day = timezone.localdate() + datetime.timedelta(days=150)
        course = Course.objects.get(slug="handlaggning-med-barnet-i-centrum")
        round = make_round(
            course, structure, name="Omgång för import", first_day=first_day, seats=200
        )
    return round


def csv_file(*lines):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return {"name": "personer.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}


def new_people(count=2):
    run = uuid.uuid4().hex[:8]
    return [
        (
            f"19850315-238{n};Åsa{n};Öberg;asa{n}.{run}@example.se;Eskilstuna;Socialsekreterare",
            f"asa{n}.{run}@example.se",
        )
        for n in range(count)
    ]


def upload(page, round, file):
    visit(page, f"/omgangar/{round.pk}/import/")
    page.set_input_files("main input[type=file]", files=[file])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_the_coordinator_imports_and_every_page_is_accessible(page, db_access):
    round = import_round()
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/import/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    people = new_people()
    upload(page, round, csv_file(*(line for line, _email in people)))
    assert page.locator("h1").count() == 1
    assert "19850315" not in page.content()
    assert page.locator("main table tbody tr").count() == 2
    assert_accessible(page)

    with page.expect_navigation():
        page.locator("main form[action$='/genomfor/'] button[type=submit]").click()
    assert page.url.endswith(f"/omgangar/{round.pk}/")
    assert page.locator(".message--success").count() == 1
    emails = [email for _line, email in people]
    assert round.registrations.filter(person__email__in=emails).count() == 2


def test_a_file_with_bad_rows_shows_every_problem_accessibly(page, db_access):
    round = import_round()
    log_in(page, COORDINATOR)
    bad = ";Dålig;Adress;x@;Eskilstuna;", ";Okänd;Kommun;okand@example.se;Gotham;"
    visit(page, f"/omgangar/{round.pk}/import/")
    page.set_input_files("main input[type=file]", files=[csv_file(*bad)])
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert page.get_by_role("alert").count() == 1
    assert page.locator("main form[action$='/genomfor/']").count() == 0
    assert_accessible(page)


def test_a_file_of_the_wrong_type_is_refused_accessibly(page, db_access):
    round = import_round()
    log_in(page, CONTACT)
    visit(page, f"/omgangar/{round.pk}/import/")
    assert_accessible(page)
    page.set_input_files(
        "main input[type=file]",
        files=[{"name": "personer.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)


def test_a_manager_may_not_import(page, db_access):
    round = import_round()
    log_in(page, MANAGER)
    visit(page, f"/omgangar/{round.pk}/import/", status=403)


def test_the_invited_person_chooses_a_password(page, db_access):
    person, _created = User.objects.get_or_create(
        email=f"inbjuden.{uuid.uuid4().hex[:8]}@example.se",
        defaults={"first_name": "Inbjuden", "last_name": "Person"},
    )
    person.set_unusable_password()
    person.save()
    page.context.clear_cookies()
    path = invitation_link(person).split("://", 1)[1].split("/", 1)[1]
    visit(page, f"/{path}")
    assert page.url.endswith("/set-password/")
    assert_accessible(page)
    page.locator("#id_new_password1").fill("ett-langt-losenord-2026")
    page.locator("#id_new_password2").fill("ett-langt-losenord-2026")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/konto/logga-in/")
    log_in(page, person.email, "ett-langt-losenord-2026")
    # The used link now shows the page without a form.
    page.context.clear_cookies()
    visit(page, f"/{path}")
    assert page.locator("main form").count() == 0
    assert_accessible(page)


def test_the_preview_works_on_a_phone(phone_page, db_access):
    round = import_round()
    log_in(phone_page, COORDINATOR)
    upload(phone_page, round, csv_file(*(line for line, _email in new_people(3))))
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is {width}px wide on a {PHONE_WIDTH}px phone"
