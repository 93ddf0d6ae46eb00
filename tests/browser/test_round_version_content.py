"""A participant in a round on version 2.0 of the demo course reads 2.0 after 2.1 (and
perhaps a later version) changed it: their course page lacks 2.1's new theme for day 2, the
preparation module lacks 2.1's addition, and the material list, with material for two
versions, is grouped by version with their round's marked. Axe on every page, at 1280 and
320 px, and nothing scrolls sideways at 320."""

import datetime

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.demo.versions import DAY_TWO_THEME, PREPARATION_ADDITION
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.preparation import version_taught
from yrkesresan.materials.models import Material

from .conftest import assert_accessible, log_in, visit

COURSE = "handlaggning-med-barnet-i-centrum"
PARTICIPANT = "deltagare1@example.com"
TITLES = {"2.0": "Checklista för aktualisering (2.0)", "2.1": "Den nya socialtjänstlagen i korthet"}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_participant_on_2_0_reads_2_0_and_its_material(browser, demo_server, db_access):
    course = Course.objects.get(slug=COURSE)
    # A participant whose round teaches 2.0: deltagare1 in Omgång 4 in the demo, unless an
    # earlier test of the session moved them on; then another participant of a 2.0 round.
    registrations = Registration.objects.filter(
        round__course=course,
        round__course_version__number="2.0",
        status=Registration.Status.REGISTERED,
        completion__isnull=True,
    ).select_related("round__course_version", "person")
    registration = next(
        r
        for r in sorted(registrations, key=lambda r: r.person.email != PARTICIPANT)
        if version_taught(r.person, course) == "2.0"
    )
    participant = registration.person.email
    version = registration.round.course_version
    assert version.number == "2.0" and course.version != "2.0"
    first_module = version.content["preparation"][0]["id"]
    added = [
        Material.objects.create(
            course=course,
            audience=Material.Audience.PARTICIPANT,
            title=title,
            body="Läs före kursdag 1.",
            day_number=1,
            version=number,
            course_version=course.versions.get(status="published", number=number),
            published_on=datetime.date(2025, 7, 1),
        )
        for number, title in TITLES.items()
    ]
    try:
        for width in (1280, 320):
            context = browser.new_context(base_url=demo_server, bypass_csp=True, locale="sv-SE",
                                          viewport={"width": width, "height": 800})  # fmt: skip
            page = context.new_page()
            page.set_default_timeout(5000)
            log_in(page, participant)

            visit(page, reverse("participant:my_course", args=[registration.round_id]))
            assert DAY_TWO_THEME not in page.locator("main").inner_text()
            assert_accessible(page)

            visit(page, reverse("participant:preparation_module", args=[COURSE, first_module]))
            text = page.locator("main").inner_text()
            assert PREPARATION_ADDITION.strip()[:40] not in text
            assert_accessible(page)

            visit(page, reverse("materials:course", args=[COURSE]))
            own = page.locator("section.material-version--own")
            assert own.count() == 1
            assert "Kursversion 2.0" in own.get_by_role("heading", level=2).inner_text()
            assert own.get_by_text("Din omgångs version").count() == 1
            assert own.get_by_role("link", name=TITLES["2.0"]).count() == 1
            headings = page.locator("main h2").all_inner_texts()
            assert headings.index(next(h for h in headings if "Kursversion 2.1" in h)) < (
                headings.index(next(h for h in headings if "Kursversion 2.0" in h))
            )
            assert_accessible(page)
            if width == 320:
                assert no_sideways_scroll(page)
            context.close()
    finally:
        Material.objects.filter(pk__in=[m.pk for m in added]).delete()
