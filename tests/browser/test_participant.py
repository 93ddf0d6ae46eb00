"""The participant's side in the browser: the journey map on the start page (desktop, phone,
keyboard), the notice of a new step, preparation with htmx and private notes, and the course
page with its deep-dive form. Every page passes axe-core.

deltagare1@example.com has a place in Omgång 3 of the demo course. Tests reset what they
change at their start, so they can run in any order and again.
"""

import datetime

import pytest
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Journey, PreparationTask
from yrkesresan.enrolment.models import DeepDiveAnswer, PreparationProgress, Registration, StepSeen
from yrkesresan.learning.journey_map import journey_map_for
from yrkesresan.organisations.models import Municipality

from .conftest import DEMO_PASSWORD, assert_accessible, log_in, visit

PARTICIPANT = "deltagare1@example.com"
COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
MOVED_UP = "resenar.van@example.com"


def own_registration():
    # The demo's running round; other browser tests may register deltagare1 elsewhere too.
    return Registration.objects.select_related("round").get(
        person__email=PARTICIPANT,
        round__course__slug=COURSE_SLUG,
        round__name="Omgång 4",
        status="registered",
    )


def modules():
    return list(PreparationTask.objects.filter(course__slug=COURSE_SLUG).order_by("order", "pk"))


@pytest.fixture
def participant(db_access):
    """deltagare1, with their preparation and deep-dive answers put back as the seed left them
    once the test is done (other tests read them)."""
    person = User.objects.get(email=PARTICIPANT)
    progress = list(PreparationProgress.objects.filter(person=person).values())
    answers = list(DeepDiveAnswer.objects.filter(registration__person=person).values())
    yield person
    PreparationProgress.objects.filter(person=person).delete()
    PreparationProgress.objects.bulk_create(PreparationProgress(**row) for row in progress)
    DeepDiveAnswer.objects.filter(registration__person=person).delete()
    DeepDiveAnswer.objects.bulk_create(DeepDiveAnswer(**row) for row in answers)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_journey_map_is_a_list_with_the_current_step_and_the_next_thing(page, participant):
    PreparationProgress.objects.filter(person=participant).delete()
    log_in(page, PARTICIPANT)
    visit(page, "/")
    route = page.locator("ol.journey-route")
    assert route.locator(":scope > li").count() >= 3
    current = route.locator(":scope > li[aria-current='step']")
    assert current.count() == 1
    assert "Ny" in current.locator("h3").inner_text()
    assert (
        current.locator("a.stop__title", has_text="Handläggning med barnet i centrum").count() == 1
    )
    # The one next thing, as journey_map.next_thing chose it (preparation is undone now, so
    # it is module 1 unless a course day is today or tomorrow).
    expected = journey_map_for(participant).next
    assert expected.kind in ("preparation", "course_day")
    next_link = page.locator(".next-thing a")
    assert next_link.inner_text() == expected.text
    assert next_link.get_attribute("href") == expected.url
    assert_accessible(page)

    # Keyboard: focus the next thing, Enter follows it.
    next_link.focus()
    assert next_link.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{expected.url.split('#')[0]}")
    assert page.get_by_role("heading", level=1).is_visible()


def test_the_journey_map_fits_a_phone(phone_page, participant):
    log_in(phone_page, PARTICIPANT)
    visit(phone_page, "/")
    assert phone_page.locator("ol.journey-route li[aria-current='step']").is_visible()
    assert fits_the_screen(phone_page)
    assert_accessible(phone_page)
    visit(phone_page, f"/mina-kurser/{own_registration().round_id}/")
    assert fits_the_screen(phone_page)
    assert_accessible(phone_page)


def test_moving_up_a_step_is_told_once_and_dismissed(page, db_access):
    journey = Journey.objects.get(slug="barn-och-unga")
    person = User.objects.filter(email=MOVED_UP).first()
    if person is None:
        person = User.objects.create_user(
            MOVED_UP,
            DEMO_PASSWORD,
            first_name="Vera",
            last_name="Vansson",
            municipality=Municipality.objects.get(code="0484"),
            profession_started_on=timezone.localdate() - datetime.timedelta(days=3 * 365),
        )
    StepSeen.objects.update_or_create(
        person=person, journey=journey, defaults={"step": journey.steps.get(slug="ny")}
    )
    try:
        log_in(page, MOVED_UP)
        visit(page, "/")
        notice = page.locator("#steg-notis")
        assert "Van" in notice.inner_text()
        assert_accessible(page)
        page.evaluate("window.stillThisPage = true")
        notice.get_by_role("button").click()
        notice.wait_for(state="detached")
        assert page.evaluate("window.stillThisPage === true")  # htmx: no page load
        assert StepSeen.objects.get(person=person, journey=journey).step.slug == "van"
        visit(page, "/")
        assert page.locator("#steg-notis").count() == 0
    finally:
        person.delete()  # nobody else's list should meet this person


def test_preparation_is_marked_done_and_undone_by_keyboard_without_a_page_load(page, participant):
    first = modules()[0]
    PreparationProgress.objects.filter(person=participant).delete()
    log_in(page, PARTICIPANT)
    visit(page, f"/min-resa/kurser/{COURSE_SLUG}/forberedelser/")
    assert page.locator("ol.modules > li").count() == len(modules())
    assert_accessible(page)
    status = page.locator("#forberedelse-status")
    before = status.inner_text()
    page.evaluate("window.stillThisPage = true")

    button = page.locator(f"#klar-knapp-{first.pk}")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(f"#klar-{first.pk}.done-toggle--done").wait_for()
    assert status.inner_text() != before
    assert page.evaluate("window.stillThisPage === true")
    assert PreparationProgress.objects.get(person__email=PARTICIPANT, task=first).is_done
    # Focus stays on the (new) button, so Enter again undoes it.
    assert page.evaluate("document.activeElement.id") == f"klar-knapp-{first.pk}"
    page.keyboard.press("Enter")
    page.locator(f"#klar-{first.pk}:not(.done-toggle--done)").wait_for()
    assert status.inner_text() == before
    assert not PreparationProgress.objects.get(person__email=PARTICIPANT, task=first).is_done
    assert_accessible(page)


def test_reflection_notes_are_saved_on_the_module_page(page, participant):
    reflection = next(m for m in modules() if m.kind == "reflection")
    PreparationProgress.objects.filter(person=participant, task=reflection).delete()
    log_in(page, PARTICIPANT)
    visit(page, f"/min-resa/kurser/{COURSE_SLUG}/forberedelser/{reflection.pk}/")
    assert page.locator("ol.questions li").count() == len(reflection.questions())
    assert_accessible(page)
    page.locator("#id_notes").fill("Jag vill bli tryggare i barnsamtal.")
    page.locator("form[action$='/anteckningar/'] button[type='submit']").click()
    page.wait_for_load_state()
    assert page.locator("#id_notes").input_value() == "Jag vill bli tryggare i barnsamtal."
    assert page.get_by_role("status").first.is_visible()
    assert_accessible(page)


def test_the_course_page_shows_days_people_and_saves_a_draft(page, participant):
    registration = own_registration()
    DeepDiveAnswer.objects.filter(registration=registration).delete()
    log_in(page, PARTICIPANT)
    visit(page, f"/mina-kurser/{registration.round_id}/")
    assert page.locator("ol.course-days > li").count() == registration.round.days.count()
    assert page.locator("caption").count() == 1  # the attendance table
    assert page.locator("ul.people li").count() >= 2  # the course leader and others
    assert_accessible(page)

    task = registration.round.course.deep_dive_tasks.order_by("order", "pk").first()
    field = page.locator(f"#id_uppgift-{task.pk}-text")
    field.fill("Mitt första utkast om mål för insatser.")
    page.locator(f"#uppgift-{task.pk} button[value='save']").click()
    page.wait_for_url(f"**/mina-kurser/{registration.round_id}/#uppgift-{task.pk}")
    assert field.input_value() == "Mitt första utkast om mål för insatser."
    answer = DeepDiveAnswer.objects.get(registration=registration, task=task)
    assert answer.status == "draft"
    # The days are still to come, so there is no hand-in button yet.
    assert page.locator(f"#uppgift-{task.pk} button[value='submit']").count() == 0
    assert_accessible(page)
