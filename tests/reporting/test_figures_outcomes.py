"""Decisions certified or denied, by size class and by route: worked out by hand from the
`march_2026` fixture's table (tests/reporting/conftest.py). In March: A1 (small, general) certified,
A2 (small, general) denied, A4 (medium, alternative) certified."""

from datetime import date

from reporting.figures import outcomes
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))
GENERAL = "General recordkeeping requirements"
ALTERNATIVE = "Negotiated alternative program"


def test_outcomes_by_size_class_and_by_route(march_2026):
    by_size, by_route = outcomes(filters=MARCH)

    assert by_size.columns == ("Size class", "Certified", "Denied")
    assert by_size.rows == (("Micro", 0, 0), ("Small", 1, 1), ("Medium", 1, 0), ("Large", 0, 0))
    assert by_size.summary == (
        "3 applications were decided between March 2 and March 29, 2026: 2 certified and 1 denied."
    )
    assert by_route.columns == ("Route", "Certified", "Denied")
    assert by_route.rows == ((GENERAL, 1, 1), (ALTERNATIVE, 1, 0))
    assert by_route.summary == (
        "Between March 2 and March 29, 2026, CBP certified 1 and denied 1 under the general "
        "recordkeeping requirements, and certified 1 and denied 0 under a negotiated alternative "
        "program."
    )


def test_the_period_bounds_the_decisions_counted(march_2026):
    # To Sunday Mar 22: A4's certification (Mar 25) is outside.
    by_size, by_route = outcomes(filters=ReportFilters(date(2026, 3, 2), date(2026, 3, 22)))

    assert by_size.rows == (("Micro", 0, 0), ("Small", 1, 1), ("Medium", 0, 0), ("Large", 0, 0))
    assert by_route.rows == ((GENERAL, 1, 1), (ALTERNATIVE, 0, 0))


def test_outcomes_of_one_size_class(march_2026):
    by_size, by_route = outcomes(filters=ReportFilters(MARCH.start, MARCH.end, size_class="small"))

    assert by_size.rows == (("Small", 1, 1),)
    assert by_route.rows == ((GENERAL, 1, 1), (ALTERNATIVE, 0, 0))
    assert by_size.summary == (
        "2 applications were decided between March 2 and March 29, 2026: 1 certified and 1 denied."
    )


def test_outcomes_of_one_reviewer(march_2026, blake):
    by_size, by_route = outcomes(
        filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk)
    )

    assert by_size.rows == (("Micro", 0, 0), ("Small", 0, 0), ("Medium", 1, 0), ("Large", 0, 0))
    assert by_route.rows == ((GENERAL, 0, 0), (ALTERNATIVE, 1, 0))
    assert by_size.summary == (
        "1 application was decided between March 2 and March 29, 2026: 1 certified and 0 denied."
    )
