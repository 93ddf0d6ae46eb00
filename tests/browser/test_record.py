"""The record that follows the person, the manager's staff view, moving to another
municipality, the colleague search and the course material, in the browser with axe-core.

Data beyond the demo is made idempotently here: a finished participant with a certificate and
a person to move back and forth between Eskilstuna and Kumla.
"""

import datetime
import json

from django.utils import timezone
from playwright.sync_api import expect

from yrkesresan.accounts.models import EmployerChange, RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.demo.materials import seed_materials
from yrkesresan.enrolment.certificates import new_verification_code, present_days, what_was_taught
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.materials.models import Material
from yrkesresan.organisations.models import Municipality, Unit
from yrkesresan.rounds.models import Round

from .conftest import PHONE_WIDTH, assert_accessible, log_in, person_id, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
FINISHED = "deltagare2@example.com"
MANAGER = "chef.eskilstuna@example.com"
MOVER = "flyttar.testsson@example.com"
UTREDNING = "Utredningsenheten barn och familj"


def finished_participant():
    """deltagare2 with a completed course and its certificate (the demo's, or one made here)."""
    person = User.objects.get(email=FINISHED)
    completion = Completion.objects.filter(person=person).select_related("course").first()
    if completion is not None:
        return person, completion
    course = Course.objects.get(slug=COURSE_SLUG)
    round = Round.objects.filter(course=course).order_by("pk").first()
    registration, _ = Registration.objects.get_or_create(
        round=round, person=person, defaults={"status": Registration.Status.REGISTERED}
    )
    completion = Completion.objects.create(
        registration=registration,
        person=person,
        course=course,
        completed_on=timezone.localdate() - datetime.timedelta(days=40),
        verification_code=new_verification_code(),
        attended_days=present_days([registration]).get(registration.pk, []),
        **what_was_taught(course),
    )
    return person, completion


def mover_in_eskilstuna():
    """A social worker in the Eskilstuna manager's unit, back where the tests expect them."""
    unit = Unit.objects.get(municipality__code="0484", name=UTREDNING)
    person, _ = User.objects.get_or_create(
        email=MOVER,
        defaults={"first_name": "Flyttar", "last_name": "Testsson", "title": "Socialsekreterare"},
    )
    person.municipality, person.unit = unit.municipality, unit
    person.profession_started_on = timezone.localdate() - datetime.timedelta(days=200)
    person.save()
    EmployerChange.objects.filter(person=person).delete()
    return person


def test_the_participant_reads_and_downloads_their_record(page, db_access):
    person, completion = finished_participant()
    log_in(page, FINISHED)
    visit(page, "/mitt-register/")
    assert page.locator("h1").count() == 1
    main = page.locator("main").inner_text()
    assert completion.course.title in main
    assert completion.verification_code in main
    assert_accessible(page)
    response = page.request.get("/mitt-register.json")
    assert response.status == 200
    data = json.loads(response.body())
    assert data["person"]["email"] == FINISHED
    assert completion.verification_code in [c["verification_code"] for c in data["completions"]]
    pdf = page.request.get("/mitt-register.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")


def test_the_record_fits_a_phone(phone_page, db_access):
    finished_participant()
    log_in(phone_page, FINISHED)
    visit(phone_page, "/mitt-register/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_accessible(phone_page)


def test_the_manager_sees_staff_who_need_a_place_and_a_persons_record(page, db_access):
    log_in(page, MANAGER)
    visit(page, "/personal/")
    assert page.locator("main tbody tr").count() >= 1
    assert_accessible(page)
    page.locator("#id_needs_place").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sök").click()
    assert "needs_place=on" in page.url
    assert_accessible(page)
    visit(page, f"/personal/{person_id('deltagare1@example.com')}/")
    assert page.locator("main").get_by_text("Nora Lindholm").count() >= 1
    assert_accessible(page)


def test_the_manager_moves_a_person_to_kumla_with_htmx(page, db_access):
    person = mover_in_eskilstuna()
    kumla = Municipality.objects.get(code="1881")
    kumla_unit = Unit.objects.filter(municipality=kumla).order_by("name").first()
    log_in(page, MANAGER)
    visit(page, f"/personal/{person.pk}/flytt/")
    assert_accessible(page)
    with page.expect_response(lambda r: "/flytt/?municipality=" in r.url):
        page.locator("#id_municipality").select_option(str(kumla.pk))
    # The response is in before htmx has swapped the list: wait for the swap.
    expect(page.locator("#id_unit")).to_contain_text(kumla_unit.name)
    page.locator("#id_unit").select_option(str(kumla_unit.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name])").click()
    # The old manager no longer sees the person: back on the staff list, told so.
    assert page.url.endswith("/personal/")
    assert page.locator(".messages[role=status]").count() == 1
    assert MOVER not in page.locator("main").inner_text()
    assert_accessible(page)
    person.refresh_from_db()
    assert (person.municipality, person.unit) == (kumla, kumla_unit)
    assert visit(page, f"/personal/{person.pk}/", status=404)
    mover_in_eskilstuna()


def test_moving_without_javascript(browser, demo_server, db_access):
    person = mover_in_eskilstuna()
    kumla = Municipality.objects.get(code="1881")
    context = browser.new_context(base_url=demo_server, java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, MANAGER)
        visit(page, f"/personal/{person.pk}/flytt/")
        page.locator("#id_municipality").select_option(str(kumla.pk))
        with page.expect_navigation():
            page.locator("button[name=show_units]").click()
        names = page.locator("#id_unit option").all_inner_texts()
        expected = list(Unit.objects.filter(municipality=kumla).values_list("name", flat=True))
        assert set(expected) <= set(names)
        assert EmployerChange.objects.filter(person=person).count() == 0
    finally:
        context.close()
        mover_in_eskilstuna()


def test_colleagues_in_other_municipalities(page, db_access):
    log_in(page, "deltagare1@example.com")
    visit(page, "/kollegor/")
    cards = page.locator(".colleague-list > li")
    assert cards.count() >= 1
    assert_accessible(page)
    findable = set(
        User.objects.filter(findable_by_colleagues=True, is_active=True).values_list(
            "email", flat=True
        )
    )
    for email in page.locator(".colleague-list a[href^='mailto:']").all_inner_texts():
        assert email in findable
    trainer_roles = RoleAssignment.objects.filter(role="trainer").values_list("user", flat=True)
    expected = User.objects.filter(
        findable_by_colleagues=True, is_active=True, pk__in=trainer_roles
    ).count()
    page.locator("#id_role").select_option("trainer")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert page.locator(".colleague-list > li").count() == min(expected, 24)
    assert_accessible(page)


def test_course_material_for_participants_and_trainers(page, db_access):
    seed_materials()
    course = Course.objects.get(slug=COURSE_SLUG)
    guide = Material.objects.get(
        course=course, audience="trainer", title="Handledning för utbildare", version="2.1"
    )
    person, _ = finished_participant()
    log_in(page, person.email)
    visit(page, f"/material/{COURSE_SLUG}/")
    assert page.locator("main h2").count() >= 5  # the whole course and four days
    assert_accessible(page)
    visit(page, f"/material/{COURSE_SLUG}/utbildare/", status=403)
    log_in(page, "utbildare1@example.com")
    visit(page, f"/material/{COURSE_SLUG}/utbildare/")
    assert "2.1" in page.locator("main").inner_text()
    assert_accessible(page)
    visit(page, f"/material/{COURSE_SLUG}/{guide.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Handledning för utbildare"
    assert_accessible(page)
