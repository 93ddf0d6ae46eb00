"""The reports' charts in the browser: the coordinator compares physical and digital days
question by question, with a chart and its table, at 1280 and at 320 pixels wide.

Uses the evaluated round of test_evaluations (twelve completed people, about 70 % of whom
answered): enough people in each mode for the figures to be shown.
"""

import pytest

from .conftest import assert_accessible, log_in, visit
from .test_evaluations import COORDINATOR, COURSE_SLUG, evaluated_round

URL = "/rapporter/fysiskt-digitalt/"


def assert_every_chart_has_its_table(page):
    """Each chart on the page is an image named by its title, with a table in its section."""
    charts = page.locator("main svg[role=img]")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("aria-labelledby")
        assert chart.locator("xpath=ancestor::section[1]//table").count() == 1


@pytest.mark.parametrize("width", [1280, 320])
def test_the_coordinator_reads_the_comparison_with_its_chart_and_table(page, db_access, width):
    evaluated_round()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, COORDINATOR)
    visit(page, "/")
    page.locator(f"nav a[href='{URL}']").click()
    page.wait_for_url(f"**{URL}")
    page.get_by_label("Kurs").select_option(COURSE_SLUG)
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(f"**kurs={COURSE_SLUG}**")
    charts = page.get_by_role("img", name="Andel svar per betyg", exact=False)
    assert charts.count() >= 1
    # Every chart has a data table beside it, and a sentence that says what the data show.
    assert page.locator("main section table").count() >= charts.count()
    assert page.locator("main .comparison-sentence").first.inner_text()
    assert_every_chart_has_its_table(page)
    # Nothing scrolls sideways but the table regions, which the keyboard reaches.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("main .table-wrap").first.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-wrap')")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner tabellen som Excelfil").click()
    assert download.value.suggested_filename == "fysiskt-digitalt.xlsx"


@pytest.mark.parametrize("width", [1280, 320])
def test_the_coordinator_walks_the_term_timeline_by_keyboard(page, db_access, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, COORDINATOR)
    visit(page, "/omgangar/")
    page.locator("main a[href^='/omgangar/tidslinje/']").click()
    page.wait_for_url("**/omgangar/tidslinje/**")
    marks = page.locator("main .tl-mark")
    assert marks.count() >= 1
    # From the timeline's region the keyboard reaches the first round, then its first day;
    # every mark says its mode in words to assistive technology.
    page.locator("main .tl-wrap").focus()
    page.keyboard.press("Tab")
    href = "document.activeElement.getAttribute('href')"
    assert page.evaluate(href).startswith("/omgangar/")
    page.keyboard.press("Tab")
    assert "/dagar/" in page.evaluate(href)
    for text in marks.locator(".visually-hidden").all_inner_texts()[:10]:
        assert "Fysisk" in text or "Digital" in text
    # The same content as a table, for screen readers and print.
    assert page.locator("main table.tl-table tbody tr").count() == marks.count()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    page.locator("#id_status").select_option("draft")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**status=draft**")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize(
    "email, link, charts",
    [(COORDINATOR, "/rapporter/region/", 5), ("admin@example.com", "/rapporter/nationellt/", 3)],
)
def test_the_dashboards_show_each_chart_with_its_table(page, db_access, width, email, link, charts):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, email)
    visit(page, "/")
    page.locator(f"nav a[href='{link}']").click()
    page.wait_for_url(f"**{link}")
    sections = page.locator("main section.dashboard-figure")
    assert sections.count() == charts
    for index in range(charts):
        section = sections.nth(index)
        # Each figure: a chart named by its title when there is data, and always its table.
        if section.locator("table").count():
            assert section.get_by_role("img").count() == 1
    assert_every_chart_has_its_table(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_large_export_shows_its_progress_and_then_its_file(page, db_access, width):
    from yrkesresan.accounts.models import User
    from yrkesresan.reports.models import ExportJob

    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "admin@example.com")
    admin = User.objects.get(email="admin@example.com")
    job = ExportJob.objects.create(owner=admin, kind="nation", status="running", progress=40)
    visit(page, f"/rapporter/export/{job.pk}/")
    status = page.get_by_role("status")
    assert "40 %" in status.inner_text()
    assert page.locator("progress").get_attribute("value") == "40"
    assert_accessible(page)
    # The worker finishes; the page's next poll swaps in the link, inside the status region.
    ExportJob.objects.filter(pk=job.pk).update(
        status="done", progress=100, filename="nationellt.xlsx", content=b"PK"
    )
    status.get_by_role("link", name="nationellt.xlsx").wait_for(timeout=5000)
    assert page.locator("progress").count() == 0
    assert_accessible(page)


def test_the_nation_dashboard_prepares_its_tables_in_the_background(page, db_access):
    log_in(page, "admin@example.com")
    visit(page, "/rapporter/nationellt/")
    page.get_by_role("button", name="Förbered tabellerna som Excelfil").click()
    page.wait_for_url("**/rapporter/export/*/")
    link = page.get_by_role("status").get_by_role("link", name="nationellt.xlsx")
    link.wait_for(timeout=10000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "nationellt.xlsx"
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_municipal_contact_reads_their_municipality_in_figures(page, db_access, width):
    link = "/rapporter/kommun/0484/"
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "kontakt.eskilstuna@example.com")
    visit(page, "/")
    page.locator(f"main a[href='{link}']").click()
    page.wait_for_url(f"**{link}")
    sections = page.locator("main section.dashboard-figure")
    assert sections.count() == 4
    for index in range(4):
        section = sections.nth(index)
        if section.locator("table").count():
            assert section.get_by_role("img").count() == 1
    assert_every_chart_has_its_table(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("main a[href='/rapporter/kommun/0484.xlsx']").click()
    assert download.value.suggested_filename == "kommun-0484.xlsx"


@pytest.mark.parametrize("width", [1280, 320])
def test_the_coordinator_reads_a_county_in_figures(page, db_access, width):
    link = "/rapporter/lan/04/"
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, COORDINATOR)
    visit(page, "/organisationer/lan/04/")
    page.locator(f"main a[href='{link}']").click()
    page.wait_for_url(f"**{link}")
    assert page.locator("main section.dashboard-figure").count() == 4
    assert_every_chart_has_its_table(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
