"""The review queue's pages that `bench.queue` times, how it finds each page's address, and the rows
each must show.

The rows expected are worked out here, apart from the queue's code: every application waiting for
CBP is read once per size (a few plain columns), filtered and sorted in Python as the queue's page
says it is (`reviews.priority.priority()`, the formula the database's expression is held to, for
priority order), and cut into pages of 25. A page is right when it shows exactly those rows.

A deep page is found as a person finds it: `?page=N` while the queue answers with page N, else by
following the pagination's links (the highest page number offered up to N, then "Next"), so that
keyset pagination, which reaches deep pages only through "Next", is measured as it is used. The
last page is the pagination's link labelled "last page" when there is one, else `?page=N`.
"""

import html
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

PER_PAGE = 25
DEEP = "deep"  # half-way through the list: page 2,000 of 4,000 at 100,000 applications
LAST = "last"
# Priority order changes as time passes (each size class ages at its own rate): a row this close
# to the page's first or last may trade places with its neighbour between the count and the page.
PRIORITY_DRIFT = 0.001


@dataclass(frozen=True)
class Row:
    """What the queue's filters and sorts read of one application."""

    pk: int
    text: str  # reference, legal name and importer numbers, lower case
    submitted_at: datetime
    size_class: str
    flag_bits: int
    reviewer_id: int | None
    entries: int | None
    ports: tuple[str, ...]
    answered: bool
    priority: float = 0.0


@dataclass
class Page:
    """A page of the queue: its filters (`query`), which page, and which rows it must show."""

    name: str
    query: dict[str, str]
    number: int | str = 1  # a page number, DEEP or LAST
    keep: Callable[[Row], bool] = lambda row: True
    url: str = ""  # found at each size (`locate`)
    expected: list[int] = field(default_factory=list)


def pages(*, terms: "SearchTerms") -> list[Page]:
    """Every page of the queue the bench times, with what keeps a row on it."""
    from recordkeepers.models import RiskFlag

    fta = 1 << RiskFlag.values.index("fta")
    name, common = terms.name.lower(), terms.common.lower()
    number = terms.importer_number.lower()
    return [
        Page("first page", {}),
        Page(
            "size, flag, age, page 3",
            {"size_class": "small", "risk_flag": "fta", "sort": "age"},
            3,
            lambda row: row.size_class == "small" and bool(row.flag_bits & fta),
        ),
        Page(
            "unassigned, port, volume",
            {"assigned": "unassigned", "port": "2704", "sort": "volume"},
            1,
            lambda row: row.reviewer_id is None and "2704" in row.ports,
        ),
        Page("port", {"port": "2704"}, 1, lambda row: "2704" in row.ports),
        Page("search: name", {"search": terms.name}, 1, lambda row: name in row.text),
        Page("search: common words", {"search": terms.common}, 1, lambda r: common in r.text),
        Page(
            "search: importer no.", {"search": terms.importer_number}, 1, lambda r: number in r.text
        ),
        Page("deep page", {}, DEEP),
        Page("last page", {}, LAST),
    ]


def queue_rows(now: datetime) -> list[Row]:
    """Every application waiting for CBP, with its priority as of `now`."""
    from certification.models import Application, InformationRequest, WorkloadSettings
    from certification.workflow import AWAITING_CBP
    from reviews.priority import PriorityInput, priority

    workload = WorkloadSettings.current()
    answered = set(
        InformationRequest.objects.filter(
            answered_at__isnull=False, acknowledged_at__isnull=True
        ).values_list("application_id", flat=True)
    )
    rows = []
    columns = Application.objects.filter(status__in=list(AWAITING_CBP)).values_list(
        "pk",
        "reference",
        "organisation__legal_name",
        # Only what the filters read of the snapshot: the whole of a million is gigabytes.
        "profile_snapshot__importer_numbers",
        "profile_snapshot__ports",
        "submitted_at",
        "size_class",
        "risk_flag_bits",
        "assigned_reviewer_id",
        "entries_per_year",
    )
    for row in columns.iterator(chunk_size=10_000):
        pk, reference, name, numbers, ports, submitted, size, bits, reviewer, entries = row
        numbers = numbers or []
        compact = [re.sub(r"[^0-9A-Za-z]", "", number) for number in numbers]
        waiting = max((now - submitted).total_seconds() / 86400, 0.0)
        score = priority(
            PriorityInput(
                waiting_days=waiting,
                target_days=workload.target_days(size),
                size_class=size,
                risk_flag_count=bits.bit_count(),
                information_answered=pk in answered,
            )
        ).value
        rows.append(
            Row(
                pk=pk,
                text=" ".join([reference, name, *numbers, *compact]).lower(),
                submitted_at=submitted,
                size_class=size,
                flag_bits=bits,
                reviewer_id=reviewer,
                entries=entries,
                ports=tuple(ports or []),
                answered=pk in answered,
                priority=score,
            )
        )
    return rows


SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "priority": lambda r: (-r.priority, r.submitted_at, r.pk),
    "age": lambda r: (r.submitted_at, r.pk),
    "volume": lambda r: (r.entries is None, -(r.entries or 0), r.submitted_at, r.pk),
}


def page_number(page: Page, count: int) -> int:
    last = max(1, -(-count // PER_PAGE))
    if page.number == DEEP:
        return max(1, last // 2)
    if page.number == LAST:
        return last
    return int(page.number)


def expect(page: Page, rows: list[Row]) -> tuple[int, list[Row], Row | None]:
    """The page's number, its rows and the last row of the page before it, worked out from
    `rows` (`queue_rows`)."""
    matching = sorted(
        (row for row in rows if page.keep(row)),
        key=SORT_KEYS[page.query.get("sort", "priority")],
    )
    number = page_number(page, len(matching))
    start = (number - 1) * PER_PAGE
    before = matching[start - 1] if 0 < start <= len(matching) else None
    return number, matching[start : start + PER_PAGE], before


def shown(content: bytes) -> list[int]:
    """The applications a queue page lists, in order (each row's checkbox for a supervisor)."""
    text = content.decode()
    return [
        int(value)
        for tag in re.findall(r'<input[^>]*name="applications"[^>]*>', text)
        for value in re.findall(r'value="(\d+)"', tag)
    ]


def check(page: Page, expected: list[Row], got: list[int], priorities: dict[int, float]) -> str:
    """'' when the page shows the rows expected, else what is wrong. In priority order the row at
    a place may be another whose priority is within PRIORITY_DRIFT of the expected one's: the
    order moves as time passes, between working it out and asking for the page."""
    want = [row.pk for row in expected]
    if got == want:
        return ""
    place = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), 0)
    problem = (
        f"{page.name}: shows {len(got)} rows, expected {len(want)}; at row {place + 1}, "
        f"application {got[place] if got else None} (priority "
        f"{priorities.get(got[place]) if got else None}) where {want[place] if want else None} "
        f"(priority {priorities.get(want[place]) if want else None}) was expected"
    )
    if len(got) != len(want) or len(set(got)) != len(got):
        return problem
    if page.query.get("sort", "priority") != "priority":
        return problem
    for shown_pk, wanted in zip(got, expected, strict=True):
        if shown_pk not in priorities:
            return f"{page.name}: shows {shown_pk}, which it should not"
        if abs(priorities[shown_pk] - wanted.priority) >= PRIORITY_DRIFT:
            return problem
    return ""


def _links(content: bytes) -> list[dict[str, str]]:
    """The attributes of each link in the page's pagination."""
    text = content.decode()
    nav = re.search(r'<nav[^>]*aria-label="Pagination".*?</nav>', text, re.S)
    if nav is None:
        return []
    return [
        {name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        for tag in re.findall(r"<a\s[^>]*>", nav.group(0))
    ]


def current_page(content: bytes) -> int | None:
    for link in _links(content):
        if link.get("aria-current") == "page":
            match = re.match(r"Page (\d+)", link.get("aria-label", ""))
            return int(match.group(1)) if match else None
    return None


def _join(path: str, href: str) -> str:
    return path + href if href.startswith("?") else href


def kind(url: str, page: Page) -> str:
    """Which kind of link reaches the page: the names of its parameters that are not filters
    ("" for a first page, "at page" for a numbered one, "after" for one past a cursor...). Query
    counts are compared between sizes where a page is reached by the same kind of link."""
    names = {name for name, _ in parse_qsl(urlsplit(url).query)} - set(page.query)
    return " ".join(sorted(names))


def locate(
    get: Callable[[str], bytes],
    path: str,
    page: Page,
    number: int,
    jump: Callable[[str, int], str] | None = None,
) -> str:
    """The address of page `number` of `page`'s filters, as a person reaches it; `get` returns a
    page's HTML, or nothing when the page is refused (a 4xx). `jump(at, number)`, when given,
    makes the link "Next" would carry to a deep page (the listing's moment `at` read from the
    first page's links), instead of following "Next" to it."""
    first = path + (f"?{urlencode(page.query)}" if page.query else "")
    if number == 1:
        return first
    asked = f"{path}?{urlencode(page.query | {'page': str(number)})}"
    content = get(asked)
    if content and current_page(content) == number:
        return asked
    if page.number == LAST:
        for link in _links(get(first)):
            if link.get("aria-label", "").lower() == f"page {number}, last page":
                return _join(path, link["href"])
    if jump is not None:
        moments = [
            dict(parse_qsl(urlsplit(link["href"]).query)).get("at")
            for link in _links(get(first))
            if "href" in link
        ]
        at = next((moment for moment in moments if moment), None)
        if at is None:
            raise SystemExit(f"{page.name}: the first page's links carry no moment")
        return jump(at, number)
    # Follow the links: the highest page number offered up to `number`, else "Next".
    url, at, started = first, 1, time.perf_counter()
    while at < number:
        content = get(url)
        numbered = {}
        following = None
        for link in _links(content):
            label = link.get("aria-label", "")
            match = re.match(r"Page (\d+)", label)
            if match and at < int(match.group(1)) <= number:
                numbered[int(match.group(1))] = link["href"]
            if label.lower().startswith("next") or "next-page" in link.get("class", ""):
                following = link.get("href")
        if numbered:
            at = max(numbered)
            url = _join(path, numbered[at])
        elif following:
            at += 1
            url = _join(path, following)
        else:
            raise SystemExit(f"{page.name}: no link onwards from page {at} ({url})")
        if at % 500 == 0:
            print(
                f"  {page.name}: page {at} of {number}, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    return url


@dataclass(frozen=True)
class SearchTerms:
    """What the bench searches for, all from one application seed_scale made, found at every
    size: its importer's name as a reviewer would type it ("Eagle Goods Vepaveno": the same few
    matches at every size), the name's first two words ("Eagle Goods": one application in 162,
    so its matches grow with the queue, and so does reading the index's long lists for words that
    common), and its importer number."""

    name: str
    common: str
    importer_number: str


def search_terms(*, exclude: int) -> SearchTerms:
    """The search terms of the first application seed_scale made (the first not `exclude`)."""
    from certification.models import Application

    first = (
        Application.objects.exclude(pk=exclude)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if first is None:
        raise SystemExit("No application to search for: seed_scale made none")
    words = first.organisation.legal_name.split()
    return SearchTerms(
        name=" ".join(words[:3]),  # without its form (LLC, Inc., Co.)
        common=" ".join(words[:2]),
        importer_number=first.profile_snapshot["importer_numbers"][0],
    )


def prepare(bench: Any, pages: list[Page], size: int) -> list[str]:
    """Find each page's address at this size (`bench.probe` fetches a page or nothing) and check
    it shows exactly the rows expected; the names of the pages that have rows, given to
    `bench.add`."""
    from django.utils import timezone

    started = time.perf_counter()
    rows = queue_rows(timezone.now())
    priorities = {row.pk: row.priority for row in rows}
    print(
        f"{size:,}: the rows expected worked out in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    names = []
    for page in pages:
        number, expected, before = expect(page, rows)
        page.expected = [row.pk for row in expected]
        if not expected:
            continue  # no such page at this size (page 3 of a filter with ten applications)
        started = time.perf_counter()

        def jump(at: str, number: int, page: Page = page, before: Row | None = before) -> str:
            assert before is not None  # a page past the numbered ones has a page before it
            return bench.link_after(page.query, at, before.pk, number)

        page.url = locate(
            bench.probe, bench.queue, page, number, jump if page.number == DEEP else None
        )
        if number > 1:
            print(
                f"  {page.name}: page {number} found in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
        problem = check(page, expected, shown(bench.probe(page.url)), priorities)
        if problem:
            raise SystemExit(f"FAIL at {size:,} applications: {problem}")
        bench.add(page)
        names.append(page.name)
    return names
