"""A queue page's body as the Jinja2 template shows it (jinja2/reviews/queue_body.html): the
counts' sentence, the heading, the pager and the filter form, worked out here so that the template
only places them.

Rendered by Django's engine, the body around the rows (a dozen `intcomma`s, the pager's links,
the filter form's cached fragment, three reversed URLs) cost more than the floor's whole template
(docs/benchmarks.md); the same words built in Python and placed by Jinja2 cost a fraction. The
tests hold them to what Django's filters would write (tests/reviews/test_queue_body.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from reviews.selectors import PAGE_PARAMETERS, QueuePage


@dataclass(frozen=True, slots=True)
class PageLink:
    label: str  # "3", "1,204"
    href: str
    current: bool
    aria_label: str  # "Page 3", "Page 1,204, last page" (the number as a screen reader says it)


@dataclass(frozen=True, slots=True)
class Pager:
    """USWDS pagination: the first pages by number, then the page shown when it is deeper and
    the last page (`beyond`, each after an ellipsis), and Previous and Next."""

    previous: str | None
    next: str | None
    numbered: list[PageLink]
    beyond: list[PageLink]


def plural(count: int, word: str) -> str:
    """ "1 application", "1,200 applications", as `intcomma` and `pluralize` would write it."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def counts_sentence(counts: dict[str, int]) -> str:
    return (
        f"{counts['total']:,} in the queue: {counts['unassigned']:,} without a reviewer, "
        f"{counts['mine']:,} yours; {counts['submitted']:,} submitted, "
        f"{counts['in_review']:,} in review, {counts['info_requested']:,} waiting for answers, "
        f"{counts['recommended']:,} waiting for sign-off."
    )


# A search that leaves more applications than the numbered pages hold is too broad to find one
# importer by: the page says so, and how to narrow it.
BROAD_SEARCH_FROM = 250


def search_hint(search: str, count: int) -> str:
    """What to do about a search that matched too many to look through, or "" when it did not.
    A search of common words is also the one page whose cost grows with the queue (its matches
    do: docs/benchmarks.md); the hint is the way to a search that does not."""
    if not search or count < BROAD_SEARCH_FROM:
        return ""
    return (
        f"“{search}” matches {plural(count, 'application')}. To find one importer, type more of "
        "its name, or search for its importer number or an application’s reference "
        "(RKCP-2026-000123)."
    )


def link_maker(query: QueryDict) -> Callable[[dict[str, str] | None], str | None]:
    """A link to another page of the same listing: the filters kept, the page's own parameters
    (`PAGE_PARAMETERS`) replaced by the ones given. The filters are encoded once for the page's
    dozen links (a QueryDict's copy is a deep copy)."""
    kept = urlencode(
        [(name, value) for name, value in query.lists() if name not in PAGE_PARAMETERS],
        doseq=True,
    )

    def href(parameters: dict[str, str] | None) -> str | None:
        if parameters is None:
            return None
        return f"?{kept}&{urlencode(parameters)}" if kept else f"?{urlencode(parameters)}"

    return href


def pager(queue: QueuePage, request: HttpRequest) -> Pager | None:
    if queue.num_pages <= 1:
        return None
    href = link_maker(request.GET)

    def page_link(number: int, link: str, current: bool) -> PageLink:
        last = ", last page" if number == queue.num_pages else ""
        return PageLink(f"{number:,}", link, current, f"Page {number}{last}")

    numbered = [
        page_link(number, href(parameters) or "", number == queue.number)
        for number, parameters in queue.numbered.items()
    ]
    beyond = []
    if queue.deep:
        beyond.append(page_link(queue.number, request.get_full_path(), True))
    if queue.last is not None:
        beyond.append(page_link(queue.num_pages, href(queue.last) or "", False))
    return Pager(href(queue.previous), href(queue.next), numbered, beyond)


def body_context(
    request: HttpRequest,
    queue: QueuePage,
    *,
    is_supervisor: bool,
    errors_html: SafeString,
    filters_html: SafeString,
    reviewers: list[tuple[int, str]],
    rows: list,
    search: str = "",
) -> dict:
    return {
        "dashboard_href": reverse("reviews:dashboard"),
        "queue_href": reverse("reviews:queue"),
        "bulk_assign_href": reverse("reviews:bulk-assign"),
        "is_supervisor": is_supervisor,
        "counts_sentence": counts_sentence(queue.counts),
        "errors_html": errors_html,
        "filters_html": filters_html,
        "results_heading": plural(queue.count, "application"),
        "page_of": f"page {queue.number:,} of {queue.num_pages:,}" if queue.num_pages > 1 else "",
        "search_hint": search_hint(search, queue.count),
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
        "rows": rows,
        "pager": pager(queue, request),
        "sprite_href": static("vendor/uswds/img/sprite.svg"),
        "reviewers": reviewers,
    }
