"""The calendar page (/kalender/) and the feed it points to, in the browser."""

from icalendar import Calendar

from yrkesresan.enrolment.models import Registration
from yrkesresan.notifications.models import CalendarFeed
from yrkesresan.rounds.models import Round

from .conftest import assert_accessible, log_in, person_id, visit

PARTICIPANT = "deltagare1@example.com"
COURSE_LEADER = "kursansvarig@example.com"


def seat_participant_in_an_open_round():
    """Give the demo participant a seat in an open demo round (idempotent); returns the round."""
    round = Round.objects.filter(status=Round.Status.OPEN).order_by("pk").first()
    Registration.objects.update_or_create(
        round=round,
        person_id=person_id(PARTICIPANT),
        defaults={"status": Registration.Status.REGISTERED},
    )
    return round


def test_the_participant_sees_and_renews_their_private_address(page, db_access):
    round = seat_participant_in_an_open_round()
    log_in(page, PARTICIPANT)
    visit(page, "/kalender/")
    assert page.locator("h1").count() == 1
    assert page.locator("table caption").count() == 1
    assert page.locator("tbody tr").count() >= round.days.count()
    assert_accessible(page)

    feed = CalendarFeed.objects.get(user_id=person_id(PARTICIPANT))
    address = page.locator("#feed-url").input_value()
    assert address.endswith(f"/kalender/{feed.token}.ics")
    response = page.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.body()).walk("VEVENT")}
    assert {f"{day.uid}@yrkesresan" for day in round.days.all()} <= uids

    with page.expect_navigation():
        page.locator("form.inline-form button[type=submit]").press("Enter")
    assert page.get_by_role("status").count() == 1
    assert_accessible(page)
    feed.refresh_from_db()
    assert page.locator("#feed-url").input_value().endswith(f"/kalender/{feed.token}.ics")
    assert page.request.get(address).status == 404


def test_the_course_leader_s_page_is_accessible(page, db_access):
    log_in(page, COURSE_LEADER)
    visit(page, "/kalender/")
    assert_accessible(page)


def test_the_page_works_on_a_phone(phone_page, db_access):
    seat_participant_in_an_open_round()
    log_in(phone_page, PARTICIPANT)
    visit(phone_page, "/kalender/")
    assert_accessible(phone_page)
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow
