"""The queue page's body, worked out in Python (reviews/views/queue_body.py) and placed by Jinja2:
its numbers written as Django's filters would write them, its pager's links, and its escaping."""

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import pluralize
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils.safestring import SafeString, mark_safe

from reviews.selectors import QueuePage
from reviews.views.queue_body import body_context, counts_sentence, pager, plural, search_hint
from reviews.views.queue_rows import QueueRow

COUNTS = {
    "total": 123456,
    "unassigned": 1001,
    "mine": 1,
    "submitted": 0,
    "in_review": 2500,
    "info_requested": 999,
    "recommended": 7,
}


@pytest.mark.parametrize("count", [0, 1, 2, 999, 1000, 25_000, 1_234_567])
def test_a_count_of_applications_is_written_as_intcomma_and_pluralize_would(count):
    assert plural(count, "application") == f"{intcomma(count)} application{pluralize(count)}"


def test_the_counts_sentence_names_every_count_with_its_thousands_separated():
    assert counts_sentence(COUNTS) == (
        "123,456 in the queue: 1,001 without a reviewer, 1 yours; 0 submitted, 2,500 in review, "
        "999 waiting for answers, 7 waiting for sign-off."
    )


ROW = QueueRow(
    pk=42,
    reference="RKCP-2026-000042",
    legal_name="Eagle Goods LLC",
    href="/staff/applications/42/",
    details="Small",
    submitted="Nov 23, 2026",
    status="Submitted",
    answers_arrived=False,
    answers_href="",
    information_overdue=False,
    reviewer="No one yet",
    claim_href="",
    sign_off_href="",
    assign_href="",
    assign_label="Assign",
    score_text="12.0",
    summary="Waiting",
    why_items=SafeString("<li>Waiting</li>"),
)


def page(*, number: int, num_pages: int, **links) -> QueuePage:
    numbered = {n: {"page": str(n), "at": "M"} for n in range(1, min(10, num_pages) + 1)}
    return QueuePage(
        rows=[],
        counts=COUNTS,
        count=num_pages * 25,
        number=number,
        num_pages=num_pages,
        numbered=numbered,
        previous=links.get("previous"),
        next=links.get("next"),
        last=links.get("last"),
    )


def test_a_single_page_has_no_pager(rf: RequestFactory):
    assert pager(page(number=1, num_pages=1), rf.get("/staff/queue/")) is None


def test_the_pager_keeps_the_filters_and_replaces_the_page_s_own_parameters(rf: RequestFactory):
    request = rf.get("/staff/queue/", {"size_class": "small", "page": "2", "at": "old"})
    shown = pager(
        page(
            number=2,
            num_pages=1200,
            previous={"page": "1", "at": "M"},
            next={"page": "3", "at": "M"},
            last={"page": "last", "at": "M"},
        ),
        request,
    )
    assert shown.previous == "?size_class=small&page=1&at=M"
    assert shown.next == "?size_class=small&page=3&at=M"
    assert [link.label for link in shown.numbered] == [str(n) for n in range(1, 11)]
    assert [link.current for link in shown.numbered][:3] == [False, True, False]
    assert shown.numbered[1].aria_label == "Page 2"
    [last] = shown.beyond
    assert (last.label, last.aria_label, last.current) == ("1,200", "Page 1200, last page", False)
    assert last.href == "?size_class=small&page=last&at=M"


def test_a_deep_page_is_shown_after_the_numbered_ones_as_the_current_one(rf: RequestFactory):
    request = rf.get("/staff/queue/", {"after": "cursor"})
    shown = pager(page(number=2000, num_pages=4000, previous={"before": "c"}), request)
    [deep] = shown.beyond  # no link to the last page given: none shown
    assert (deep.label, deep.current, deep.href) == ("2,000", True, "/staff/queue/?after=cursor")
    assert shown.previous == "?before=c" and shown.next is None


def test_the_body_escapes_what_it_places_and_keeps_the_html_it_was_given(rf: RequestFactory):
    request = rf.get("/staff/queue/", {"search": '"><script>alert(1)</script>'})
    context = body_context(
        request,
        page(number=11, num_pages=40, previous={"before": "c"}),
        is_supervisor=True,
        errors_html=SafeString(""),
        filters_html=mark_safe('<div id="given-filters"></div>'),
        reviewers=[(3, "Jo <b>Smith</b>")],
        rows=[ROW],
    )
    html = get_template("reviews/queue_body.html", using="jinja2").render(context)
    assert '<div id="given-filters"></div>' in html
    assert "<script>" not in html
    # The deep page's own link, as it was requested (its query string encoded).
    assert 'href="/staff/queue/?search=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"' in html
    assert '<option value="3">Jo &lt;b&gt;Smith&lt;/b&gt;</option>' in html
    assert 'aria-label="Page 11" aria-current="page">11</a>' in html
    assert "123,456 in the queue" in html and "1,000 applications" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_with_no_rows_the_body_says_so_and_offers_no_table_pager_or_bulk_assignment(rf):
    request = rf.get("/staff/queue/")
    context = body_context(
        request,
        page(number=1, num_pages=1),
        is_supervisor=True,
        errors_html=SafeString(""),
        filters_html=SafeString(""),
        reviewers=[(3, "Jo Smith")],
        rows=[],
    )
    html = get_template("reviews/queue_body.html", using="jinja2").render(context)
    assert "No applications match." in html
    assert "<table" not in html and "usa-pagination" not in html and "Jo Smith" not in html


@pytest.mark.parametrize(
    ("search", "count", "expected"),
    [
        ("eagle goods", 249, ""),
        ("", 5000, ""),
        (
            "eagle goods",
            250,
            "“eagle goods” matches 250 applications. To find one importer, type more of its "
            "name, or search for its importer number or an application’s reference "
            "(RKCP-2026-000123).",
        ),
        ("goods", 61_730, "“goods” matches 61,730 applications."),
    ],
)
def test_a_search_too_broad_to_look_through_says_how_to_narrow_it(search, count, expected):
    hint = search_hint(search, count)
    assert hint.startswith(expected) if expected else hint == ""


def test_the_broad_search_hint_is_escaped_where_it_is_placed(rf):
    typed = '<img src=x onerror="alert(1)">'
    context = body_context(
        rf.get("/staff/queue/", {"search": typed}),
        page(number=1, num_pages=20),
        is_supervisor=False,
        errors_html=SafeString(""),
        filters_html=SafeString(""),
        reviewers=[],
        rows=[ROW],
        search=typed,
    )
    html = get_template("reviews/queue_body.html", using="jinja2").render(context)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;” matches" in html
