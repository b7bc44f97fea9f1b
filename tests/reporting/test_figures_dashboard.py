"""The dashboard's figures together: their order, what an empty period says, and a number of
queries that does not grow with the data."""

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import WorkloadSettings
from reporting.figures import FIGURES, dashboard_figures
from reporting.figures.tallies import tally_closed_days
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))
KEYS = [
    "queue-depth",
    "queue-ageing",
    "queue-age",
    "flow",
    "outcomes-by-size-class",
    "outcomes-by-route",
    "decision-times",
    "answer-times",
    "reviewer-load",
    "participant-reports",
    "participant-removals",
    "participant-appeals",
    "participant-overdue-actions",
]


@pytest.mark.django_db
def test_the_figures_in_display_order_each_with_a_table_that_fits_its_columns():
    figures = dashboard_figures(filters=MARCH, today=date(2026, 4, 1))

    assert [figure.key for figure in figures] == KEYS
    assert len(FIGURES) == 8  # functions: two of them yield two figures, one yields four
    for figure in figures:
        assert figure.title and figure.summary
        assert all(len(row) == len(figure.columns) for row in figure.rows), figure.key


@pytest.mark.django_db
def test_an_empty_period_has_zero_counts_or_no_rows_and_says_so(clock):
    clock.at(date(2025, 1, 20))
    empty = ReportFilters(start=date(2025, 1, 6), end=date(2025, 1, 19))
    figures = {
        figure.key: figure for figure in dashboard_figures(filters=empty, today=date(2025, 1, 20))
    }

    assert figures["queue-depth"].rows == (
        ("2025-01-06", 0, 0, 0, 0, 0),
        ("2025-01-13", 0, 0, 0, 0, 0),
    )
    assert figures["flow"].rows == (("2025-01-06", 0, 0, 0), ("2025-01-13", 0, 0, 0))
    assert figures["queue-ageing"].rows == (
        ("Micro", 0, 0),
        ("Small", 0, 0),
        ("Medium", 0, 0),
        ("Large", 0, 0),
    )
    assert figures["queue-age"].rows == (
        ("Micro", None, 30),
        ("Small", None, 45),
        ("Medium", None, 60),
        ("Large", None, 90),
    )
    assert figures["decision-times"].rows == figures["answer-times"].rows == ()
    assert figures["reviewer-load"].rows == ()
    for key in ("outcomes-by-size-class", "outcomes-by-route"):
        assert all(row[1:] == (0, 0) for row in figures[key].rows)
    for key in ("participant-reports", "participant-removals", "participant-appeals"):
        assert all(set(row[1:]) == {0} for row in figures[key].rows)

    period = "between January 6 and January 19, 2025"
    assert {key: figure.summary for key, figure in figures.items()} == {
        "queue-depth": f"No applications were waiting for CBP at the end of any week {period}.",
        "queue-ageing": "No applications were waiting for CBP on January 20, 2025.",
        "queue-age": "No applications were waiting for CBP on January 20, 2025, so none has an age.",
        "flow": f"No applications were received, decided or withdrawn {period}.",
        "outcomes-by-size-class": f"No applications were decided {period}.",
        "outcomes-by-route": f"No applications were decided {period}.",
        "decision-times": f"No applications were decided {period}.",
        "answer-times": f"No requests for information were answered {period}.",
        "reviewer-load": "No reviewers are listed. No applications wait for a reviewer.",
        "participant-reports": (
            f"No reports were filed and no failures to produce were recorded {period}."
        ),
        "participant-removals": f"No removals were proposed, issued or took effect {period}.",
        "participant-appeals": f"No appeals were filed or decided {period}.",
        "participant-overdue-actions": "On January 20, 2025, no corrective actions were overdue.",
    }


def _queries(filters: ReportFilters) -> int:
    cache.clear()  # each count starts from the same cache: nothing kept
    with CaptureQueriesContext(connection) as queries:
        dashboard_figures(filters=filters, today=date(2026, 4, 1))
    return len(queries)


@pytest.mark.parametrize("tallied", [False, True], ids=["log only", "tallied to Mar 10"])
@pytest.mark.parametrize("narrowed", ["", "size class", "reviewer"])
def test_the_number_of_queries_does_not_grow_with_the_data(activity, blake, narrowed, tallied):
    filters = ReportFilters(
        MARCH.start,
        MARCH.end,
        size_class="small" if narrowed == "size class" else "",
        reviewer_id=blake.pk if narrowed == "reviewer" else None,
    )
    WorkloadSettings.current()  # the settings row exists: reading it is one query each time

    def add_round() -> None:
        activity()
        if tallied:  # through Mar 10: the period is read from the tallies and from the log
            tally_closed_days(now=datetime(2026, 3, 11, 12, tzinfo=UTC), again=True)

    add_round()
    few = _queries(filters)
    for _ in range(3):
        add_round()
    many = _queries(filters)

    # Six for the figures not read by day: the ageing's waiting applications, the settings, the
    # workload panel's counts and people, the participants' records (nothing is cached here).
    # By day: how far the tallies reach; then the counts, the decisions and the answers from the
    # log, and, when there are tallies, from them too (the decisions twice: by outcome and by
    # time). With a reviewer chosen, the counts and the answers (which follow the present
    # reviewer) are read from the log alone.
    by_day = {
        ("", False): 1 + 3,
        ("", True): 1 + 3 + 4,
        ("size class", False): 1 + 3,
        ("size class", True): 1 + 3 + 4,
        ("reviewer", False): 1 + 3,
        ("reviewer", True): 1 + 3 + 2,
    }
    assert few == many == 6 + by_day[narrowed, tallied]
