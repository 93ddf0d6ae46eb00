"""Trainers on the course days: the staffing page and a trainer's own days, in the browser.

Two rounds of the demo course in Region Mälardalen on the same dates: A staffed as the seed
does it (two teams of four, the course leader), B with the same course leader and no teams,
so that B shows its warnings. Both are made idempotently: the data stays between tests.
"""

import datetime

from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.demo.staffing import seed_staffing
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds.models import Round, Venue
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing.models import TeamDay
from yrkesresan.staffing.services import set_course_leader

from .conftest import PHONE_WIDTH, assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
TRAINERS = [f"utbildare{n}@example.com" for n in range(1, 9)]
COURSE_LEADER = "kursansvarig@example.com"


def round_named(name, structure, venue):
    round = Round.objects.filter(structure=structure, name=name).first()
    if round is None:
        first_day = timezone.localdate() + datetime.timedelta(days=200)
        course = Course.objects.get(slug=COURSE_SLUG)
        round = make_round(course, structure, name=name, first_day=first_day, venue=venue)
    return round


def staffed_rounds():
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    venue, _ = Venue.objects.get_or_create(
        structure=structure,
        name="Testlokalen för utbildare",
        defaults={
            "address": "Storgatan 1, 632 20 Eskilstuna",
            "room": "Sal 2",
            "capacity": 30,
            "accessibility_notes": "Hiss och hörslinga.",
        },
    )
    leader = User.objects.get(email=COURSE_LEADER)
    staffed = round_named("Omgång utbildare A", structure, venue)
    seed_staffing(staffed, [User.objects.get(email=e) for e in TRAINERS], leader)
    unstaffed = round_named("Omgång utbildare B", structure, venue)
    set_course_leader(unstaffed, leader, by=None)
    return staffed, unstaffed


def staffing_url(round):
    return f"/omgangar/{round.pk}/utbildare/"


def test_the_coordinator_sees_warnings_and_the_page_is_accessible(page, db_access):
    staffed, unstaffed = staffed_rounds()
    log_in(page, "samordnare@example.com")
    visit(page, staffing_url(unstaffed))
    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert alert.locator("li").count() >= 4  # four days without a team, at least
    assert_accessible(page)
    visit(page, staffing_url(staffed))
    assert page.locator("select").count() >= 5  # the course leader and one per day
    assert_accessible(page)


def test_the_coordinator_gives_a_day_to_the_other_team(page, db_access):
    staffed, _ = staffed_rounds()
    day = staffed.days.get(number=1)
    log_in(page, "samordnare@example.com")
    visit(page, staffing_url(staffed))
    select = page.locator(f"#id_day-{day.pk}-team")
    select.select_option(label="Team 2")
    # By keyboard: from the select, Tab reaches the row's own Save button.
    select.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".messages[role=status]").count() == 1
    assert TeamDay.objects.get(day=day).team.name == "Team 2"
    assert_accessible(page)
    seed_staffing(staffed, [User.objects.get(email=e) for e in TRAINERS], staffed.course_leader)


def test_the_course_leader_and_a_trainer_read_the_staffing(page, db_access):
    staffed, _ = staffed_rounds()
    for email in [COURSE_LEADER, "utbildare1@example.com"]:
        log_in(page, email)
        visit(page, staffing_url(staffed))
        assert page.locator("main select").count() == 0
        assert_accessible(page)


def test_a_trainers_own_days_are_accessible(page, db_access):
    staffed, _ = staffed_rounds()
    log_in(page, "utbildare1@example.com")
    visit(page, "/mina-dagar/")
    cards = page.locator("main .card", has_text=staffed.name)
    assert cards.count() == 2  # Team 1 takes days 1 and 2
    assert "Storgatan 1" in cards.first.inner_text()
    assert_accessible(page)
    log_in(page, COURSE_LEADER)
    visit(page, "/mina-dagar/")
    assert page.locator("main .card", has_text=staffed.name).count() == 4
    assert_accessible(page)


def test_someone_without_days_gets_an_accessible_empty_page(page, db_access):
    log_in(page, "deltagare1@example.com")
    visit(page, "/mina-dagar/")
    assert page.locator("main .card").count() == 0
    assert_accessible(page)


def test_the_staffing_page_fits_a_phone(phone_page, db_access):
    staffed, _ = staffed_rounds()
    log_in(phone_page, "samordnare@example.com")
    visit(phone_page, staffing_url(staffed))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_accessible(phone_page)
