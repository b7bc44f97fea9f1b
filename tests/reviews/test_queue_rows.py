"""What a queue row says and offers, worked out once in Python (reviews/views/queue_rows.py): the
decisions the template used to make, on unsaved objects, with no database."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils.safestring import SafeString

import jinja2
from certification.models import ApplicationStatus
from recordkeepers.models import User
from reviews import priority
from reviews.selectors import ListedApplication
from reviews.views.queue_rows import RowLinks, queue_row

WHY = priority.priority(
    priority.PriorityInput(
        waiting_days=12.0,
        target_days=30,
        size_class="small",
        risk_flag_count=2,
        information_answered=False,
    )
)


def application(*, reviewer: User | None = None, status=ApplicationStatus.IN_REVIEW, **extra):
    values = {
        "pk": 42,
        "reference": "RKCP-2026-000042",
        "status": status,
        "size_class": "small",
        "entries_per_year": 1200,
        "risk_flag_bits": 0b101,
        "submitted_at": datetime(2026, 11, 24, 3, 0, tzinfo=UTC),  # Nov 23 in New York
        "answers_arrived": False,
        "information_overdue": False,
        "legal_name": "Eagle Goods <Imports> LLC",
        "reviewer_id": reviewer.pk if reviewer else None,
        "reviewer_name": str(reviewer) if reviewer else "",
        "priority": WHY.value,
    }
    return ListedApplication(**(values | extra))


def person(pk: int, name: str) -> User:
    return User(pk=pk, email=f"{name.lower().replace(' ', '.')}@cbp.example.gov", full_name=name)


def test_the_reviewer_s_own_row_opens_the_workspace_and_says_it_is_theirs(settings):
    settings.TIME_ZONE = "America/New_York"
    pat = person(7, "Pat Lee")
    row = queue_row(
        application(reviewer=pat),
        WHY,
        user=pat,
        is_supervisor=False,
        is_reviewer=True,
        links=RowLinks(),
    )
    assert row.href == "/staff/applications/42/"
    assert row.reviewer == "Pat Lee (you)"
    assert row.details == "Small, 1,200 entries a year, 2 risk flags"
    assert row.submitted == "Nov 23, 2026"
    assert (row.claim_href, row.assign_href, row.sign_off_href) == ("", "", "")
    assert row.legal_name == "Eagle Goods <Imports> LLC"  # escaped by the template, not here
    assert isinstance(row.why_items, SafeString) and row.why_items.startswith("<li>")


def test_a_row_of_someone_else_opens_the_record_and_answers_only_show_as_a_tag():
    pat, sam = person(7, "Pat Lee"), person(8, "Sam Roe")
    row = queue_row(
        application(reviewer=sam, answers_arrived=True),
        WHY,
        user=pat,
        is_supervisor=False,
        is_reviewer=True,
        links=RowLinks(),
    )
    assert row.href == "/staff/applications/42/record"
    assert row.reviewer == "Sam Roe"
    assert row.answers_arrived and row.answers_href == ""


def test_an_unassigned_row_can_be_taken_by_a_reviewer():
    pat = person(7, "Pat Lee")
    waiting = queue_row(
        application(), WHY, user=pat, is_supervisor=False, is_reviewer=True, links=RowLinks()
    )
    assert waiting.reviewer == "No one yet"
    assert waiting.claim_href == "/staff/applications/42/claim"
    assert waiting.assign_href == ""


def test_a_supervisor_assigns_and_signs_off_and_takes_only_if_they_also_review():
    boss = person(9, "Alex Kim")
    links = RowLinks()
    waiting = queue_row(
        application(), WHY, user=boss, is_supervisor=True, is_reviewer=False, links=links
    )
    assert waiting.reviewer == "No one yet"
    assert waiting.claim_href == ""  # the claim is a reviewer's: a supervisor assigns
    reviewing_boss = queue_row(
        application(), WHY, user=boss, is_supervisor=True, is_reviewer=True, links=links
    )
    assert reviewing_boss.claim_href == "/staff/applications/42/claim"
    assert (waiting.assign_href, waiting.assign_label) == (
        "/staff/applications/42/assign",
        "Assign",
    )
    assert waiting.sign_off_href == ""

    recommended = queue_row(
        application(reviewer=person(7, "Pat Lee"), status=ApplicationStatus.RECOMMENDED),
        WHY,
        user=boss,
        is_supervisor=True,
        is_reviewer=False,
        links=links,
    )
    assert recommended.href == "/staff/applications/42/"  # supervisors open every workspace
    assert recommended.claim_href == ""
    assert recommended.assign_label == "Reassign"
    assert recommended.sign_off_href == "/staff/applications/42/sign-off"


@pytest.mark.parametrize("entries", [0, 7, 1200, 45000, 1234567])
@pytest.mark.parametrize("month", range(1, 13))
def test_numbers_and_dates_read_as_the_template_filters_write_them(settings, entries, month):
    settings.TIME_ZONE = "America/Chicago"
    submitted = datetime(2026, month, 1, 3, 30, tzinfo=UTC)  # the day before, in Chicago
    row = queue_row(
        application(entries_per_year=entries, submitted_at=submitted),
        WHY,
        user=person(7, "Pat Lee"),
        is_supervisor=False,
        is_reviewer=True,
        links=RowLinks(),
    )
    filters = Template('{% load humanize %}{{ n|intcomma }}|{{ when|date:"M j, Y" }}')
    count, day = filters.render(Context({"n": entries, "when": submitted})).split("|")
    assert row.submitted == day
    if entries:
        assert row.details.startswith(f"Small, {count} entries a year")
    else:
        assert row.details == "Small, 2 risk flags"


def test_the_rows_template_escapes_what_it_places_and_refuses_a_misspelt_name():
    rows_template = get_template("reviews/queue_rows.html", using="jinja2")
    pat = person(7, "Pat Lee")
    row = queue_row(
        application(reviewer=pat, legal_name='<script>alert("x")</script>'),
        WHY,
        user=pat,
        is_supervisor=True,
        is_reviewer=True,
        links=RowLinks(),
    )
    html = rows_template.render({"rows": [row], "is_supervisor": True})
    assert "<bdi>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</bdi>" in html
    assert "<script>" not in html
    assert 'name="applications" value="42"' in html  # the supervisor's checkbox
    assert html.count("<li>") == len(WHY.explained)  # the reasons, already escaped, kept as markup
    with pytest.raises(jinja2.UndefinedError):
        rows_template.render({"rows": [row]})  # is_supervisor left out
