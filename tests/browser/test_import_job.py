"""A big bulk registration in the browser: the coordinator imports 400 people, the import runs
in the background, its page shows the progress bar as it moves and then the result; the page
is accessible at 1280 and at 320 pixels wide.

The tests' task backend runs the job when the confirm request commits, so the 400-row import
lands on a finished page; the bar is watched on a job the test moves itself, as the worker
would, while htmx polls the page.
"""

import uuid

from yrkesresan.accounts.models import User
from yrkesresan.enrolment.models import ImportJob

from .conftest import assert_accessible, log_in, visit
from .test_import import COORDINATOR, csv_file, import_round, upload

ROWS = 400


def assert_fits(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width}px wide at {width}px"


def test_the_coordinator_imports_400_people_in_the_background(page, db_access):
    round = import_round()
    run = uuid.uuid4().hex[:8]
    lines = [f";Person{n};Importsson;p{n}.{run}@example.se;Eskilstuna;" for n in range(ROWS)]
    page.set_default_timeout(120_000)  # 400 rows are checked in the preview's request
    log_in(page, COORDINATOR)
    # Over the default threshold of 300 rows (settings.IMPORT_BACKGROUND_ROWS).
    upload(page, round, csv_file(*lines))
    assert page.locator("main table tbody tr").count() == ROWS
    with page.expect_navigation():
        page.locator("main form[action$='/genomfor/'] button[type=submit]").click()
    job = ImportJob.objects.filter(owner__email=COORDINATOR).latest("pk")
    assert page.url.endswith(f"/omgangar/import/{job.pk}/")
    assert job.rows_total == ROWS
    status = page.get_by_role("status")
    assert "Importen är klar." in status.inner_text()
    facts = page.locator("main dl.facts dd").all_inner_texts()
    registered, waitlisted, new_accounts, refused = (int(fact) for fact in facts)
    assert (registered + waitlisted, new_accounts, refused) == (ROWS, ROWS, 0)
    people = User.objects.filter(email__endswith=f".{run}@example.se")
    assert round.registrations.filter(person__in=people).count() == ROWS
    page.set_default_timeout(5000)
    assert_accessible(page)


def test_the_progress_bar_moves_while_the_job_runs(page, db_access):
    round = import_round()
    coordinator = User.objects.get(email=COORDINATOR)
    job = ImportJob.objects.create(
        owner=coordinator,
        round=round,
        file_name="personer.csv",
        rows_total=ROWS,
        steps_done=200,
        status=ImportJob.Status.RUNNING,
    )
    log_in(page, COORDINATOR)
    visit(page, f"/omgangar/import/{job.pk}/")
    bar = page.locator("[role=status] progress")
    assert bar.get_attribute("value") == "25"
    assert "25 % klart" in page.get_by_role("status").inner_text()
    assert_accessible(page)

    # The worker moves on; htmx polls every second.
    ImportJob.objects.filter(pk=job.pk).update(steps_done=600)
    page.wait_for_function("() => document.querySelector('[role=status] progress')?.value === 75")
    assert "75 % klart" in page.get_by_role("status").inner_text()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        steps_done=800,
        result={"registered": 150, "waitlisted": 250, "new_accounts": 400, "problems": []},
    )
    page.get_by_text("Importen är klar.").wait_for()
    assert page.locator("[role=status] progress").count() == 0
    assert page.locator("main dl.facts dd").all_inner_texts() == ["150", "250", "400", "0"]
    assert_accessible(page)


def test_the_job_page_at_320_pixels(browser, demo_server, db_access):
    round = import_round()
    coordinator = User.objects.get(email=COORDINATOR)
    job = ImportJob.objects.create(
        owner=coordinator,
        round=round,
        file_name="en-fil-med-ett-mycket-langt-namn-for-att-prova-bredden.csv",
        rows_total=ROWS,
        steps_done=100,
        status=ImportJob.Status.RUNNING,
    )
    context = browser.new_context(
        base_url=demo_server,
        bypass_csp=True,
        locale="sv-SE",
        viewport={"width": 320, "height": 700},
    )
    page = context.new_page()
    try:
        log_in(page, COORDINATOR)
        visit(page, f"/omgangar/import/{job.pk}/")
        assert_accessible(page)
        assert_fits(page, 320)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            error="Inget registrerades: 1 rad har problem. Rätta filen och importera den igen.",
            result={"problems": ["Rad 7, e-post: ”x@” är inte en giltig e-postadress."]},
        )
        page.get_by_text("Inget registrerades").wait_for()
        assert_accessible(page)
        assert_fits(page, 320)
    finally:
        context.close()
