"""Issue 4's whole path in one walk through the browser: a new participant prepares, the course
leader marks attendance and reviews the deep-dive answers, the participant hands them in and
gets the certificate, answers the evaluation, and their manager sees the finished course.

A round of its own ("Omgång hela vägen", Region Mälardalen, two days in the past, led by the
demo's course leader) and a participant of its own in the unit chef.eskilstuna manages, so
the walk starts from nothing each time: both are removed first if an earlier run left them.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment.models import Attendance, Completion, DeepDiveAnswer, Registration
from yrkesresan.evaluations.models import Invitation
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds.models import CourseDay, Round, term_of

from .conftest import DEMO_PASSWORD, assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
COURSE_LEADER = "kursansvarig@example.com"
MANAGER = "chef.eskilstuna@example.com"
PARTICIPANT = "hela.vagen@example.com"
ROUND_NAME = "Omgång hela vägen"


def fresh_round_and_participant():
    Round.objects.filter(name=ROUND_NAME).delete()
    User.objects.filter(email=PARTICIPANT).delete()
    today = timezone.localdate()
    unit = RoleAssignment.objects.get(user__email=MANAGER, role="manager").unit
    person = User.objects.create(
        email=PARTICIPANT,
        first_name="Hedda",
        last_name="Helavägen",
        title="Socialsekreterare",
        municipality=unit.municipality,
        unit=unit,
        profession_started_on=today - datetime.timedelta(days=150),
        password=make_password(DEMO_PASSWORD),
    )
    first_day = today - datetime.timedelta(days=14)
    round = Round.objects.create(
        structure=SupportStructure.objects.get(short_name="Region Mälardalen"),
        course=Course.objects.get(slug=COURSE_SLUG),
        name=ROUND_NAME,
        term=term_of(first_day),
        status=Round.Status.RUNNING,
        seats=20,
        registration_opens_on=first_day - datetime.timedelta(days=60),
        registration_closes_on=first_day - datetime.timedelta(days=14),
        course_leader=User.objects.get(email=COURSE_LEADER),
    )
    for number, mode in [(1, CourseDay.Mode.PHYSICAL), (2, CourseDay.Mode.DIGITAL)]:
        CourseDay.objects.create(
            round=round,
            number=number,
            date=first_day + datetime.timedelta(days=7 * (number - 1)),
            mode=mode,
            meeting_url="https://meet.example.se/hela-vagen" if mode == "digital" else "",
        )
    registration = Registration.objects.create(
        round=round, person=person, status=Registration.Status.REGISTERED
    )
    return round, person, registration


def test_from_preparation_to_certificate_evaluation_and_the_managers_view(page, db_access):
    round, person, registration = fresh_round_and_participant()
    course = round.course
    modules = list(course.preparation_tasks.order_by("order", "pk"))
    tasks = list(course.deep_dive_tasks.order_by("order", "pk"))
    assert modules and tasks

    # 1. The participant finds the course on their start page and prepares.
    log_in(page, PARTICIPANT)
    visit(page, "/")
    assert page.locator(f"main a[href='/mina-kurser/{round.pk}/']").count() >= 1
    visit(page, f"/min-resa/kurser/{COURSE_SLUG}/forberedelser/")
    for module in modules:
        page.locator(f"#klar-knapp-{module.pk}").click()
        page.locator(f"#klar-{module.pk}.done-toggle--done").wait_for()
    assert_accessible(page)

    # 2. The course leader marks both days present, one tap each.
    log_in(page, COURSE_LEADER)
    for number in (1, 2):
        visit(page, f"/omgangar/{round.pk}/narvaro/{number}/")
        page.locator(f"#narvarande-{registration.pk}").click()
        page.wait_for_selector(f"#narvarande-{registration.pk}[aria-pressed=true]")
    assert Attendance.objects.filter(registration=registration, status="present").count() == 2
    assert_accessible(page)

    # 3. The days are over: the participant hands in every deep-dive task.
    log_in(page, PARTICIPANT)
    visit(page, f"/mina-kurser/{round.pk}/")
    for task in tasks:
        page.locator(f"#id_uppgift-{task.pk}-text").fill(f"Mitt svar på {task.title}.")
        with page.expect_navigation():
            page.locator(f"#uppgift-{task.pk} button[value='submit']").click()
    assert set(
        DeepDiveAnswer.objects.filter(registration=registration).values_list("status", flat=True)
    ) == {"submitted"}
    assert_accessible(page)

    # 4. The course leader approves them and marks the course complete.
    log_in(page, COURSE_LEADER)
    visit(page, f"/omgangar/{round.pk}/uppgifter/")
    for answer in DeepDiveAnswer.objects.filter(registration=registration):
        with page.expect_navigation():
            page.locator(f"#svar-{answer.pk} button[value=approve]").click()
    assert set(
        DeepDiveAnswer.objects.filter(registration=registration).values_list("status", flat=True)
    ) == {"approved"}
    visit(page, f"/omgangar/{round.pk}/klarmarkering/")
    assert page.locator(f"#klar-{registration.pk}").is_checked()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    completion = Completion.objects.get(registration=registration)

    # 5. The participant has the certificate in their record and answers the evaluation.
    log_in(page, PARTICIPANT)
    visit(page, "/mitt-register/")
    assert completion.verification_code in page.locator("main").inner_text()
    assert_accessible(page)
    pdf = page.request.get(f"/intyg/pdf/{completion.pk}/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    visit(page, "/utvardering/")
    with page.expect_navigation():
        page.locator(f"main a[href='/utvardering/omgangar/{round.pk}/']").click()
    page.locator("main form.evaluation-form input[type=radio]").nth(3).check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/utvardering/omgangar/{round.pk}/tack/")
    assert Invitation.objects.get(completion=completion).answered

    # 6. Their manager sees the finished course on the person's page.
    log_in(page, MANAGER)
    visit(page, f"/personal/{person.pk}/")
    assert course.title in page.locator("main").inner_text()
    assert completion.verification_code in page.locator("main").inner_text()
    assert_accessible(page)
