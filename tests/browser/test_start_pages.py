"""Each role's start page in the browser: the work first, and acting from it.

The coordinator fixes a day without a team from the attention list; the course leader opens
today's attendance; a manager registers five new staff at once, two of whom go on the waiting
list exactly as the plan showed beforehand. Every role's start page passes axe-core at 1280
and at 320 px wide without scrolling sideways.

The data is made idempotently inside the tests (matched on names and e-mail addresses).
Elements are found by ids, data attributes and the names the tests give the data.
"""

import datetime

from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.enrolment.models import Registration
from yrkesresan.organisations.models import SupportStructure
from yrkesresan.rounds.models import CourseDay, Round, term_of
from yrkesresan.staffing.models import Team, TeamDay

from .conftest import assert_accessible, log_in, visit

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
COORDINATOR = "samordnare@example.com"
COURSE_LEADER = "kursansvarig@example.com"
TRAINER = "utbildare1@example.com"
MANAGER = "chef.eskilstuna@example.com"
ROLES = [
    "deltagare1@example.com",
    MANAGER,
    "kontakt.eskilstuna@example.com",
    COORDINATOR,
    COURSE_LEADER,
    TRAINER,
    "redaktor@example.com",
    "admin@example.com",
]


def a_round(name, first_day, status, *, seats=20, leader=True):
    """A round of the demo course in Region Mälardalen with four days a week apart (the first
    physical), made once and then reused."""
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    round, created = Round.objects.get_or_create(
        structure=structure,
        course=Course.objects.get(slug=COURSE_SLUG),
        name=name,
        defaults={
            "term": term_of(first_day),
            "status": status,
            "seats": seats,
            "registration_opens_on": min(first_day, timezone.localdate()) - datetime.timedelta(60),
            "registration_closes_on": first_day - datetime.timedelta(days=1),
            "course_leader": User.objects.get(email=COURSE_LEADER) if leader else None,
        },
    )
    if created:
        for number in range(1, 5):
            CourseDay.objects.create(
                round=round,
                number=number,
                date=first_day + datetime.timedelta(days=7 * (number - 1)),
                mode=CourseDay.Mode.PHYSICAL if number == 1 else CourseDay.Mode.DIGITAL,
                meeting_url="" if number == 1 else "https://meet.example.se/startsidan",
                room_booked=True,
                fika_ordered=True,
                material_sent=True,
                link_sent=True,
            )
    return round


def test_every_roles_start_page_is_accessible_at_1280_and_320(page, db_access):
    for email in ROLES:
        log_in(page, email)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            visit(page, "/")
            assert_accessible(page)
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            assert scrolled <= width, f"{email}'s start page scrolls sideways at {width}px"


def test_the_coordinator_fixes_a_day_without_a_team_from_the_attention_list(page, db_access):
    round = a_round(
        "Omgång startsida team", timezone.localdate() + datetime.timedelta(20), Round.Status.OPEN
    )
    team, _created = Team.objects.get_or_create(round=round, name="Team startsida")
    team.members.add(User.objects.get(email=TRAINER))
    TeamDay.objects.filter(day__round=round).delete()
    for day in round.days.exclude(number=2):
        TeamDay.objects.create(day=day, team=team)
    day = round.days.get(number=2)

    log_in(page, COORDINATOR)
    visit(page, "/")
    item = page.locator(f'li[data-kind="day_without_team"] a[href$="#day-{day.pk}"]')
    item.click()
    page.wait_for_url(f"**/omgangar/{round.pk}/utbildare/**")
    row = page.locator(f"#day-{day.pk}")
    row.locator("select").select_option(str(team.pk))
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert TeamDay.objects.get(day=day).team == team
    visit(page, "/")
    assert page.locator(f'a[href$="#day-{day.pk}"]').count() == 0
    assert_accessible(page)


def test_the_course_leader_opens_todays_attendance_from_the_start_page(page, db_access):
    today = timezone.localdate()
    round = a_round("Omgång startsida i dag", today, Round.Status.RUNNING)

    log_in(page, COURSE_LEADER)
    visit(page, "/")
    link = page.locator(f'a[href$="/omgangar/{round.pk}/narvaro/1/"]')
    assert link.count() == 1
    link.click()
    page.wait_for_url(f"**/omgangar/{round.pk}/narvaro/1/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_a_manager_registers_five_at_once_and_two_wait_as_shown(page, db_access):
    manager = User.objects.get(email=MANAGER)
    unit = RoleAssignment.objects.get(user=manager, role="manager").unit
    started = timezone.localdate() - datetime.timedelta(days=200)  # under a year: step Ny
    hires = [
        User.objects.update_or_create(
            email=f"startsida.ny{n}@example.com",
            defaults={
                "first_name": f"Nyanställd{n}",
                "last_name": "Startsidesson",
                "municipality": unit.municipality,
                "unit": unit,
                "profession_started_on": started,
            },
        )[0]
        for n in range(1, 6)
    ]
    round = a_round(
        "Omgång startsida fem", timezone.localdate() + datetime.timedelta(40), Round.Status.OPEN
    )
    Registration.objects.filter(round=round).delete()
    round.seats = 3
    round.save()

    log_in(page, MANAGER)
    visit(page, "/")
    for hire in hires:
        page.locator(f"#person-{hire.pk}").check()
    page.locator("#register-round").select_option(str(round.pk))
    page.locator('form[action$="/omgangar/anmal-flera/"] button[type=submit]').click()
    page.wait_for_url("**/omgangar/anmal-flera/**")
    assert_accessible(page)
    shown_seated = page.locator('tr[data-outcome="registered"] th').all_inner_texts()
    shown_waiting = page.locator('tr[data-outcome="waitlisted"] th').all_inner_texts()
    assert (len(shown_seated), len(shown_waiting)) == (3, 2)
    page.locator("#confirm-plan button[type=submit]").click()
    page.wait_for_url(lambda url: "anmal-flera" not in url)

    waiting = Registration.objects.filter(round=round, status=Registration.Status.WAITLISTED)
    names = {r.person.get_full_name() for r in waiting.select_related("person")}
    assert len(names) == 2
    assert all(any(name in shown for shown in shown_waiting) for name in names)
    assert Registration.objects.filter(round=round, status="registered").count() == 3
    assert_accessible(page)


def test_a_trainer_leaves_a_handover_note_the_next_team_reads(page, db_access):
    today = timezone.localdate()
    round = a_round("Omgång startsida överlämning", today, Round.Status.RUNNING)
    team, _created = Team.objects.get_or_create(round=round, name="Team överlämning")
    team.members.add(User.objects.get(email=TRAINER))
    for day in round.days.all():
        TeamDay.objects.update_or_create(day=day, defaults={"team": team})
    day = round.days.get(number=1)

    log_in(page, TRAINER)
    visit(page, "/")
    page.locator(f'a[href$="/omgangar/{round.pk}/utbildare/dag/{day.pk}/overlamning/"]').click()
    assert_accessible(page)
    page.locator("#id_covered").fill("Aktualisering och första samtalet")
    page.locator("#id_follow_up").fill("Två deltagare vill ha mer om orosanmälan")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "overlamning" not in url)
    handover = page.locator("details.handover").filter(has_text="Aktualisering")
    assert handover.count() == 1
    handover.locator("summary").click()
    assert "orosanmälan" in handover.inner_text()
    assert_accessible(page)


def test_a_manager_adds_a_new_hire_without_leaving_the_start_page(page, db_access):
    User.objects.filter(email="startsida.nyanstalld@example.com").delete()
    log_in(page, MANAGER)
    visit(page, "/")
    form = page.locator('form[action$="/omgangar/nyanstalld/"]')
    form.locator("#id_first_name").fill("Nova")
    form.locator("#id_last_name").fill("Nyberg")
    form.locator("#id_email").fill("startsida.nyanstalld@example.com")
    form.locator("#id_years").fill("0")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/#team-heading")
    person = User.objects.get(email="startsida.nyanstalld@example.com")
    assert page.locator(f"#person-{person.pk}").count() == 1
    assert_accessible(page)
