"""The planner in the browser: the coordinator proposes the demo's spring term, locks a team,
plans again and accepts; a trainer declines a day; the planner fills it.

The spring term may hold more rounds than the demo's three (other browser tests make rounds in
it), so six extra trainers join Region Mälardalen's pool here, idempotently, available on every
spring date: the pool is then large enough to staff the term and to fill a declined day.
"""

import datetime

from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.organisations.models import Municipality, SupportStructure
from yrkesresan.rounds.models import CourseDay, Round, term_of
from yrkesresan.staffing import plans
from yrkesresan.staffing.models import Availability, Plan, PoolMembership, TrainerTraining

from .conftest import assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
EXTRA = [f"planering.utbildare{n}@example.com" for n in range(1, 7)]
PASSWORD = "demo-yrkesresan"


def spring():
    today = timezone.localdate()
    term = term_of(datetime.date(today.year + (today.month > 6), 1, 1))
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    return structure, term


def grow_the_pool():
    structure, term = spring()
    course = Course.objects.get(slug=COURSE_SLUG)
    places = list(Municipality.objects.filter(code__in=["0484", "1880", "1980", "0480"]))
    dates = set(
        CourseDay.objects.filter(round__structure=structure, round__term=term)
        .exclude(round__status__in=[Round.Status.CANCELLED, Round.Status.COMPLETED])
        .values_list("date", flat=True)
    )
    for index, email in enumerate(EXTRA):
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email, PASSWORD, first_name=f"Extra{index + 1}", last_name="Utbildare",
                municipality=places[index % len(places)],
            )  # fmt: skip
        RoleAssignment.objects.get_or_create(
            user=person, role=RoleAssignment.Role.TRAINER, structure=structure
        )
        PoolMembership.objects.update_or_create(
            person=person, structure=structure,
            defaults={"status": PoolMembership.Status.ACCEPTED, "days_per_term": 8,
                      "motivation": "m", "experience": "e"},
        )  # fmt: skip
        TrainerTraining.objects.get_or_create(
            person=person, course=course, defaults={"trained_on": datetime.date(2025, 3, 1)}
        )
        for date in dates:
            Availability.objects.get_or_create(
                person=person, date=date, defaults={"available": True}
            )
    return structure, term


def term_url(structure, term):
    return f"/planering/{structure.pk}/{term.replace(' ', '-')}/"


def lock_form(page, round, team):
    return page.locator(
        f"form:has(input[name=round][value='{round.pk}']):has(input[name=team][value='{team}'])"
    ).first


def accept(page):
    page.get_by_role("button", name="Godkänn förslaget").click()
    try:
        page.get_by_text("Planen är godkänd").wait_for()
    except Exception:
        print(page.url, page.locator("main").inner_text()[:3000])
        raise


def propose(page):
    """Ask for a proposal ("Föreslå en plan", or "Planera igen" beside one) and wait for it."""
    page.get_by_role("button", name="Planera igen").or_(
        page.get_by_role("button", name="Föreslå en plan")
    ).click()
    page.get_by_role("button", name="Godkänn förslaget").wait_for()


def test_propose_lock_replan_accept_decline_and_fill(page, db_access):
    structure, term = grow_the_pool()
    omgang_5 = Round.objects.get(structure=structure, name="Omgång 5")
    log_in(page, "samordnare@example.com")

    visit(page, "/planering/")
    page.get_by_role("link", name=f"Plan för {term}").first.click()
    page.wait_for_url(f"**{term_url(structure, term)}")
    assert_accessible(page)

    # Propose: the task runs at once in the tests; the page shows the proposal.
    propose(page)
    proposal = plans.latest_proposal(structure, term)
    assert proposal.status == Plan.Status.PROPOSED
    assert_accessible(page)

    # Lock Team 1 of Omgång 5 and plan again: the team is kept, locked.
    team_1 = set(
        proposal.assignments.filter(day__round=omgang_5, team=1).values_list("person", flat=True)
    )
    lock_form(page, omgang_5, 1).get_by_role("button").click()
    page.get_by_text("Teamet är låst.").wait_for()
    assert lock_form(page, omgang_5, 1).get_by_text("Låst", exact=True).is_visible()
    propose(page)
    again = plans.latest_proposal(structure, term)
    assert again.pk != proposal.pk
    kept = again.assignments.filter(day__round=omgang_5, team=1)
    assert set(kept.values_list("person", flat=True)) == team_1
    assert all(kept.values_list("locked", flat=True))

    accept(page)
    accepted = plans.accepted_plan(structure, term)
    assert accepted.pk == again.pk

    # A trainer of Team 2 declines day 3 of Omgång 5.
    day_3 = omgang_5.days.get(number=3)
    planned = accepted.assignments.filter(day=day_3, team=2).select_related("person").first()
    person = planned.person
    person.set_password(PASSWORD)
    person.save(update_fields=["password"])
    log_in(page, person.email)
    visit(page, "/mina-dagar/")
    assert_accessible(page)
    page.locator(f"form[action='/mina-dagar/planerad/{planned.pk}/'] button[value=decline]").click()
    page.get_by_text("Du har tackat nej till dagen.").wait_for()

    # The coordinator sees the decline and plans again: the day is filled by someone else.
    log_in(page, "samordnare@example.com")
    visit(page, term_url(structure, term))
    assert page.get_by_role("alert").filter(has_text="tackat nej").count() == 1
    propose(page)
    filled = plans.latest_proposal(structure, term)
    team = set(filled.assignments.filter(day=day_3, team=2).values_list("person", flat=True))
    assert len(team) == 4 and person.pk not in team
    assert page.get_by_text(f"Ut: {person.get_full_name()}").count() >= 1
    accept(page)
    team_2 = omgang_5.teams.get(name="Team 2")
    assert set(team_2.members.values_list("pk", flat=True)) == team

    # The page at phone width: accessible, and nothing but the table regions scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 740})
    visit(page, term_url(structure, term))
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    visit(page, f"/planering/{structure.pk}/pool/")
    assert_accessible(page)
    visit(page, "/mina-dagar/tillganglighet/")
    assert_accessible(page)
    visit(page, "/utbildarpool/ansok/")
    assert_accessible(page)


def test_a_staff_member_applies_and_their_manager_approves_the_days(page, db_access):
    structure, _term = spring()
    PoolMembership.objects.filter(person__email="deltagare1@example.com").delete()
    log_in(page, "deltagare1@example.com")
    visit(page, "/utbildarpool/ansok/")
    page.get_by_label("stödstruktur").select_option(label=str(structure))
    page.get_by_role("checkbox").first.check()
    page.get_by_label("Varför vill du utbilda?").fill("Jag vill dela med mig.")
    page.get_by_label("Din erfarenhet").fill("Fem år med barnutredningar.")
    page.get_by_role("button", name="Skicka ansökan").click()
    page.get_by_text("Din ansökan har skickats till din chef.").wait_for()
    log_in(page, "chef.eskilstuna@example.com")
    visit(page, "/utbildarpool/ansokningar/")
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn").first.click()
    page.get_by_text("Ditt beslut är sparat.").wait_for()
    assert PoolMembership.objects.get(person__email="deltagare1@example.com").days_per_term == 6
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        visit(page, "/utbildarpool/ansokningar/")
        assert_accessible(page)
