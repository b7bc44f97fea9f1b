"""The queue's pages at any depth: numbered for the first pages, then "Next" and "Previous" carrying
a cursor. Walking a seeded queue forwards and back shows every application exactly once, in the
order a plain sort in Python gives; a deep page takes the queries the first page takes; a page that
does not exist is a 404 and a cursor not of our making a 400."""

import importlib
import re
from datetime import datetime, timedelta
from html import unescape
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Application, InformationRequest, WorkloadSettings
from recordkeepers.models import StaffRole
from reviews import priority
from reviews.selectors import QUEUE_STATUSES, QueueFilters, queue, queue_page
from reviews.selectors.queue_pages import NUMBERED_PAGES, SALT, link_after_row
from reviews.selectors.queue_seek import SORT_KEYS, Seek
from reviews.services import review_claim
from reviews.views import queue as queue_views
from tests.factories import staff_user

SORTS = ["priority", "age", "volume"]
PER_PAGE = 4  # 60 applications: 15 pages, 10 numbered and 5 reached by cursor


@pytest.fixture
def seeded(handbook_in_force):
    """About 60 applications, a dozen of them exact ties on every sort key but their id."""
    call_command("seed_scale", applications=60, seed=7, force=True, stdout=StringIO())
    tied = list(Application.objects.order_by("pk").values_list("pk", flat=True)[10:22])
    moment = timezone.now() - timedelta(days=40)
    Application.objects.filter(pk__in=tied).update(
        submitted_at=moment,
        size_class="small",
        risk_flag_bits=0,
        risk_flags_declared=0,
        entries_per_year=300,
        answers_unread=False,
    )
    InformationRequest.objects.filter(application_id__in=tied).delete()
    return Application.objects.count()


def expected_order(sort: str, now, *, unassigned_only: bool = False) -> list[int]:
    """The queue's order, computed here from the rows with the pure formula and Python's sort."""
    workload = WorkloadSettings.current()
    answered = set(
        InformationRequest.objects.filter(
            answered_at__isnull=False, acknowledged_at__isnull=True
        ).values_list("application_id", flat=True)
    )
    keys = []
    for a in Application.objects.all():
        if unassigned_only and a.assigned_reviewer_id is not None:
            continue
        points = priority.priority(
            priority.PriorityInput(
                waiting_days=(now - a.submitted_at).total_seconds() / 86400,
                target_days=workload.target_days(a.size_class),
                size_class=a.size_class,
                risk_flag_count=bin(a.risk_flag_bits).count("1"),
                information_answered=a.pk in answered,
            )
        ).value
        volume = a.entries_per_year if a.entries_per_year is not None else -1
        keys.append(
            {
                "priority": (-points, a.submitted_at, a.pk),
                "age": (a.submitted_at, a.pk),
                "volume": (-volume, a.submitted_at, a.pk),
            }[sort]
        )
    return [key[-1] for key in sorted(keys)]


def walk(user, sort: str, now, *, backwards: bool) -> tuple[list[int], list[int]]:
    """Every row met following Next from the first page (or Previous from the last), in the
    order shown, and the page numbers met."""
    filters = QueueFilters(sort=sort)
    link: dict = {"page": "last" if backwards else "1"}
    rows, numbers = [], []
    while link is not None:
        page = queue_page(user=user, filters=filters, per_page=PER_PAGE, now=now, **link)
        shown = [row.pk for row, _ in page.rows]
        rows = shown + rows if backwards else rows + shown
        numbers.append(page.number)
        link = page.previous if backwards else page.next
    return rows, numbers


@pytest.mark.parametrize("sort", SORTS)
def test_paging_forwards_and_back_shows_every_application_once_in_order(seeded, supervisor, sort):
    now = timezone.now()
    expected = expected_order(sort, now)
    assert len(expected) == seeded

    forwards, numbers = walk(supervisor, sort, now, backwards=False)
    assert forwards == expected
    assert numbers == list(range(1, 16))

    backwards, numbers = walk(supervisor, sort, now, backwards=True)
    assert backwards == expected
    assert numbers == list(range(15, 0, -1))


def test_a_deep_page_goes_back_to_the_rows_it_came_from(seeded, supervisor):
    now = timezone.now()
    filters = QueueFilters(sort="volume")
    page = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, page="10", now=now)
    eleven = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **page.next)
    twelve = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **eleven.next)
    back = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **twelve.previous)
    assert (eleven.number, twelve.number, back.number) == (11, 12, 11)
    assert [r.pk for r, _ in back.rows] == [r.pk for r, _ in eleven.rows]
    # ...and from page 11 back to page 10, by its number again.
    assert eleven.previous is not None and eleven.previous["page"] == "10"
    assert eleven.deep and not page.deep


@pytest.mark.parametrize("sort", ["priority", "volume"])
def test_the_link_after_a_row_is_the_link_next_makes_on_the_page_it_ends(seeded, supervisor, sort):
    """`link_after_row` (for tools that jump to a deep page) makes, from the row's id and the
    listing's moment, exactly the cursor "Next" carries from the page that row ends."""
    filters = QueueFilters(sort=sort)
    tenth = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, page="10")
    at = tenth.numbered[1]["at"]
    eleventh = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **tenth.next)
    last = eleventh.rows[-1][0].pk
    made = link_after_row(user=supervisor, filters=filters, at=at, pk=last, number=12)
    assert made == eleventh.next
    twelfth = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **made)
    assert twelfth.number == 12 and twelfth.rows[0][0].pk not in {r.pk for r, _ in eleventh.rows}
    with pytest.raises(ValueError, match="numbered"):
        link_after_row(user=supervisor, filters=filters, at=at, pk=last, number=10)


def test_the_priorities_shown_on_a_deep_page_are_as_of_the_first_page(seeded, supervisor):
    then = timezone.now() - timedelta(hours=6)
    filters = QueueFilters()
    page = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, page="10", now=then)
    deep = queue_page(user=supervisor, filters=filters, per_page=PER_PAGE, **page.next)
    expected = expected_order("priority", then)
    assert [r.pk for r, _ in deep.rows] == expected[40:44]


@pytest.fixture
def signed_in_supervisor(client, supervisor, enrol_totp):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    return supervisor


def links(response, label: str) -> str | None:
    found = re.search(rf'href="([^"]*)"[^>]*aria-label="{label}"', response.content.decode())
    return unescape(found[1]) if found else None


@pytest.mark.parametrize("sort", SORTS)
def test_the_queue_pages_keep_the_filters_and_reach_every_row(
    client, signed_in_supervisor, seeded, monkeypatch, sort
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    response = client.get(reverse("reviews:queue"), {"assigned": "unassigned", "sort": sort})
    seen, pages, moment = [], 0, None
    while True:
        assert response.status_code == 200
        pages += 1
        seen += [int(pk) for pk in re.findall(r'name="applications" value="(\d+)"', response.text)]
        following = links(response, "Next page")
        if following is None:
            break
        query = parse_qs(urlsplit(following).query)
        assert query["assigned"] == ["unassigned"] and query["sort"] == [sort]
        moment = moment or signing.loads(query["at"][0], salt=SALT)  # the first page's moment
        response = client.get(reverse("reviews:queue") + following)
    assert pages > NUMBERED_PAGES  # the walk went past the numbered pages
    now = datetime.fromisoformat(moment)
    assert seen == expected_order(sort, now, unassigned_only=True)


@pytest.mark.parametrize("filtered", ["", "&assigned=unassigned"], ids=["all", "unassigned"])
@pytest.mark.parametrize("sort", SORTS)
def test_a_deep_page_takes_the_queries_of_the_first_page(
    client, signed_in_supervisor, seeded, monkeypatch, sort, filtered
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    url = f"{reverse('reviews:queue')}?sort={sort}{filtered}"
    client.get(url)  # the session's save, the workload settings row: once per minute or ever
    tenth = client.get(f"{url}&page=10")
    deep = reverse("reviews:queue") + links(tenth, "Next page")
    last = reverse("reviews:queue") + links(tenth, r"Page \d+, last page")

    def queries(address: str) -> int:
        cache.clear()  # the counts as after a workflow move: the most a page runs
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200
        assert response.text.count('name="applications"') > 0
        return len(captured.captured_queries)

    first = queries(url)
    assert queries(deep) == first
    assert queries(last) == first
    assert "page 11 of" in client.get(deep).text


@pytest.mark.parametrize("page", ["16", "11", "0", "-1", "two", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_not_found(
    client, signed_in_supervisor, seeded, monkeypatch, page
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", PER_PAGE)
    response = client.get(reverse("reviews:queue"), {"page": page})
    assert response.status_code == 404


def test_the_last_page_by_name_is_found(client, signed_in_supervisor, seeded, monkeypatch):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", PER_PAGE)
    response = client.get(reverse("reviews:queue"), {"page": "last", "sort": "age"})
    assert response.status_code == 200
    shown = [int(pk) for pk in re.findall(r'name="applications" value="(\d+)"', response.text)]
    assert shown == expected_order("age", timezone.now())[-len(shown) :]
    assert len(shown) == seeded - 14 * PER_PAGE


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cursor: cursor[:-3] + "abc",  # the signature no longer matches
        lambda cursor: "not-a-cursor",
        lambda cursor: "",
    ],
)
def test_a_cursor_not_of_our_making_is_a_bad_request(
    client, signed_in_supervisor, seeded, monkeypatch, tamper
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", PER_PAGE)
    tenth = client.get(reverse("reviews:queue"), {"page": "10", "sort": "age"})
    query = parse_qs(urlsplit(links(tenth, "Next page")).query)
    query["after"] = [tamper(query["after"][0])]
    response = client.get(reverse("reviews:queue"), {k: v[0] for k, v in query.items()})
    if query["after"][0]:
        assert response.status_code == 400
    else:  # an empty cursor is no cursor: the first page
        assert response.status_code == 200


def test_a_cursor_of_another_order_or_moment_is_a_bad_request(
    client, signed_in_supervisor, seeded, monkeypatch
):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", PER_PAGE)
    tenth = client.get(reverse("reviews:queue"), {"page": "10", "sort": "age"})
    query = {k: v[0] for k, v in parse_qs(urlsplit(links(tenth, "Next page")).query).items()}
    assert client.get(reverse("reviews:queue"), query).status_code == 200
    assert client.get(reverse("reviews:queue"), query | {"sort": "volume"}).status_code == 400
    second = client.get(reverse("reviews:queue"), {"page": "2", "at": "2026-01-01T00:00:00"})
    assert second.status_code == 400


def test_the_queue_indexes_hold_the_states_the_queue_filters_on():
    """A partial index serves only a query whose condition implies the index's: the states in the
    migration's SQL must be the queue's."""
    migration = importlib.import_module(
        "certification.migrations.0022_queue_keyset_and_search_indexes"
    )
    listed = re.findall(r"'(\w+)'", migration.QUEUE)
    assert listed == [status.value for status in QUEUE_STATUSES]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sort", "index"),
    [("age", "application_queue_age"), ("volume", "application_queue_volume_key")],
)
def test_a_deep_page_in_age_or_volume_order_reads_its_index_from_the_cursor(
    seeded, supervisor, sort, index
):
    now = timezone.now()
    tenth = queue_page(
        user=supervisor, filters=QueueFilters(sort=sort), per_page=PER_PAGE, page="10", now=now
    )
    last = tenth.rows[-1][0]
    key = tuple(getattr(last, name) for name, _ in SORT_KEYS[sort])
    rows = queue(user=supervisor, filters=QueueFilters(sort=sort), now=now, seek=Seek(key))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE certification_application")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a large table
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = rows._ids.values_list("pk", flat=True)[: PER_PAGE + 1].explain()
    assert f"Index Only Scan using {index}" in plan or f"Index Scan using {index}" in plan
    assert "Index Cond" in plan  # started at the cursor, not read from the top
    assert "Sort" not in plan.split("Limit", 1)[1].split("->", 2)[1]  # read in order


@pytest.mark.postgres
def test_a_port_filter_in_priority_order_reads_each_stream_from_its_index_alone(seeded, supervisor):
    """The port is checked on the stream index's own entries (it is included in the index), so
    each stream is read in order and stops at its limit, never fetching rows to check them."""
    port = Application.objects.exclude(port_codes="").values_list("port_codes", flat=True)[0]
    filters = QueueFilters(port=port.split()[0])
    rows = queue(user=supervisor, filters=filters, now=timezone.now())
    assert rows._read_as_streams()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE certification_application")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a large table
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        with CaptureQueriesContext(connection) as page:
            rows.page(0, PER_PAGE)
        cursor.execute("EXPLAIN " + page.captured_queries[-1]["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    stream = plan[plan.index("Function Scan on streams") :]
    assert "Index Only Scan using application_queue_stream" in stream
    assert "port_codes" in stream.split("Index Only Scan", 1)[1].split("->", 1)[0]  # its Filter
    assert "Sort" not in stream.split("Index Only Scan", 1)[0]  # read in order


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?port=2704",
        "?search=eagle&size_class=small",
        "?search=eagle+goods",  # two words: how rare the longer is, read ahead too
        "?assigned=unassigned&page=2",
        "?sort=age",
    ],
)
def test_a_queue_page_reads_the_cache_once_when_what_it_reads_is_there(
    client, signed_in_supervisor, seeded, monkeypatch, query
):
    """The counts, the reviewers, the workload settings, the filter form's HTML, a filter's
    count of matches and a searched word's rarity come back from the cache in one round trip
    (`read_ahead`)."""
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    url = reverse("reviews:queue") + query
    assert client.get(url).status_code == 200  # fills the cache
    trips = []
    original = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *a, **k: trips.append(keys) or original(keys, *a, **k)
    )
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(trips) == 1, trips
    counted = [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert [q["sql"] for q in counted if "certification_application" in q["sql"]] == []


def test_a_filtered_listing_counts_its_matches_once_until_a_workflow_move(
    client, signed_in_supervisor, seeded, supervisor, monkeypatch
):
    """The matches of a filter are counted on the listing's first page, not on every page after;
    a move of the workflow (here, an application claimed) makes the count stale at once."""
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    url = f"{reverse('reviews:queue')}?assigned=unassigned&sort=age"
    client.get(url)  # the session's save, the workload settings row
    cache.clear()

    def counted(address: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200
        counts = [
            q
            for q in captured.captured_queries
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "certification_application"')
        ]
        return len(counts), response.text

    unassigned = Application.objects.filter(
        assigned_reviewer__isnull=True, status__in=QUEUE_STATUSES
    ).count()
    queries, text = counted(url)
    assert queries == 1
    assert f'id="results-heading" class="font-heading-md">{unassigned} application' in text
    assert counted(f"{url}&page=2")[0] == 0  # the same filter: counted already
    application = Application.objects.filter(
        assigned_reviewer__isnull=True, status="submitted"
    ).first()
    reviewer = staff_user(StaffRole.REVIEWER, email="claims@cbp.example.gov")
    review_claim(application=application, actor=reviewer, no_conflict=True)
    queries, text = counted(url)
    assert queries == 1  # the move made the count stale
    assert f'id="results-heading" class="font-heading-md">{unassigned - 1} application' in text


def test_a_search_matching_too_many_to_look_through_says_how_to_narrow_it(
    client, signed_in_supervisor, seeded, monkeypatch
):
    from reviews.views import queue_body

    monkeypatch.setattr(queue_body, "BROAD_SEARCH_FROM", 5)
    word = "goods"
    matching = Application.objects.filter(
        status__in=QUEUE_STATUSES, search_text__contains=word
    ).count()
    assert matching >= 5  # seed_scale's names: "<Name> Goods <Coined> LLC" among others
    response = client.get(reverse("reviews:queue"), {"search": word})
    assert response.status_code == 200
    assert f"“{word}” matches {matching:,} applications." in response.text
    one = Application.objects.filter(status__in=QUEUE_STATUSES).first()
    narrow = client.get(reverse("reviews:queue"), {"search": one.reference})
    assert narrow.status_code == 200
    assert 'id="search-hint"' not in narrow.text


@pytest.mark.postgres
def test_a_cursor_past_every_stream_is_an_empty_page_not_an_error(seeded, supervisor):
    """A cursor whose priority is below every row's leaves no stream to read: the page is empty
    (the statement around the ids still has their columns to join)."""
    now = timezone.now()
    rows = queue(
        user=supervisor, filters=QueueFilters(), now=now, seek=Seek((-1e9, now.isoformat(), 0))
    )
    assert rows._read_as_streams()
    assert rows.page(0, PER_PAGE + 1) == []
