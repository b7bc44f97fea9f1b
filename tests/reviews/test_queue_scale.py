"""The review queue at scale: `seed_scale` fills it; a page in priority order is the same whether or
not the applications that cannot be on it are left out; and the queue page takes the same number of
queries however many applications there are (the budget stated in docs/benchmarks.md and used by
`make bench`)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Application,
    InformationRequest,
    ReferenceCounter,
    risk_flag_bits,
    search_text,
)
from recordkeepers.sizing import size_class
from reviews.selectors import QUEUE_STATUSES, QueueFilters, queue

# The statements of one GET of the queue's first page by a supervisor, as Django counts them (a
# test's transaction turns the session's BEGIN/COMMIT into savepoints: the same count as in
# `make bench`, on SQLite as on PostgreSQL):
#   1-3    the session, the user, and the user's groups (the staff second-factor middleware)
#   4      the user's authenticator (staff must have one)
#   5      the reviewers, for the "Assigned" filter and bulk assignment (cached until a person or
#          a group changes: reviews/signals.py)
#   6      the workload settings (target days), for the priority (cached until an admin saves
#          them: reviews/signals.py)
#   7      the counts: by state, yours, without a reviewer, and matching the filters (the
#          paginator's count), in one pass
#   8      the page: its ids (in priority order, for a long listing on PostgreSQL, read as
#          streams already in order, each through an index: reviews/selectors/queue_streams.py;
#          otherwise sorted), and those rows with their organisation and reviewer, in one statement
#   9      the person's unread messages, for the header (staff have messages too)
#   10-12  saving the session, to push the idle timeout on: at most once a minute
#          (common.middleware), so the requests counted here, within the minute, run 9
QUEUE_PAGE_QUERIES = 12
SESSION_SAVE_QUERIES = 3


@pytest.fixture
def signed_in_supervisor(client, supervisor, enrol_totp):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    return supervisor


def seed(applications: int, seed: int = 0) -> None:
    call_command("seed_scale", applications=applications, seed=seed, force=True, stdout=StringIO())


def test_seed_scale_adds_submitted_applications_that_the_queue_shows(handbook_in_force, supervisor):
    seed(30)
    seed(30, seed=1)  # adds to what is there, with references of its own

    applications = list(Application.objects.select_related("organisation"))
    assert len(applications) == 60
    assert {a.status for a in applications} <= set(QUEUE_STATUSES)
    assert len({a.reference for a in applications}) == 60
    assert {a.handbook_edition_id for a in applications} == {handbook_in_force.pk}
    for application in applications:
        organisation = application.organisation
        assert application.size_class == size_class(
            entries_per_year=organisation.entries_per_year, import_value=organisation.import_value
        )
        assert application.risk_flag_bits == risk_flag_bits(organisation.risk_flags)
        assert application.risk_flags_declared == len(set(organisation.risk_flags))
        ports = organisation.ports
        assert application.port_codes == (f" {' '.join(ports)} " if ports else "")
        assert application.search_text == search_text(
            reference=application.reference, snapshot=application.profile_snapshot
        )
        assert application.submitted_at <= timezone.now()
    # The references were taken from the counters the submit service uses, so none will clash.
    for year, issued in Counter(a.reference.split("-")[1] for a in applications).items():
        assert ReferenceCounter.objects.get(year=int(year)).last >= issued
    assert len(list(queue(user=supervisor, filters=QueueFilters()))) == 60
    assert InformationRequest.objects.filter(application__status="info_requested").exists()


def test_seed_scale_refuses_to_run_without_debug_or_force(handbook_in_force, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", applications=5)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "filters",
    [
        QueueFilters(),
        QueueFilters(size_class="small"),
        QueueFilters(risk_flag="fta"),
        QueueFilters(assigned="unassigned"),
        QueueFilters(status="in_review"),
        QueueFilters(port="2704"),
    ],
    ids=["all", "small", "fta", "unassigned", "in_review", "port"],
)
def test_a_page_in_priority_order_read_as_streams_is_the_page_of_the_whole_sort(
    handbook_in_force, supervisor, filters
):
    seed(400)
    # Answers just arrived on some (seed_scale answers a few): a stream of their own.
    assert Application.objects.filter(answers_unread=True).exists()
    now = timezone.now()
    rows = queue(user=supervisor, filters=filters, now=now)
    # On PostgreSQL, with no count known: the streams (SQLite sorts the whole listing).
    assert rows._read_as_streams() == (connection.vendor == "postgresql")
    # The whole listing, sorted by the database in one ORDER BY, as the streams must agree.
    everything = list(rows._ids.values_list("pk", flat=True))
    assert len(everything) > 75

    for start in (0, 25, 50):
        assert [row.pk for row in rows[start : start + 25]] == everything[start : start + 25]
    assert [row.pk for row in rows[: len(everything) + 10]] == everything


def test_a_queue_filtered_again_is_still_sliced_correctly(handbook_in_force, supervisor):
    seed(60)
    rows = queue(user=supervisor, filters=QueueFilters(sort="age"))
    micro = rows.filter(size_class="micro")
    assert [r.pk for r in micro[:5]] == [r.pk for r in rows if r.size_class == "micro"][:5]


def test_the_queue_page_takes_the_same_queries_with_10_and_60_applications(
    client, signed_in_supervisor, handbook_in_force, django_assert_num_queries
):
    seed(10)
    client.get(reverse("reviews:queue"))  # the first request makes the workload settings row
    # Counted with the queue's counts not cached, as after a workflow move (seeding by bulk
    # insert moves nothing in the workflow, so the cache is cleared by hand): the most a page runs.
    cache.clear()
    with django_assert_num_queries(QUEUE_PAGE_QUERIES - SESSION_SAVE_QUERIES):
        response = client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    assert response.content.count(b'name="applications"') == 10
    # Between moves the counts, the reviewers and the workload settings are read from the cache,
    # all three in one round trip: three queries fewer.
    with django_assert_num_queries(QUEUE_PAGE_QUERIES - SESSION_SAVE_QUERIES - 3):
        client.get(reverse("reviews:queue"))

    seed(50, seed=1)
    cache.clear()
    with django_assert_num_queries(QUEUE_PAGE_QUERIES - SESSION_SAVE_QUERIES):
        response = client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    assert response.content.count(b'name="applications"') == 25


def test_the_flags_counted_cannot_disagree_with_the_flags(handbook_in_force):
    seed(3)
    application = (
        Application.objects.filter(risk_flag_bits__gt=0).first() or Application.objects.first()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            risk_flags_declared=application.risk_flags_declared + 1
        )


@pytest.mark.django_db
def test_a_million_submissions_are_spread_over_years_that_can_number_them():
    from datetime import UTC, datetime

    from reviews.management.commands.seed_scale import DAYS, _span_in_days

    december = datetime(2026, 12, 5, tzinfo=UTC)  # 339 days into the year
    assert _span_in_days(10_000, december) == DAYS
    ReferenceCounter.objects.create(year=2026, last=100_000)
    span = _span_in_days(1_000_000, december)
    # This year's share must fit the 899,999 numbers left, with room to spare.
    assert 1_000_000 * 339 / span < 899_999 * 0.95
    assert span < 2 * 365  # and not spread further than that needs


def test_a_search_is_sorted_whole_not_read_as_streams(handbook_in_force, supervisor):
    """Its matches come through the trigram index, which the database would read once for every
    stream (docs/benchmarks.md: 1.6 s for a common name at a million applications)."""
    seed(60)
    word = Application.objects.first().profile_snapshot["legal_name"].split()[0].lower()
    rows = queue(user=supervisor, filters=QueueFilters(search=word))
    assert rows._streams is None
    everything = list(rows._ids.values_list("pk", flat=True))
    assert everything
    assert [row.pk for row in rows[:25]] == everything[:25]
