"""A supervisor reads the program's figures and exports its queue, in a browser, with a real Celery
worker writing the file: filters the dashboard, reads a chart's table, asks for a large export,
watches its progress and downloads it. Every page is axe-checked."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from reporting.models import ExportJob
from tests.browser import axe_check
from tests.e2e.test_review_journey import enrolled, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICATIONS = 6000  # enough rows for the worker to report progress more than once


def test_a_supervisor_filters_the_figures_and_downloads_a_large_export(
    new_page,
    handbook_in_force,
    letter_templates,
    supervisor,
    celery_worker,
    tmp_path,
):
    call_command("seed_scale", applications=APPLICATIONS, seed=3, force=True, stdout=StringIO())
    page = new_page()
    sign_in(page, supervisor, secret=enrolled(supervisor))

    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", name="Program reports", level=1)).to_be_visible()
    axe_check(page)

    # Only the large importers' figures.
    page.get_by_label("Size class", exact=True).select_option(label="Large")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_text(re.compile(r"large importers only"))).to_be_visible()
    assert "size_class=large" in page.url
    axe_check(page)

    # A chart's numbers, read from the table beside it.
    ageing = page.locator("#figure-queue-ageing")
    expect(ageing.get_by_role("table")).to_be_visible()
    waiting = ageing.get_by_role("row", name=re.compile("^Large")).get_by_role("cell").first
    assert int(waiting.inner_text().replace(",", "")) > 0

    # The export of every size's queue, as a workbook: written by the worker.
    page.get_by_role("link", name="The last 13 weeks, everyone").click()
    page.get_by_role("combobox", name=re.compile("^What to export")).select_option(
        label="Review queue"
    )
    page.get_by_text("Excel workbook (XLSX)").click()
    page.get_by_role("button", name="Ask for the export").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Export \d+: Review queue$"))
    ).to_be_visible()
    axe_check(page)

    # Progress, refreshed in place until the file is ready.
    seen = set()
    bar = page.locator("progress")
    for _ in range(600):
        if page.get_by_text("Your export is ready").count():
            break
        if bar.count():
            seen.add(bar.get_attribute("value"))
        page.wait_for_timeout(100)
    expect(page.get_by_text("Your export is ready")).to_be_visible(timeout=60_000)
    assert seen, "the progress bar was never shown"
    axe_check(page)

    job = ExportJob.objects.get()
    expect(page.get_by_text(job.sha256)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download the file")).click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == job.sha256
    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert len(rows) - 1 == job.rows_total > 0

    # The message that it is ready leads back to it.
    page.get_by_role("link", name=re.compile("Messages")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Your export is ready"))).to_be_visible()
    axe_check(page)
