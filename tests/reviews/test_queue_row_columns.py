"""A page of the queue reads only what its rows show: not the submission's snapshot, search text or
proposed terms, nor the organisation's lists and histories; and showing the page reads no more."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.selectors import QueueFilters, queue

LEFT_OUT = [
    '"profile_snapshot"',
    '"search_text"',
    '"proposed_terms"',
    '"importer_numbers"',
    '"customs_brokers"',
    '"prior_penalties"',
    '"password"',
]


@pytest.fixture
def seeded(handbook_in_force):
    call_command("seed_scale", applications=30, seed=3, force=True, stdout=StringIO())


def test_the_page_rows_leave_out_what_no_row_shows(seeded, supervisor):
    with CaptureQueriesContext(connection) as queries:
        rows = list(queue(user=supervisor, filters=QueueFilters())[:25])
    assert len(rows) == 25
    page = queries.captured_queries[-1]["sql"]
    assert '"legal_name"' in page and '"entries_per_year"' in page
    for column in LEFT_OUT:
        assert column not in page.split(" WHERE ")[0], column
    # What a row does show is there without another query.
    with CaptureQueriesContext(connection) as more:
        shown = [(r.reference, r.organisation.legal_name, str(r.assigned_reviewer)) for r in rows]
    assert len(more) == 0
    assert all(reference.startswith("RKCP-") for reference, _, _ in shown)


def test_the_queue_page_shows_its_rows(seeded, client, supervisor, enrol_totp):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    response = client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    assert response.content.count(b'name="applications"') == 25
