"""The queue's figures: applications waiting for CBP at each week's end, from the event log, and the
age of those waiting against the target days. The expected numbers are worked out by hand from the
`march_2026` fixture's table (tests/reporting/conftest.py), week by week, in the comments."""

from datetime import date

from certification import workflow
from certification.models import WorkloadSettings
from reporting.figures import queue_ageing, queue_depth
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))
APRIL_1 = date(2026, 4, 1)


def test_queue_depth_counts_what_waited_at_each_weeks_end_from_the_first_day(march_2026):
    figure = queue_depth(filters=MARCH)

    # Before Mar 2: A8 (micro) and A1 (small) had entered.
    # Week of Mar 2: A2 enters, A1 is decided.         micro 1, small 1            = 2
    # Week of Mar 9: A3 enters and is withdrawn, A4 enters (A6, a draft, is nothing). + medium 1 = 3
    # Week of Mar 16: A2 decided, A5 and A9 enter.      micro 1, small 1, medium 1, large 1 = 4
    # Week of Mar 23: A4 decided.                       micro 1, small 1, large 1  = 3
    assert figure.columns == ("Week", "Micro", "Small", "Medium", "Large", "All size classes")
    assert figure.rows == (
        ("2026-03-02", 1, 1, 0, 0, 2),
        ("2026-03-09", 1, 1, 1, 0, 3),
        ("2026-03-16", 1, 1, 1, 1, 4),
        ("2026-03-23", 1, 1, 0, 1, 3),
    )
    assert figure.chart == "lines"
    assert figure.summary == (
        "3 applications were waiting for CBP on March 29, 2026, the period's last day counted. "
        "At the end of its first week (March 8): 2."
    )


def test_queue_depth_of_one_size_class_is_one_series(march_2026):
    figure = queue_depth(filters=ReportFilters(MARCH.start, MARCH.end, size_class="medium"))

    # A4 alone: entered Mar 10, decided Mar 25.
    assert figure.columns == ("Week", "Medium")
    assert figure.rows == (
        ("2026-03-02", 0),
        ("2026-03-09", 1),
        ("2026-03-16", 1),
        ("2026-03-23", 0),
    )
    assert figure.summary == (
        "No applications were waiting for CBP on March 29, 2026, the period's last day counted. "
        "At the end of its first week (March 8): 0."
    )


def test_queue_depth_of_one_reviewer_counts_the_applications_assigned_to_them(march_2026, blake):
    figure = queue_depth(filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk))

    # Blake has A4 (medium, Mar 10 to Mar 25) and A5 (large, from Mar 17).
    assert figure.rows == (
        ("2026-03-02", 0, 0, 0, 0, 0),
        ("2026-03-09", 0, 0, 1, 0, 1),
        ("2026-03-16", 0, 0, 1, 1, 2),
        ("2026-03-23", 0, 0, 0, 1, 1),
    )
    assert any("assigned to that reviewer now" in note for note in figure.notes)


def test_a_period_running_past_today_is_counted_to_today(march_2026):
    # Mar 30 to Apr 5, on Apr 1: A7 (small) has entered since Mar 29; nothing later exists.
    figure = queue_depth(filters=ReportFilters(date(2026, 3, 30), date(2026, 4, 5)), today=APRIL_1)

    assert figure.rows == (("2026-03-30", 1, 2, 0, 1, 4),)
    assert figure.summary == (
        "4 applications were waiting for CBP on April 1, 2026, the period's last day counted."
    )


def test_the_last_week_of_a_period_ending_midweek_ends_with_the_period(march_2026):
    # Wednesday Mar 4 to Thursday Mar 19: the third week is counted at the end of Mar 19, when A2
    # has been decided and A5 has entered, and not yet A9 (Mar 20).
    figure = queue_depth(filters=ReportFilters(date(2026, 3, 4), date(2026, 3, 19)))

    assert figure.rows == (
        ("2026-03-02", 1, 1, 0, 0, 2),
        ("2026-03-09", 1, 1, 1, 0, 3),
        ("2026-03-16", 1, 0, 1, 1, 3),
    )
    assert figure.summary.startswith("3 applications were waiting for CBP on March 19, 2026")


def test_ageing_counts_the_waiting_applications_and_those_past_their_target(march_2026):
    counts, ages = queue_ageing(filters=MARCH, today=APRIL_1)

    # Waiting on Apr 1: A8 micro (Jan 20: 71 days, target 30: past), A9 small (Mar 20: 12 days)
    # and A7 small (Mar 31: 1 day), A5 large (Mar 17: 15 days). The period does not matter.
    assert counts.columns == ("Size class", "Waiting", "Past the target")
    assert counts.rows == (("Micro", 1, 1), ("Small", 2, 0), ("Medium", 0, 0), ("Large", 1, 0))
    assert counts.summary == (
        "On April 1, 2026, 4 applications were waiting for CBP; 1 was past the target days of "
        "their size class."
    )
    # Medians by nearest rank: of the small ones' ages [1, 12], the lower middle one.
    assert ages.columns == ("Size class", "Median age (days)", "Target (days)")
    assert ages.rows == (
        ("Micro", 71, 30),
        ("Small", 1, 45),
        ("Medium", None, 60),
        ("Large", 15, 90),
    )
    assert ages.unit == "days"
    assert ages.summary == (
        "On April 1, 2026, the median age of the waiting applications was micro: 71 days against "
        "a target of 30; small: 1 day against a target of 45; large: 15 days against a target of "
        "90."
    )


def test_an_application_is_past_its_target_only_when_older_than_it(march_2026):
    settings = WorkloadSettings.current()
    settings.target_days_micro = 71  # A8 is 71 days old on Apr 1
    settings.save()
    counts, ages = queue_ageing(filters=MARCH, today=APRIL_1)
    assert counts.rows[0] == ("Micro", 1, 0)
    assert ages.rows[0] == ("Micro", 71, 71)

    settings.target_days_micro = 70
    settings.save()
    counts, _ = queue_ageing(filters=MARCH, today=APRIL_1)
    assert counts.rows[0] == ("Micro", 1, 1)


def test_ageing_counts_to_the_day_asked_and_keeps_to_the_size_class_chosen(march_2026):
    counts, ages = queue_ageing(
        filters=ReportFilters(MARCH.start, MARCH.end, size_class="small"), today=date(2026, 4, 10)
    )

    # On Apr 10 the small ones are 21 (A9) and 10 (A7) days old.
    assert counts.rows == (("Small", 2, 0),)
    assert ages.rows == (("Small", 10, 45),)


def test_ageing_of_one_reviewer(march_2026, avery):
    counts, ages = queue_ageing(
        filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=avery.pk), today=APRIL_1
    )

    # Of the waiting ones, Avery has A9 alone.
    assert counts.rows == (("Micro", 0, 0), ("Small", 1, 0), ("Medium", 0, 0), ("Large", 0, 0))
    assert ages.rows == (
        ("Micro", None, 30),
        ("Small", 12, 45),
        ("Medium", None, 60),
        ("Large", None, 90),
    )


def test_ageing_follows_each_move_at_once(march_2026):
    counts, _ = queue_ageing(filters=MARCH, today=APRIL_1)
    assert counts.rows[1] == ("Small", 2, 0)

    workflow.application_withdraw(application=march_2026.a9, actor=march_2026.a9.created_by)

    counts, ages = queue_ageing(filters=MARCH, today=APRIL_1)
    assert counts.rows[1] == ("Small", 1, 0)
    assert ages.rows[1] == ("Small", 1, 45)  # A7 alone
