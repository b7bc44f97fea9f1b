"""Days from submission to decision and from question to answer: the median and the 90th
percentile by nearest rank (of n values in ascending order, the one at rank ⌈p × n ÷ 100⌉),
worked out by hand."""

from datetime import date

from reporting.figures import answer_times, decision_times
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))
COLUMNS = ("Size class", "Median (days)", "90th percentile (days)")


def test_days_from_submission_to_decision(march_2026):
    figure = decision_times(filters=MARCH)

    # A1 small: Feb 23 to Mar 4, 9 days; A2 small: Mar 3 to Mar 19, 16 days; A4 medium: Mar 10 to
    # Mar 25, 15 days. Small [9, 16]: median rank 1 (9), 90th rank 2 (16). All [9, 15, 16]: rank 2
    # (15) and rank 3 (16). An average of the middle two would give small 12.5: not this rule.
    assert figure.columns == COLUMNS
    assert figure.rows == (
        ("Small", 9.0, 16.0),
        ("Medium", 15.0, 15.0),
        ("All size classes", 15.0, 16.0),
    )
    assert figure.unit == "days"
    assert figure.summary == (
        "Of the 3 applications decided between March 2 and March 29, 2026, half were decided "
        "within 15 days of submission and nine in ten within 16 days."
    )
    assert "nearest rank" in figure.notes[0]


def test_decision_times_of_one_size_class_and_of_one_reviewer(march_2026, blake):
    small = decision_times(filters=ReportFilters(MARCH.start, MARCH.end, size_class="small"))
    assert small.rows == (("Small", 9.0, 16.0),)

    blakes = decision_times(filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk))
    assert blakes.rows == (("Medium", 15.0, 15.0), ("All size classes", 15.0, 15.0))
    assert blakes.summary == (
        "The one application decided between March 2 and March 29, 2026 was decided 15 days "
        "after submission."
    )


def test_days_from_question_to_answer(answers):
    figure = answer_times(filters=MARCH)

    # X [1, 2, 3, 4, 10]: median rank 3 (3), 90th rank 5 (10).
    # Y [0.5, 1.5, 2.5, 3.5]: median rank 2 (1.5, not the average 2.0), 90th rank 4 (3.5).
    # All nine [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 10]: median rank 5 (2.5), 90th rank 9 (10).
    assert figure.columns == COLUMNS
    assert figure.rows == (
        ("Small", 3.0, 10.0),
        ("Large", 1.5, 3.5),
        ("All size classes", 2.5, 10.0),
    )
    assert figure.summary == (
        "9 requests for information were answered between March 2 and March 29, 2026: half "
        "within 2.5 days of CBP's questions and nine in ten within 10 days."
    )


def test_answer_times_of_one_reviewer(answers, blake):
    figure = answer_times(filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk))

    assert figure.rows == (("Large", 1.5, 3.5), ("All size classes", 1.5, 3.5))


def test_answer_times_of_one_size_class_in_a_shorter_period(answers):
    # Mar 2 to Mar 12: X's 1, 2 and 3 days; its median is rank 2 (2), its 90th rank 3 (3).
    figure = answer_times(
        filters=ReportFilters(date(2026, 3, 2), date(2026, 3, 12), size_class="small")
    )

    assert figure.rows == (("Small", 2.0, 3.0),)
    assert figure.summary == (
        "3 requests for information were answered between March 2 and March 12, 2026: half "
        "within 2 days of CBP's questions and nine in ten within 3 days."
    )
