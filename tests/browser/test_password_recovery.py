"""Password recovery and the coordinator's e-mail page, in the browser (1280 and 320 px)."""

import re

from django.contrib.auth.hashers import make_password
from django.core import mail

from yrkesresan.accounts.models import User
from yrkesresan.core.models import OutboundEmail
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import Round

from .conftest import assert_accessible, log_in, visit

FORGETFUL = "glomsk@example.com"
COORDINATOR = "samordnare@example.com"
NEW_PASSWORD = "ett-nytt-langt-losenord-2026"


def narrow(page):
    """The page at 320 px: accessible and nothing wider than the screen."""
    page.set_viewport_size({"width": 320, "height": 700})
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    page.set_viewport_size({"width": 1280, "height": 720})


def test_a_person_who_forgot_their_password_chooses_a_new_one(page, db_access):
    person, _created = User.objects.get_or_create(
        email=FORGETFUL, defaults={"first_name": "Glenn", "last_name": "Glömsk"}
    )
    person.password = make_password("ett-bortglomt-losenord")
    person.save()
    mail.outbox.clear()

    page.context.clear_cookies()
    visit(page, "/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.wait_for_url("**/konto/losenord/glomt/")
    assert_accessible(page)
    narrow(page)
    page.get_by_label("E-postadress").fill(FORGETFUL)
    page.get_by_role("button", name="Skicka länken").click()
    page.wait_for_url("**/konto/losenord/glomt/skickat/")
    assert page.locator("h1").inner_text() == "Titta i din e-post"
    assert_accessible(page)
    narrow(page)

    [message] = [m for m in mail.outbox if m.to == [FORGETFUL]]
    link = re.search(r"https?://\S+(/konto/losenord/ny/\S+)", message.body).group(1)
    visit(page, link)
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_url("**/konto/logga-in/")
    log_in(page, FORGETFUL, NEW_PASSWORD)


def test_the_coordinator_sees_a_rounds_undelivered_e_mail_and_reminders(page, db_access):
    round = Round.objects.filter(status=Round.Status.OPEN).order_by("pk").first()
    registration = Registration.objects.filter(round=round).select_related("person").first()
    OutboundEmail.objects.update_or_create(
        key="browser-test:undelivered",
        defaults={
            "round_id": round.pk,
            "recipients": registration.person.email,
            "subject": f"Du har fått en plats på {round.course.title} – {round.name}",
            "content": {},
            "attempts": 3,
            "last_error": "ConnectionRefusedError: [Errno 111] Connection refused",
        },
    )
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/")
    page.get_by_role("link", name="E-post och påminnelser").click()
    page.wait_for_url(f"**/kalender/omgang/{round.pk}/utskick/")
    assert page.get_by_role("cell", name=registration.person.email).count() >= 1
    assert_accessible(page)
    narrow(page)
