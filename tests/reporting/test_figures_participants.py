"""After certification: reports, notices, removals and appeals counted in the period from their
events, and corrective actions overdue now; worked out by hand from the `after_certification`
fixture's story (tests/reporting/conftest.py)."""

from datetime import date

from reporting.figures import after_certification as figures_after_certification
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))
REVIEWER_NOTE = (
    "The reviewer filter does not apply here: these records are not assigned to reviewers, so "
    "all of them are counted."
)


def test_reports_notices_removals_appeals_and_overdue_actions(after_certification):
    reports, removals, appeals, overdue = figures_after_certification(
        filters=MARCH, today=date(2026, 4, 1)
    )

    # Juniper's Feb 25 variance is before the period and Kapok's Mar 30 one after it.
    assert reports.columns == ("Record", "Number")
    assert reports.rows == (
        ("Variance reports filed", 1),
        ("Violation reports filed", 1),
        ("Notices of violation issued", 1),
        ("Failures to produce not eligible for a notice", 1),
    )
    assert reports.summary == (
        "1 variance and 1 violation were reported between March 2 and March 29, 2026; CBP "
        "issued 1 notice of violation in lieu of a penalty, and 1 failure to produce was not "
        "eligible for one."
    )
    assert removals.rows == (("Proposed", 1), ("Issued", 1), ("Took effect", 1))
    assert removals.summary == (
        "1 removal was proposed between March 2 and March 29, 2026, 1 issued and 1 took effect."
    )
    assert appeals.columns == ("Appeal", "Filed", "Upheld", "Reversed")
    assert appeals.rows == (("Of a denial", 1, 0, 1), ("Of a removal", 1, 1, 0))
    assert appeals.summary == (
        "2 appeals were filed between March 2 and March 29, 2026; of the appeals decided, 1 "
        "upheld the original decision and 1 reversed it."
    )
    # The violation's action was due Mar 10 and never answered; the variance's is due Dec 1.
    assert overdue.columns == ("Report", "Overdue corrective actions")
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 1))
    assert overdue.summary == "On April 1, 2026, 1 corrective action was overdue."


def test_of_one_size_class(after_certification):
    reports, removals, appeals, overdue = figures_after_certification(
        filters=ReportFilters(MARCH.start, MARCH.end, size_class="micro"), today=date(2026, 4, 1)
    )

    # Kapok alone (micro): its denial appealed and reversed; Juniper is small.
    assert [row[1] for row in reports.rows] == [0, 0, 0, 0]
    assert reports.summary == (
        "No reports were filed and no failures to produce were recorded between March 2 and "
        "March 29, 2026."
    )
    assert removals.rows == (("Proposed", 0), ("Issued", 0), ("Took effect", 0))
    assert appeals.rows == (("Of a denial", 1, 0, 1), ("Of a removal", 0, 0, 0))
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 0))
    assert overdue.summary == "On April 1, 2026, no corrective actions were overdue."


def test_the_reviewer_filter_does_not_apply_and_says_so(after_certification, blake):
    everyone = figures_after_certification(filters=MARCH)
    blakes = figures_after_certification(
        filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk)
    )

    assert [figure.rows for figure in blakes] == [figure.rows for figure in everyone]
    assert all(REVIEWER_NOTE in figure.notes for figure in blakes)


def test_a_corrective_action_is_overdue_from_the_day_after_it_was_due(after_certification, clock):
    clock.at(date(2026, 3, 10))
    *_, overdue = figures_after_certification(filters=MARCH)
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 0))

    clock.at(date(2026, 3, 11))
    *_, overdue = figures_after_certification(filters=MARCH)
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 1))
    assert overdue.summary == "On March 11, 2026, 1 corrective action was overdue."


def test_overdue_actions_are_counted_as_of_the_day_the_figures_are_for(after_certification, clock):
    # The clock says April 1; the figures are asked for as of March 10 and of March 11: the
    # violation's action, due March 10, is overdue only on the second.
    clock.at(date(2026, 4, 1))
    *_, overdue = figures_after_certification(filters=MARCH, today=date(2026, 3, 10))
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 0))
    assert overdue.summary == "On March 10, 2026, no corrective actions were overdue."
    *_, overdue = figures_after_certification(filters=MARCH, today=date(2026, 3, 11))
    assert overdue.rows == (("On variance reports", 0), ("On violation reports", 1))
