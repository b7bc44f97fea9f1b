"""Applications received, decided and withdrawn each week, from their events: worked out by hand
from the `march_2026` fixture's table (tests/reporting/conftest.py)."""

from datetime import date

from reporting.figures import applications_flow
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))


def test_received_decided_and_withdrawn_each_week(march_2026):
    figure = applications_flow(filters=MARCH)

    # Mar 2: A2 received, A1 decided. Mar 9: A3 and A4 received, A3 withdrawn (A6 was a draft).
    # Mar 16: A5 and A9 received, A2 decided. Mar 23: A4 decided. (A8 and A7: outside.)
    assert figure.columns == ("Week", "Received", "Decided", "Withdrawn")
    assert figure.rows == (
        ("2026-03-02", 1, 1, 0),
        ("2026-03-09", 2, 0, 1),
        ("2026-03-16", 2, 1, 0),
        ("2026-03-23", 0, 1, 0),
    )
    assert figure.summary == (
        "5 applications were received, 3 decided and 1 withdrawn between March 2 and March 29, "
        "2026."
    )


def test_the_period_bounds_the_events_counted(march_2026):
    # Tuesday Mar 10 to Tuesday Mar 17: A3 and A4 received on the 10th, A3 withdrawn on the 12th,
    # A5 received on the 17th; A1's decision (Mar 4) and A9 (Mar 20) are outside.
    figure = applications_flow(filters=ReportFilters(date(2026, 3, 10), date(2026, 3, 17)))

    assert figure.rows == (("2026-03-09", 2, 0, 1), ("2026-03-16", 1, 0, 0))
    assert figure.summary == (
        "3 applications were received, 0 decided and 1 withdrawn between March 10 and March 17, "
        "2026."
    )


def test_flow_of_one_size_class(march_2026):
    figure = applications_flow(filters=ReportFilters(MARCH.start, MARCH.end, size_class="micro"))

    # A3, received and withdrawn in the week of Mar 9.
    assert figure.rows == (
        ("2026-03-02", 0, 0, 0),
        ("2026-03-09", 1, 0, 1),
        ("2026-03-16", 0, 0, 0),
        ("2026-03-23", 0, 0, 0),
    )
    assert figure.summary == (
        "1 application was received, 0 decided and 1 withdrawn between March 2 and March 29, 2026."
    )


def test_flow_of_one_reviewer(march_2026, avery):
    figure = applications_flow(filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=avery.pk))

    # Avery has A1 (decided Mar 4), A2 (received Mar 3, decided Mar 19), A9 (received Mar 20).
    assert figure.rows == (
        ("2026-03-02", 1, 1, 0),
        ("2026-03-09", 0, 0, 0),
        ("2026-03-16", 1, 1, 0),
        ("2026-03-23", 0, 0, 0),
    )
