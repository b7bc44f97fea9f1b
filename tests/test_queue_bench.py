"""The queue benchmark's own logic (bench/queue_pages.py, bench/queue_report.py): the rows each page
must show, how a deep page is reached by following the pager's links, and the verdict; and the
fair floor it measures against (bench/queue_floor.py). The run itself: `python -m bench.queue`."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from bench import queue_pages, queue_report
from bench.queue_pages import DEEP, LAST, Page, Row
from certification.models import Application

START = datetime(2026, 1, 1, tzinfo=UTC)


def row(pk: int, *, priority: float = 0.0, days: int = 0, **fields) -> Row:
    defaults = {
        "text": f"rkcp-2026-{pk:06d} importer {pk}",
        "submitted_at": START + timedelta(days=days),
        "size_class": "micro",
        "flag_bits": 0,
        "reviewer_id": None,
        "entries": 10,
        "ports": (),
        "answered": False,
    }
    return Row(pk=pk, priority=priority, **(defaults | fields))


def test_a_page_expects_its_slice_of_the_matching_rows_in_its_order():
    # 60 rows, priority falling as pk rises; the even ones are small importers.
    rows = [row(pk, priority=100 - pk, days=-pk, size_class="small" if pk % 2 == 0 else "micro")
            for pk in range(1, 61)]  # fmt: skip

    number, first, before = queue_pages.expect(Page("first", {}), rows)
    assert number == 1 and [r.pk for r in first] == list(range(1, 26)) and before is None
    # Oldest first: pk 60 was submitted 60 days before the start.
    small = Page("small", {"sort": "age"}, 2, lambda r: r.size_class == "small")
    number, second, before = queue_pages.expect(small, rows)
    assert number == 2 and [r.pk for r in second] == [10, 8, 6, 4, 2]
    assert before.pk == 12  # the last of page 1, which the cursor to page 2 starts after
    assert queue_pages.expect(Page("deep", {}, DEEP), rows)[0] == 1  # 3 pages: half-way is 1
    number, last, _ = queue_pages.expect(Page("last", {}, LAST), rows)
    assert number == 3 and [r.pk for r in last] == list(range(51, 61))


def test_the_deep_page_is_half_way_and_the_last_counts_a_partial_page():
    assert queue_pages.page_number(Page("d", {}, DEEP), 100_000) == 2000
    assert queue_pages.page_number(Page("l", {}, LAST), 100_001) == 4001
    assert queue_pages.page_number(Page("d", {}, DEEP), 10) == 1


def test_a_page_is_right_only_with_the_rows_expected():
    expected = [row(1, priority=9.0), row(2, priority=8.0), row(3, priority=7.0)]
    everyone = {r.pk: r.priority for r in expected} | {4: 7.0 - 1e-5, 5: 3.0}
    page = Page("first", {})
    assert queue_pages.check(page, expected, [1, 2, 3], everyone) == ""
    # Two rows a hair apart in priority may trade places as time passes...
    assert queue_pages.check(page, expected, [1, 2, 4], everyone) == ""
    # ...but not rows that far apart, a row twice, a row missing, or any change in another order.
    assert "row 3" in queue_pages.check(page, expected, [1, 2, 5], everyone)
    assert queue_pages.check(page, expected, [1, 2, 2], everyone)
    assert queue_pages.check(page, expected, [1, 2], everyone)
    by_age = Page("age", {"sort": "age"})
    assert queue_pages.check(by_age, expected, [1, 2, 4], everyone)


def test_the_rows_shown_are_read_from_the_supervisors_checkboxes():
    html = b"""<input class="usa-checkbox__input" type="checkbox" id="select-7" name="applications"
    value="7" form="bulk-assign"><input type="checkbox" name="applications" value="12">
    <input type="hidden" name="csrfmiddlewaretoken" value="99">"""
    assert queue_pages.shown(html) == [7, 12]


def pager(pages: int, numbered: int = 10):
    """A fake queue: pages by number up to `numbered` (?page=N), past them by cursor
    (?after=cN), and a last-page link; `get` returns nothing for a page it refuses."""
    asked = []

    def link(label: str, href: str, current: bool = False) -> str:
        extra = ' aria-current="page"' if current else ""
        return f'<a href="{href}" class="usa-pagination__button" aria-label="{label}"{extra}>x</a>'

    def get(url: str) -> bytes:
        asked.append(url)
        # The filters are kept by every link; the fake reads only the page's own parameters.
        query = "&".join(p for p in url.partition("?")[2].split("&") if not p.startswith("port="))
        if query.startswith("after=c"):
            at = int(query.removeprefix("after=c"))
        elif query in ("", "page=1"):
            at = 1
        elif query.startswith("page=") and int(query.removeprefix("page=")) <= numbered:
            at = int(query.removeprefix("page="))
        elif query == "page=last&at=t":
            at = pages
        else:
            return b""
        links = [
            link(f"Page {n}{', last page' if n == pages else ''}", f"?page={n}", n == at)
            for n in range(1, min(numbered, pages) + 1)
        ]
        if at > numbered:
            links.append(link(f"Page {at}", url, current=True))
        if pages > numbered and at < pages:
            links.append(link(f"Page {pages}, last page", "?page=last&amp;at=t"))
        if at < pages:
            links.append(
                f'<a href="?after=c{at + 1}" class="usa-pagination__link '
                f'usa-pagination__next-page" aria-label="Next page">Next</a>'
            )
        return (
            f'<nav aria-label="Pagination" class="usa-pagination">{"".join(links)}</nav>'.encode()
        )

    return get, asked


def test_a_page_the_queue_serves_by_number_is_asked_for_by_number():
    get, asked = pager(40, numbered=100)
    assert queue_pages.locate(get, "/q/", Page("deep", {}, DEEP), 20) == "/q/?page=20"
    assert asked == ["/q/?page=20"]


def test_a_deep_page_past_the_numbered_ones_is_reached_by_following_next():
    get, asked = pager(40)
    url = queue_pages.locate(get, "/q/", Page("deep", {}, DEEP), 20)
    assert url == "/q/?after=c20"
    # Refused by number; then the first page, page 10 by its number, and "Next" nine times.
    assert asked[:3] == ["/q/?page=20", "/q/", "/q/?page=10"]
    assert len(asked) == 3 + 9
    assert queue_pages.current_page(get(url)) == 20


def test_a_deep_page_is_jumped_to_when_the_queue_can_make_its_link():
    get, asked = pager(40)
    made = []

    def jump(at: str, number: int) -> str:
        made.append((at, number))
        return f"/q/?after=c{number}"

    url = queue_pages.locate(get, "/q/", Page("deep", {}, DEEP), 20, jump)
    assert url == "/q/?after=c20" and queue_pages.current_page(get(url)) == 20
    assert made == [("t", 20)]  # the listing's moment, read from the first page's links
    assert not any("after" in each for each in asked[:-1])  # no "Next" followed


def test_the_last_page_is_its_link_when_not_served_by_number():
    get, _ = pager(4000)
    url = queue_pages.locate(get, "/q/", Page("last", {"port": "2704"}, LAST), 4000)
    assert url == "/q/?page=last&at=t"


def test_query_counts_are_compared_between_pages_reached_by_the_same_kind_of_link():
    page = Page("port", {"port": "2704"})
    assert queue_pages.kind("/q/?port=2704", page) == ""
    assert queue_pages.kind("/q/?port=2704&page=3&at=x", page) == "at page"
    assert queue_pages.kind("/q/?after=abc&port=2704", page) == "after"


def stage(size: int, **medians: float) -> queue_report.Stage:
    """A stage whose pages take these many milliseconds, every round; the floor 10."""
    times = {"floor": 10.0} | medians
    return queue_report.Stage(
        size=size,
        seeding=1.0,
        rounds=10,
        warmup=0,
        floor_plan="",
        samples={name: [ms / 1000] * 10 for name, ms in times.items()},
        in_database={name: [0.0] * 10 for name in times},
        urls={},
    )


def test_a_page_over_twice_the_floor_fails_and_one_at_twice_does_not():
    found = queue_report.failures(
        [stage(10_000, **{"first page": 20.0, "port": 20.5})], {}, {}, first_page_budget=14
    )
    assert len(found) == 1 and "port takes 2.05×" in found[0]


def test_query_counts_fail_only_when_they_change_for_the_same_kind_of_link():
    queries = {"first page": {10: 14, 1000: 14}, "deep page": {10: 14, 1000: 13, 100_000: 13}}
    kinds = {"deep page": {10: "", 1000: "after", 100_000: "after"}}
    assert queue_report.failures([], queries, kinds, first_page_budget=14) == []
    queries["deep page"][100_000] = 15
    found = queue_report.failures([], queries, kinds, first_page_budget=14)
    assert found == [
        "deep page runs 14 queries with 10, 13 queries with 1,000, 15 queries with 100,000"
    ]
    queries = {"first page": {10: 15, 1000: 15}}
    assert queue_report.failures([], queries, {}, first_page_budget=14) == [
        "the first page runs 15 queries; its budget is 14"
    ]


def test_a_ratio_growing_more_than_the_target_fails(capsys):
    small = stage(10_000, **{"first page": 15.0, "deep page": 15.0})
    large = stage(1_000_000, **{"first page": 19.5, "deep page": 19.6})
    found = queue_report.growth([small, large])
    assert len(found) == 1 and "deep page's median ratio grows 1.31×" in found[0]
    assert "| 10,000 → 1,000,000 | first page | 1.50 / 1.50 | 1.95 / 1.95 | 1.30 / 1.30 |" in (
        capsys.readouterr().out
    )


def test_a_search_for_common_words_is_reported_but_not_held_to_the_growth(capsys):
    small = stage(10_000, **{"search: common words": 15.0, "search: name": 15.0})
    large = stage(1_000_000, **{"search: common words": 60.0, "search: name": 19.6})
    found = queue_report.growth([small, large])
    assert found == [
        "search: name's median ratio grows 1.31× from 10,000 to 1,000,000 applications (at most 1.3)"
    ]
    captured = capsys.readouterr()
    assert "| search: common words | 1.50 / 1.50 | 6.00 / 6.00 | 4.00 / 4.00 |" in captured.out
    assert "not held to 1.3: its matches grow with the queue" in captured.err


@pytest.mark.django_db
@pytest.mark.urls("bench.queue_floor")
def test_the_floor_lists_the_25_newest_applications_to_staff_only(
    client, enrol_totp, supervisor, owner_a, handbook_in_force
):
    call_command("seed_scale", applications=30, force=True, stdout=StringIO())
    enrol_totp(supervisor)
    client.force_login(supervisor)
    response = client.get(reverse("bench-queue-floor"))
    assert response.status_code == 200
    assert b'<main id="main-content"' in response.content  # the site's layout
    newest = sorted(Application.objects.values_list("pk", flat=True), reverse=True)[:25]
    shown = [int(pk) for pk in re.findall(rb'data-row="(\d+)"', response.content)]
    assert shown == newest

    client.force_login(owner_a)
    assert client.get(reverse("bench-queue-floor")).status_code == 404
