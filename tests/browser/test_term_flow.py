"""A coordinator takes a round from an empty plan to a printable attendance list."""

import datetime

from django.utils import timezone

from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import Round

from .conftest import assert_accessible, log_in, visit
from .test_rounds import staff_member

NAME = "Omgång Webbflöde"


def first_day_term(date):
    return f"{'VT' if date.month <= 6 else 'HT'} {date.year}"


def test_from_an_empty_plan_to_the_attendance_list(page, db_access):
    Round.objects.filter(name=NAME).delete()
    first_day = timezone.localdate() + datetime.timedelta(days=120)
    while first_day.weekday() != 3:
        first_day += datetime.timedelta(days=1)
    log_in(page, "samordnare@example.com")
    visit(page, "/omgangar/ny/")
    page.get_by_label("Kurs:", exact=True).select_option(
        label="Handläggning med barnet i centrum (Ny)"
    )
    page.get_by_label("Namn:", exact=True).fill(NAME)
    page.get_by_label("Termin:", exact=True).select_option(first_day_term(first_day))
    page.get_by_label("Platser:", exact=True).fill("20")
    page.get_by_label("Första kursdagen").fill(first_day.isoformat())
    page.get_by_label("Lokal för den första dagen").select_option(index=1)
    page.get_by_label("Möteslänk för de digitala dagarna").fill("https://mote.example.se/flode")
    page.get_by_label("Anmälan öppnar").fill(timezone.localdate().isoformat())
    closes = first_day - datetime.timedelta(days=14)
    page.get_by_label("Sista anmälningsdag").fill(closes.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa omgången").click()
    round = Round.objects.get(name=NAME)
    assert page.url.endswith(f"/omgangar/{round.pk}/"), page.url
    assert_accessible(page)
    days = list(round.days.order_by("number"))
    assert [d.mode for d in days][:2] == ["physical", "digital"]
    assert days[0].date == first_day

    # Open registration, register a new social worker of the region (everyone in the demo
    # already holds a place on the course or has completed it: one place per course).
    newcomer = staff_member("flode.nykomling@example.com", "0484")
    page.get_by_role("button", name="Öppna anmälan").click()
    round.refresh_from_db()
    assert round.status == Round.Status.OPEN
    visit(page, f"/omgangar/{round.pk}/anmal/")
    page.locator("#id_person").select_option(str(newcomer.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Anmäl", exact=True).click()
    assert page.url.endswith(f"/omgangar/{round.pk}/"), page.url
    assert Registration.objects.filter(round=round, status="registered").count() == 1

    # The attendance list lists the participant and prints cleanly.
    visit(page, f"/omgangar/{round.pk}/narvarolista/")
    person = Registration.objects.get(round=round).person
    assert f"{person.last_name}, {person.first_name}" in page.locator("main").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
