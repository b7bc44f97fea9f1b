"""Pages of the review queue: numbered for the first `NUMBERED_PAGES`, then "Next" and
"Previous" links that carry a cursor (keyset, or seek, pagination: `queue_seek`).

Why a cursor: a page found by OFFSET makes the database sort and count off every row ahead of
it, so page 2000 of 100,000 applications cost 150–230 ms where the first cost a few; a page that
starts after the last row of the page before costs the same at any depth. Why page numbers
still: the first pages are cheap either way, and people say "it was on page 2".

Why `now` travels with the links: priority grows with waiting, and at different rates for each
size class, so two applications can swap places between one request and the next. A listing is
computed as of one moment: the first page's, carried by every link from it (`at` on the numbered
pages, inside the cursor beyond), so that paging forwards and back shows each application once,
in one order, however long the person takes; the priorities shown are as of that moment too.
Starting again from the first page (the filters' button, the queue's own link) takes a new one.
The same moment serves every sort, so that the "waiting at least" filter and the overdue flags
do not move under the pages either. Cursors and moments are signed: one altered by hand is a 400.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from math import ceil
from typing import Any

from django.core import signing
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone

from certification.models import Application
from common import cache_versions
from recordkeepers.models import User
from reviews import priority
from reviews.selectors.queue import (
    APPLICATIONS,
    COUNTS_SECONDS,
    QueueFilters,
    QueueQuerySet,
    queue,
    queue_counts,
    why_here,
    workload_settings,
)
from reviews.selectors.queue_listed import ListedApplication
from reviews.selectors.queue_seek import SORT_KEYS, Seek

# Pages reached by number; past these, by "Next" and "Previous" (and "Last") only.
NUMBERED_PAGES = 10
SALT = "reviews.queue.page"
# The query-string parameters of the queue's pages; a link to a page replaces all of them.
PAGE_PARAMETERS = ("page", "at", "after", "before")


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its rows, each with why it is where it is, and the counts. The
    links are the query-string parameters that lead to the page named (`PAGE_PARAMETERS`)."""

    rows: list[tuple[ListedApplication, priority.Priority]]
    counts: dict[str, int]
    count: int  # the applications the filters leave
    number: int
    num_pages: int
    numbered: dict[int, dict[str, str]]  # the pages reached by number, and their links
    previous: dict[str, str] | None
    next: dict[str, str] | None
    last: dict[str, str] | None  # None when this is the last page, or a numbered page links it

    @property
    def deep(self) -> bool:
        return self.number > NUMBERED_PAGES


def matches_key(*, user: User, filters: QueueFilters, now: datetime) -> str:
    """The cache key of how many applications `filters` leave for `user` (`matches_count`)."""
    wanted = asdict(replace(filters, sort=QueueFilters.sort))
    if filters.older_than_days:
        wanted["at"] = now.isoformat()
    digest = hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:32]
    return f"queue-matches:{user.pk}:{digest}"


def matches_read(*, user: User, asked: Mapping[str, str]) -> tuple[str, str] | None:
    """The (key, version) of the count `matches_count` will most likely read for the filters
    `asked` (a query string's values, not yet validated), for `cache_versions.read_ahead`; None
    when nothing is filtered, or when the count depends on the moment (a waiting-time filter).
    Only a guess: a value the form then cleans differently makes the count fetch its own."""
    names = {f.name for f in fields(QueueFilters)} - {"sort", "older_than_days"}
    if asked.get("older_than_days"):
        return None
    values: dict[str, Any] = {name: asked[name] for name in names if asked.get(name)}
    guess = QueueFilters(**values)
    if guess == QueueFilters():
        return None
    return matches_key(user=user, filters=guess, now=timezone.now()), APPLICATIONS


def matches_count(
    *, user: User, filters: QueueFilters, now: datetime, count: Callable[[], int]
) -> int:
    """How many applications `filters` leave for `user`: `count()`, kept like the counts until
    a move of the workflow makes it stale (or `COUNTS_SECONDS`). The pages of a filtered listing
    (and everyone's same filter) then count once, not on every page. A filter on waiting time
    depends on the moment too, so its count is kept for the listing's moment only."""
    return cache_versions.cached(
        matches_key(user=user, filters=filters, now=now),
        APPLICATIONS,
        count,
        timeout=COUNTS_SECONDS,
    )


def queue_page(
    *,
    user: User,
    filters: QueueFilters,
    per_page: int,
    page: int | str | None = None,
    at: str | None = None,
    after: str | None = None,
    before: str | None = None,
    now: datetime | None = None,
) -> QueuePage:
    """The page of the queue a link names: `page` a number up to `NUMBERED_PAGES` or "last",
    as of the moment `at` (or `now`, or the present); or the page `after` or `before` a cursor.
    Raises Http404 for a page that does not exist and BadRequest for a moment or cursor that was
    not ours.

    The same queries for every page, however deep: the counts (cached), the matches counted when
    filtered (cached the same way: `matches_count`) and the page's rows, in priority order read
    as streams already in order (`queue_streams`). Unfiltered, the matches are the counts' total.
    """
    sort = filters.sort if filters.sort in SORT_KEYS else "priority"
    seek, number, now = None, 1, now or timezone.now()
    if after or before:
        seek, number, now = _read_cursor(after or before or "", sort, backwards=not after)
    elif at:
        now = _read(at, _moment)
    workload = workload_settings()
    counts = queue_counts(user=user)

    def listing(seek: Seek | None = None) -> QueueQuerySet:
        return queue(user=user, filters=filters, now=now, workload=workload, seek=seek)

    if replace(filters, sort=QueueFilters.sort) == QueueFilters():  # nothing filtered out
        count = counts["total"]
    else:
        count = matches_count(user=user, filters=filters, now=now, count=lambda: listing().count())
    num_pages = max(1, ceil(count / per_page))

    if seek is None:
        if page == "last":
            number = num_pages
        else:
            try:
                number = int(page or 1)
            except ValueError:
                raise Http404("No such page") from None
        # Past the numbered pages, only the last is reached by name: the others by their cursor.
        if not 1 <= number <= num_pages or (number > NUMBERED_PAGES and page != "last"):
            raise Http404("No such page")
    if seek is None and number <= NUMBERED_PAGES:
        everything = listing()
        everything.known_count = count
        rows = everything.page((number - 1) * per_page, number * per_page)
        has_previous, has_next = number > 1, number < num_pages
    elif seek is None:  # the last page, read backwards from the end
        on_last = count - (num_pages - 1) * per_page
        seek = Seek(None, backwards=True)
        rows = listing(seek).page(0, on_last)[::-1]
        has_previous, has_next = True, False
    else:
        found = listing(seek).page(0, per_page + 1)
        more = len(found) > per_page
        if seek.backwards:
            rows, has_previous, has_next = found[:per_page][::-1], more, True
        else:
            rows, has_previous, has_next = found[:per_page], True, more

    moment = signing.dumps(now.isoformat(), salt=SALT)  # signed once for all the page's links

    def link(to: int, row: ListedApplication | None, *, backwards: bool = False) -> dict[str, str]:
        if to <= NUMBERED_PAGES or row is None:
            return {"page": str(to), "at": moment}
        return _cursor_link(sort, row, to, now, backwards=backwards)

    last = link(num_pages, None) | {"page": "last"}
    return QueuePage(
        rows=[(row, why_here(row, workload, now)) for row in rows],
        counts=counts,
        count=count,
        number=number,
        num_pages=num_pages,
        numbered={n: link(n, None) for n in range(1, min(NUMBERED_PAGES, num_pages) + 1)},
        previous=link(number - 1, rows[0] if rows else None, backwards=True)
        if has_previous
        else None,
        next=link(number + 1, rows[-1] if rows else None) if has_next and rows else None,
        last=last if num_pages > NUMBERED_PAGES and number < num_pages else None,
    )


def _cursor_link(
    sort: str,
    row: Application | ListedApplication,
    to: int,
    now: datetime,
    *,
    backwards: bool = False,
) -> dict[str, str]:
    key = [_json(getattr(row, name)) for name, _ in SORT_KEYS[sort]]
    cursor = {"s": sort, "k": key, "n": to, "t": now.isoformat()}
    return {"before" if backwards else "after": signing.dumps(cursor, salt=SALT)}


def link_after_row(
    *, user: User, filters: QueueFilters, at: str, pk: int, number: int
) -> dict[str, str]:
    """The parameters of the link to page `number` of a listing (past the numbered pages), the
    page that starts after the application `pk`: the link "Next" carries on page `number - 1`
    when `pk` is its last row. `at` is the listing's moment, as its numbered pages' links carry
    it. For tools that must reach a deep page without following "Next" thousands of times (the
    benchmark); the row's sort key is read from the database, as of the listing's moment."""
    if number <= NUMBERED_PAGES:
        raise ValueError("a numbered page is reached by its number")
    now = _read(at, _moment)
    sort = filters.sort if filters.sort in SORT_KEYS else "priority"
    row = queue(user=user, filters=filters, now=now).filter(pk=pk).first()
    if row is None:
        raise Http404("No such application in this listing")
    return _cursor_link(sort, row, number, now)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _moment(text: Any) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a moment without its time zone")
    return moment


def _read(token: str, parse: Callable[[Any], Any]) -> Any:
    try:
        return parse(signing.loads(token, salt=SALT))
    except (signing.BadSignature, KeyError, IndexError, TypeError, ValueError):
        raise BadRequest("This link to a page of the queue is not valid.") from None


def _read_cursor(token: str, sort: str, *, backwards: bool) -> tuple[Seek, int, datetime]:
    def parse(data: dict[str, Any]) -> tuple[Seek, int, datetime]:
        names = SORT_KEYS[sort]
        if data["s"] != sort or len(data["k"]) != len(names):
            raise ValueError("a cursor of another order")
        number = int(data["n"])
        if number <= NUMBERED_PAGES:
            raise ValueError("a numbered page")
        parsers: dict[str, Callable[[Any], Any]] = {
            "priority": float,
            "submitted_at": _moment,
            "pk": int,
            "volume": int,
        }
        key = tuple(parsers[name](value) for (name, _), value in zip(names, data["k"], strict=True))
        return Seek(key, backwards=backwards), number, _moment(data["t"])

    return _read(token, parse)
