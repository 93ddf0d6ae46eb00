"""The follow-up evaluation in the browser: a completed participant answers by keyboard, the
course leader reads the round's results and the coordinator compares physical and digital days.

One completed round of the demo course, "Omgång utvärderingstest" in Region Mälardalen, with
twelve completed people of whom the demo answers (seed_evaluation_answers) answer about 70 %.
Each answering test brings its own completed person, since an evaluation is answered once.
Everything is made idempotently: the data stays between tests.
"""

import random
import uuid

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.demo.evaluations import seed_evaluation_answers
from yrkesresan.enrolment.models import Completion
from yrkesresan.evaluations.models import Answer, Invitation, Question
from yrkesresan.evaluations.services import move_sealed_answers
from yrkesresan.evaluations.tests.helpers import complete, completed_round
from yrkesresan.organisations.models import Municipality, SupportStructure
from yrkesresan.rounds.models import Round

from .conftest import DEMO_PASSWORD, assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
ROUND_NAME = "Omgång utvärderingstest"
COURSE_LEADER = "kursansvarig@example.com"
COORDINATOR = "samordnare@example.com"
PEOPLE = 12


def person(email):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            first_name="Testperson",
            last_name=email.split("@")[0],
            municipality=Municipality.objects.get(code="0484"),
            title="Socialsekreterare",
        )
    return user


def evaluated_round():
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    round = Round.objects.filter(structure=structure, name=ROUND_NAME).first()
    if round is None:
        course = Course.objects.get(slug=COURSE_SLUG)
        round = completed_round(course, structure, name=ROUND_NAME, days_ago=150)
        round.course_leader = User.objects.get(email=COURSE_LEADER)
        round.save()
        people = [person(f"utvardering.{n}@example.com") for n in range(PEOPLE)]
        completions = [complete(p, round).completion for p in people]
        seed_evaluation_answers(round, completions, random.Random(4))
    return round


def invited(email):
    """A completed person of the round with their unanswered invitation."""
    round = evaluated_round()
    completion = Completion.objects.filter(person__email=email, course=round.course).first()
    if completion is None:
        return complete(person(email), round)
    return completion.evaluation_invitation


def answer_url(round):
    return f"/utvardering/omgangar/{round.pk}/"


def radio(page, question, day, score):
    # Scores 1–5 are the first five options; the sixth is "no answer".
    index = 5 if score is None else score - 1
    return page.locator(f"#id_day-{day.pk}-q{question.pk}_{index}")


def test_a_participant_answers_by_keyboard_and_is_thanked(page, db_access):
    invitation = invited("utvardering.tangentbord@example.com")
    round = invitation.round
    day_1 = round.days.get(number=1)
    useful = Question.objects.get(about="day", order=1)
    form = Question.objects.get(about="day", order=2)
    log_in(page, "utvardering.tangentbord@example.com")
    visit(page, answer_url(round))
    assert page.locator("fieldset.evaluation-section > legend").count() == 5
    assert_accessible(page)

    # Into the first scale: arrows move between the scores (from "no answer" back to 5, 4).
    radio(page, useful, day_1, None).focus()
    page.keyboard.press("ArrowLeft")
    assert radio(page, useful, day_1, 5).is_checked()
    page.keyboard.press("ArrowLeft")
    assert radio(page, useful, day_1, 4).is_checked()
    # Tab leaves the group for the next question's scale.
    page.keyboard.press("Tab")
    assert radio(page, form, day_1, None).evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert radio(page, form, day_1, 3).is_checked()
    # Tab to the day's free text and write in it.
    words = f"Mer tid för övningar ({uuid.uuid4().hex[:8]})."
    page.keyboard.press("Tab")
    page.keyboard.type(words)
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"/utvardering/omgangar/{round.pk}/tack/")
    assert page.get_by_role("status").count() >= 1
    assert_accessible(page)
    assert Invitation.objects.get(pk=invitation.pk).answered
    # The answers wait sealed for a batch of five; the round's last few move on schedule.
    assert not Answer.objects.filter(text=words).exists()
    assert move_sealed_answers(round.pk, force=True) == 1
    assert Answer.objects.filter(text=words, day=day_1).count() == 1
    assert Answer.objects.filter(question=form, day=day_1, score=3).exists()

    # Back to the form: it says the evaluation is answered, and is accessible.
    visit(page, answer_url(round))
    assert page.locator("main form.evaluation-form").count() == 0
    assert_accessible(page)


def test_sending_nothing_shows_an_accessible_error(page, db_access):
    invitation = invited("utvardering.tom@example.com")
    log_in(page, "utvardering.tom@example.com")
    visit(page, answer_url(invitation.round))
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)
    assert not Invitation.objects.get(pk=invitation.pk).answered


def test_the_form_is_accessible_on_a_phone(phone_page, db_access):
    invitation = invited("utvardering.telefon@example.com")
    log_in(phone_page, "utvardering.telefon@example.com")
    visit(phone_page, answer_url(invitation.round))
    assert_accessible(phone_page)


def test_the_course_leader_reads_the_results_of_the_round(page, db_access):
    round = evaluated_round()
    log_in(page, COURSE_LEADER)
    visit(page, "/utvardering/")
    assert page.locator(f"a[href='/utvardering/omgangar/{round.pk}/resultat/']").count() == 1
    assert_accessible(page)
    visit(page, f"/utvardering/omgangar/{round.pk}/resultat/")
    assert page.locator("main table caption").count() >= 6  # four days, the course, modes
    assert " %" in page.locator(".response-rate").inner_text()
    assert page.locator(".free-texts li").count() >= 1  # at least five have answered
    assert_accessible(page)


def test_the_coordinator_compares_physical_and_digital_days(page, db_access):
    evaluated_round()
    log_in(page, COORDINATOR)
    visit(page, "/utvardering/")
    comparison = f"/utvardering/kurser/{COURSE_SLUG}/"
    assert page.locator(f"main a[href='{comparison}']").count() == 1
    assert_accessible(page)
    visit(page, comparison)
    table = page.locator("main table.comparison")
    assert table.locator("tbody").count() == 2  # the two scale questions about the days
    assert table.locator("meter").count() >= 2
    assert_accessible(page)


def test_a_participant_without_results_sees_an_accessible_index(page, db_access):
    invited("utvardering.index@example.com")
    log_in(page, "utvardering.index@example.com")
    visit(page, "/utvardering/")
    assert page.locator("main table").count() == 0
    assert page.locator("main a[href^='/utvardering/omgangar/']").count() == 1
    assert_accessible(page)
