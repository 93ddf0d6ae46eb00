"""The course leader's side of a round in the browser: attendance on a tablet (with htmx and
without JavaScript), preparation status, deep-dive review, completion and the certificate, the
public verification page, and the coordinator's make-up days. Every page passes axe-core.

The data is made idempotently inside the tests (matched on names and e-mail addresses): a
running round of the demo course in Region Mälardalen whose first three days are over and whose
fourth is today, led by kursansvarig@example.com, with four new participants of its own, and a
later round that takes people on make-up days. UI text is translated later, so elements are
found by their ids and structure, not by their words.
"""

import datetime
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment.models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    PreparationProgress,
    Registration,
)
from yrkesresan.organisations.models import SupportStructure, Unit
from yrkesresan.rounds.models import CourseDay, Round, term_of

from .conftest import DEMO_PASSWORD, assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
COURSE_LEADER = "kursansvarig@example.com"
COORDINATOR = "samordnare@example.com"
ROUND_NAME = "Omgång kursledartest"
LATER_NAME = "Omgång kursledartest senare"
# marks: attendance is marked on the tablet; ready: everything done, to be marked complete;
# review: an answer waiting for review; missed: absent on day 2, for a make-up day.
PEOPLE = {
    "marks": ("kl.narvaro@example.com", "Tove", "Tablettsson"),
    "ready": ("kl.klar@example.com", "Klara", "Klarsson"),
    "review": ("kl.svar@example.com", "Sven", "Svarsson"),
    "missed": ("kl.missad@example.com", "Mia", "Missadsson"),
}


def make_round(name, first_day, status):
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    course = Course.objects.get(slug=COURSE_SLUG)
    round, created = Round.objects.get_or_create(
        structure=structure,
        course=course,
        name=name,
        defaults={
            "term": term_of(first_day),
            "status": status,
            "seats": 20,
            "registration_opens_on": first_day - datetime.timedelta(days=60),
            "registration_closes_on": first_day - datetime.timedelta(days=14),
            "course_leader": User.objects.get(email=COURSE_LEADER),
        },
    )
    if created:
        for number in range(1, 5):
            CourseDay.objects.create(
                round=round,
                number=number,
                date=first_day + datetime.timedelta(days=7 * (number - 1)),
                mode=CourseDay.Mode.PHYSICAL if number == 1 else CourseDay.Mode.DIGITAL,
                meeting_url="" if number == 1 else "https://meet.example.se/kursledare",
            )
    return round


def the_rounds():
    """(round, later round, {key: registration}) made once and reused."""
    today = timezone.localdate()
    round = make_round(ROUND_NAME, today - datetime.timedelta(days=21), Round.Status.RUNNING)
    later = make_round(LATER_NAME, today + datetime.timedelta(days=14), Round.Status.OPEN)
    unit = Unit.objects.filter(municipality__code="0484").order_by("pk").first()
    password = make_password(DEMO_PASSWORD)
    registrations = {}
    for key, (email, first_name, last_name) in PEOPLE.items():
        person, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "title": "Socialsekreterare",
                "municipality": unit.municipality,
                "unit": unit,
                "profession_started_on": today - datetime.timedelta(days=200),
                "password": password,
            },
        )
        registrations[key], _ = Registration.objects.get_or_create(
            round=round, person=person, defaults={"status": Registration.Status.REGISTERED}
        )
    days = list(round.days.order_by("number"))
    course = round.course
    # Ready: present every day, preparation done, every task approved.
    ready = registrations["ready"]
    for day in days:
        Attendance.objects.get_or_create(
            registration=ready, day=day, defaults={"status": "present"}
        )
    for person_key in ["ready", "review"]:
        for task in course.preparation_tasks.all():
            PreparationProgress.objects.get_or_create(
                person=registrations[person_key].person,
                task=task,
                defaults={"done_at": timezone.now()},
            )
    for task in course.deep_dive_tasks.all():
        DeepDiveAnswer.objects.get_or_create(
            registration=ready,
            task=task,
            defaults={"text": "Klart.", "status": "approved", "submitted_at": timezone.now()},
        )
        DeepDiveAnswer.objects.get_or_create(
            registration=registrations["review"],
            task=task,
            defaults={
                "text": "Barnets egna ord finns med i utredningen.",
                "status": "submitted",
                "submitted_at": timezone.now(),
            },
        )
    Attendance.objects.get_or_create(
        registration=registrations["missed"], day=days[1], defaults={"status": "absent"}
    )
    return round, later, registrations


@pytest.fixture
def tablet_page(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server,
        bypass_csp=True,
        locale="sv-SE",
        viewport={"width": 820, "height": 1180},
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def no_js_page(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server, bypass_csp=True, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


def attendance_url(round, number):
    return f"/omgangar/{round.pk}/narvaro/{number}/"


def count_of(page, kind):
    return int(
        re.search(r"\d+", page.locator(f"#attendance-counts .count--{kind}").inner_text())[0]
    )


def test_the_course_leader_marks_attendance_with_one_tap_on_a_tablet(tablet_page, db_access):
    page = tablet_page
    round, _later, registrations = the_rounds()
    registration = registrations["marks"]
    Attendance.objects.filter(registration=registration).delete()
    log_in(page, COURSE_LEADER)
    visit(page, f"/omgangar/{round.pk}/narvaro/")
    assert_accessible(page)
    visit(page, attendance_url(round, 3))
    assert_accessible(page)
    row = page.locator(f"#rad-{registration.pk}")
    present = page.locator(f"#narvarande-{registration.pk}")
    box = present.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 100  # a target for a finger
    before = count_of(page, "present")

    present.tap()
    page.wait_for_selector(f"#narvarande-{registration.pk}[aria-pressed=true]")
    # Wait for htmx to settle the swapped row before reading it.
    page.wait_for_selector(f"#rad-{registration.pk}.attendance-row--present:not(.htmx-settling)")
    assert "attendance-row--present" in row.get_attribute("class")
    assert count_of(page, "present") == before + 1
    assert page.url.endswith(attendance_url(round, 3))  # no page load: htmx swapped the row
    assert Attendance.objects.get(registration=registration, day__number=3).status == "present"

    # Partly present needs a note: the browser asks for it, and the server says why too.
    page.locator(f"#delvis-{registration.pk}").tap()
    note = page.locator(f"#anteckning-{registration.pk}")
    note.evaluate("input => input.removeAttribute('required')")
    page.locator(f"#spara-delvis-{registration.pk}").tap()
    page.wait_for_selector(f"#fel-{registration.pk}[role=alert]")
    assert Attendance.objects.get(registration=registration, day__number=3).status == "present"
    assert_accessible(page)
    page.locator(f"#anteckning-{registration.pk}").fill("Gick 13.00, akut ärende")
    page.locator(f"#spara-delvis-{registration.pk}").tap()
    page.wait_for_selector(f"#rad-{registration.pk}.attendance-row--partly")
    assert page.locator(f"#fel-{registration.pk}").count() == 0
    attendance = Attendance.objects.get(registration=registration, day__number=3)
    assert (attendance.status, attendance.note) == ("partly", "Gick 13.00, akut ärende")
    assert count_of(page, "present") == before
    assert count_of(page, "partly") >= 1
    assert_accessible(page)


def test_marking_by_keyboard_keeps_the_focus_on_the_row(page, db_access):
    round, _later, registrations = the_rounds()
    registration = registrations["marks"]
    log_in(page, COURSE_LEADER)
    visit(page, attendance_url(round, 2))
    absent = page.locator(f"#franvarande-{registration.pk}")
    absent.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#franvarande-{registration.pk}[aria-pressed=true]")
    assert page.evaluate("document.activeElement.id") == f"franvarande-{registration.pk}"
    assert Attendance.objects.get(registration=registration, day__number=2).status == "absent"


def test_attendance_works_without_javascript(no_js_page, db_access):
    page = no_js_page
    round, _later, registrations = the_rounds()
    registration = registrations["marks"]
    log_in(page, COURSE_LEADER)
    visit(page, attendance_url(round, 1))
    with page.expect_navigation():
        page.locator(f"#narvarande-{registration.pk}").click()
    assert page.url.endswith(f"{attendance_url(round, 1)}#rad-{registration.pk}")
    assert page.locator(".messages[role=status]").count() == 1
    assert page.locator(f"#narvarande-{registration.pk}").get_attribute("aria-pressed") == "true"
    assert Attendance.objects.get(registration=registration, day__number=1).status == "present"


def test_preparation_and_review_pages(page, db_access):
    round, _later, registrations = the_rounds()
    answer = DeepDiveAnswer.objects.filter(registration=registrations["review"]).first()
    DeepDiveAnswer.objects.filter(pk=answer.pk).update(status="submitted", feedback="")
    log_in(page, COURSE_LEADER)
    visit(page, f"/omgangar/{round.pk}/forberedelse/")
    assert page.locator("main table tbody tr", has_text="Tablettsson").count() == 1
    assert_accessible(page)

    visit(page, f"/omgangar/{round.pk}/uppgifter/")
    article = page.locator(f"#svar-{answer.pk}")
    assert "Barnets egna ord" in article.inner_text()
    assert_accessible(page)
    # Asking for more without feedback is refused with the reason, then sent with it.
    with page.expect_navigation():
        article.locator("button[value=more]").click()
    assert page.locator(f"#svar-{answer.pk} .errorlist").count() == 1
    assert_accessible(page)
    article = page.locator(f"#svar-{answer.pk}")
    article.locator("textarea").fill("Beskriv också hur barnet fick återkoppling.")
    with page.expect_navigation():
        article.locator("button[value=more]").click()
    answer.refresh_from_db()
    assert answer.status == "needs_more"
    assert page.locator(".messages[role=status]").count() == 1
    assert page.locator(f"#svar-{answer.pk}").count() == 0
    assert_accessible(page)


def test_completion_certificate_and_public_check(page, db_access):
    round, _later, registrations = the_rounds()
    ready = registrations["ready"]
    log_in(page, COURSE_LEADER)
    visit(page, f"/omgangar/{round.pk}/klarmarkering/")
    assert_accessible(page)
    if not Completion.objects.filter(registration=ready).exists():
        box = page.locator(f"#klar-{ready.pk}")
        assert box.is_checked()
        # Only the ready are offered: the others say what is missing.
        assert page.locator(f"#klar-{registrations['marks'].pk}").count() == 0
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert page.locator(".messages[role=status]").count() == 1
        assert_accessible(page)
    completion = Completion.objects.get(registration=ready)

    # The person downloads their certificate.
    log_in(page, ready.person.email)
    response = page.request.get(f"/intyg/pdf/{completion.pk}/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    # The course leader may not: they do not see the person's record.
    log_in(page, COURSE_LEADER)
    assert page.request.get(f"/intyg/pdf/{completion.pk}/").status == 404

    # Anyone checks the code, typed in lower case without dashes.
    page.context.clear_cookies()
    visit(page, "/intyg/")
    assert_accessible(page)
    page.locator("#id_kod").fill(completion.verification_code.replace("-", "").lower())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/intyg/{completion.verification_code}/")
    text = page.locator("main").inner_text()
    assert "Klara Klarsson" in text
    assert ready.person.email not in text
    assert "Eskilstuna" not in text
    assert_accessible(page)
    visit(page, "/intyg/ABCD-EFGH-JKLM/", status=404)
    assert page.locator("main [role=alert]").count() == 1
    assert_accessible(page)


def test_the_coordinator_books_a_make_up_day(page, db_access):
    round, later, registrations = the_rounds()
    missed = registrations["missed"]
    MakeUpDay.objects.filter(registration=missed).delete()
    later_day = later.days.get(number=2)
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/{round.pk}/ersattningsdagar/")
    assert_accessible(page)
    select = page.locator(f"#dag-{missed.pk}-2")
    select.select_option(value=str(later_day.pk))
    with page.expect_navigation():
        select.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert page.locator(".messages[role=status]").count() == 1
    assert MakeUpDay.objects.get(registration=missed).day == later_day
    assert_accessible(page)
    # The later round's list for that day shows the person, from their own round.
    log_in(page, COURSE_LEADER)
    visit(page, attendance_url(later, 2))
    assert page.locator(f"#rad-{missed.pk} .badge").count() == 1
    assert_accessible(page)
