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
        rows = queue(user=supervisor, filters=QueueFilters()).page(0, 25)
    assert len(rows) == 25
    shown = queries.captured_queries[-1]["sql"].split(" FROM (")[0]  # before the ids
    assert '"legal_name"' in shown and '"entries_per_year"' in shown
    for column in LEFT_OUT:
        assert column not in shown, column
    # What a row shows came with it.
    assert all(row.reference.startswith("RKCP-") and row.legal_name for row in rows)


def test_the_queue_page_shows_its_rows(seeded, client, supervisor, enrol_totp):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    response = client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    assert response.content.count(b'name="applications"') == 25
