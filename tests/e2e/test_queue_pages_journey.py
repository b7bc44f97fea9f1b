"""A supervisor pages through a long queue in a browser: the numbered pages, then Next past them,
Previous back, and the last page, the filters kept all the way. Every page is axe-checked."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reviews.views import queue as queue_views
from tests.browser import axe_check
from tests.e2e.test_review_journey import enrolled, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown(page) -> list[str]:
    return page.locator('input[name="applications"]').evaluate_all("els => els.map(e => e.value)")


def test_a_supervisor_pages_past_the_numbered_pages_and_back(
    new_page, handbook_in_force, supervisor, monkeypatch
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)  # 60 applications: 30 pages
    call_command("seed_scale", applications=60, seed=5, force=True, stdout=StringIO())

    page = new_page()
    sign_in(page, supervisor, secret=enrolled(supervisor))
    page.goto("/staff/queue/?sort=age")
    axe_check(page)
    pager = page.get_by_role("navigation", name="Pagination")
    pager.get_by_role("link", name="Page 10", exact=True).click()
    axe_check(page)
    tenth = shown(page)

    pager.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("heading", name=re.compile("page 11 of 30"))).to_be_visible()
    axe_check(page)
    eleventh = shown(page)
    assert set(eleventh).isdisjoint(tenth) and len(eleventh) == 2
    assert "sort=age" in page.url

    pager.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("heading", name=re.compile("page 12 of 30"))).to_be_visible()
    axe_check(page)
    pager.get_by_role("link", name="Previous page").click()
    expect(page.get_by_role("heading", name=re.compile("page 11 of 30"))).to_be_visible()
    axe_check(page)
    assert shown(page) == eleventh
    pager.get_by_role("link", name="Previous page").click()
    expect(page.get_by_role("heading", name=re.compile("page 10 of 30"))).to_be_visible()
    axe_check(page)
    assert shown(page) == tenth

    pager.get_by_role("link", name="Page 30, last page").click()
    expect(page.get_by_role("heading", name=re.compile("page 30 of 30"))).to_be_visible()
    axe_check(page)
    expect(pager.get_by_role("link", name="Next page")).to_have_count(0)


def test_a_search_matching_too_many_says_how_to_narrow_it(
    new_page, handbook_in_force, supervisor, monkeypatch
):
    from reviews.views import queue_body

    monkeypatch.setattr(queue_body, "BROAD_SEARCH_FROM", 10)
    call_command("seed_scale", applications=60, seed=5, force=True, stdout=StringIO())

    page = new_page()
    sign_in(page, supervisor, secret=enrolled(supervisor))
    page.goto("/staff/queue/")
    axe_check(page)
    page.get_by_label("Search").fill("co")
    page.get_by_role("button", name="Apply filters").click()
    hint = page.locator("#search-hint")
    expect(hint).to_contain_text("“co” matches")
    expect(hint).to_contain_text("type more of its name")
    axe_check(page)
    # A reference is one application: no hint.
    reference = page.locator("tbody a").first.inner_text()
    page.get_by_label("Search").fill(reference)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 application")).to_be_visible()
    expect(page.locator("#search-hint")).to_have_count(0)
    axe_check(page)
