"""The history by day (reporting.figures.tallies): what a night's run writes, counted by hand from
the `march_2026` fixture's table (tests/reporting/conftest.py); that it runs once a day and can be
run again from the start; and that every figure is the same read through the tallies as read from
the log alone, wherever the tallies stop."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from certification import workflow
from reporting import tasks
from reporting.figures import dashboard_figures
from reporting.figures.tallies import last_closed_day, tally_closed_days
from reporting.filters import ReportFilters
from reporting.models import DayTally, TallyState
from tests.reporting.conftest import d

APRIL_1 = date(2026, 4, 1)


def _rows() -> set[tuple]:
    return set(
        DayTally.objects.values_list(
            "measure", "day", "size_class", "route", "outcome", "recommended_by", "tenths", "count"
        )
    )


def test_a_run_counts_each_closed_day_by_measure_and_size_class(march_2026, avery, blake):
    # Apr 1, 15:00 UTC (11:00 in New York): every day to Mar 31 is over.
    written = tally_closed_days(now=datetime(2026, 4, 1, 15, tzinfo=UTC))

    waiting = [
        (d(1, 20), "micro", 1),  # A8 submitted
        (d(2, 23), "small", 1),  # A1 submitted
        (d(3, 3), "small", 1),  # A2 submitted
        (d(3, 4), "small", -1),  # A1 certified
        (d(3, 10), "micro", 1),  # A3 submitted
        (d(3, 10), "medium", 1),  # A4 submitted
        (d(3, 12), "micro", -1),  # A3 withdrawn (A6, a draft, was never waiting)
        (d(3, 17), "large", 1),  # A5 submitted
        (d(3, 19), "small", -1),  # A2 denied
        (d(3, 20), "small", 1),  # A9 submitted
        (d(3, 25), "medium", -1),  # A4 certified
        (d(3, 31), "small", 1),  # A7 submitted
    ]
    received = [(day, size, 1) for day, size, n in waiting if n == 1]
    expected = {
        *(("received", day, size, "", "", None, None, n) for day, size, n in received),
        *(("waiting", day, size, "", "", None, None, n) for day, size, n in waiting),
        ("decided", d(3, 4), "small", "", "", None, None, 1),
        ("decided", d(3, 19), "small", "", "", None, None, 1),
        ("decided", d(3, 25), "medium", "", "", None, None, 1),
        ("withdrawn", d(3, 12), "micro", "", "", None, None, 1),
        # Submitted to signed off, 15:00 to 15:00 UTC: 9, 16 and 15 days, in tenths.
        ("decision", d(3, 4), "small", "general", "certified", avery.pk, 90, 1),
        ("decision", d(3, 19), "small", "general", "denied", avery.pk, 160, 1),
        ("decision", d(3, 25), "medium", "alternative", "certified", blake.pk, 150, 1),
        # A2's question of Mar 5 answered Mar 7: 2 days.
        ("answer", d(3, 7), "small", "", "", None, 20, 1),
    }
    assert _rows() == expected
    assert written == len(expected) == 28
    state = TallyState.objects.get()
    assert state.through == d(3, 31)


def test_a_day_is_tallied_once_an_hour_after_it_ends_and_once_only(march_2026):
    # 00:30 on Apr 1 in New York (04:30 UTC): Mar 31 is not yet an hour over.
    assert last_closed_day(datetime(2026, 4, 1, 4, 30, tzinfo=UTC)) == d(3, 30)
    assert last_closed_day(datetime(2026, 4, 1, 5, 30, tzinfo=UTC)) == d(3, 31)

    tally_closed_days(now=datetime(2026, 4, 1, 4, 30, tzinfo=UTC))
    assert TallyState.objects.get().through == d(3, 30)
    assert not DayTally.objects.filter(day=d(3, 31)).exists()

    assert tally_closed_days(now=datetime(2026, 4, 1, 4, 45, tzinfo=UTC)) == 0
    # The next run adds Mar 31 alone: A7's submission.
    assert tally_closed_days(now=datetime(2026, 4, 1, 15, tzinfo=UTC)) == 2
    assert set(DayTally.objects.filter(day=d(3, 31)).values_list("measure", "count")) == {
        ("received", 1),
        ("waiting", 1),
    }


def test_history_written_after_the_fact_is_counted_when_tallied_again(march_2026, clock):
    tally_closed_days(now=datetime(2026, 4, 1, 15, tzinfo=UTC))
    before = _rows()

    # An application withdrawn "on Mar 26" after Mar 26 was tallied, as seed_scale or an import
    # would write it: the next run does not see it; a run from the start does.
    clock.at(d(3, 26))
    workflow.application_withdraw(application=march_2026.a9, actor=march_2026.a9.created_by)
    clock.at(APRIL_1)
    assert tally_closed_days(now=datetime(2026, 4, 1, 16, tzinfo=UTC)) == 0
    assert _rows() == before

    tally_closed_days(now=datetime(2026, 4, 1, 16, tzinfo=UTC), again=True)
    assert _rows() - before == {
        ("waiting", d(3, 26), "small", "", "", None, None, -1),
        ("withdrawn", d(3, 26), "small", "", "", None, None, 1),
    }


# Where the tallies stop, as the instant a run is made at (None: never run).
RUNS = {
    "never": None,
    "before the period": datetime(2026, 3, 1, 12, tzinfo=UTC),  # through Feb 28
    "within it": datetime(2026, 3, 11, 12, tzinfo=UTC),  # through Mar 10
    "late on a day": datetime(2026, 3, 20, 3, 30, tzinfo=UTC),  # 23:30 Mar 19: through Mar 18
    "after it": datetime(2026, 4, 1, 15, tzinfo=UTC),  # through Mar 31
}


@pytest.mark.parametrize("run", list(RUNS))
def test_every_figure_is_the_same_through_the_tallies_as_from_the_log(
    run, march_2026, answers, avery, blake
):
    filters = [
        ReportFilters(d(3, 2), d(3, 29)),
        ReportFilters(d(3, 4), d(3, 19)),
        ReportFilters(d(1, 1), APRIL_1),
        ReportFilters(d(3, 30), APRIL_1),
        ReportFilters(d(3, 2), d(3, 29), size_class="small"),
        ReportFilters(d(3, 2), d(3, 29), size_class="medium"),
        ReportFilters(d(2, 1), d(3, 29), reviewer_id=avery.pk),
        ReportFilters(d(3, 2), APRIL_1, reviewer_id=blake.pk, size_class="large"),
    ]
    from_the_log = [dashboard_figures(filters=f, today=APRIL_1) for f in filters]
    assert not DayTally.objects.exists()

    if RUNS[run] is not None:
        assert tally_closed_days(now=RUNS[run]) > 0
    through_tallies = [dashboard_figures(filters=f, today=APRIL_1) for f in filters]
    # Read again: what was read of the tallies now comes from the cache.
    through_kept_tallies = [dashboard_figures(filters=f, today=APRIL_1) for f in filters]

    assert through_tallies == from_the_log
    assert through_kept_tallies == from_the_log
    # And the figures read counted something: the comparison is not of empty figures.
    flow = next(f for f in from_the_log[0] if f.key == "flow")
    assert sum(row[1] for row in flow.rows) == 5  # A2, A3, A4, A5 and A9 received


def test_the_command_and_the_hourly_task_tally_the_closed_days(march_2026, settings):
    # The clock reads Apr 1, 15:00 UTC: the task counts every day to Mar 31, the command again
    # from the start finds the same.
    assert settings.CELERY_BEAT_SCHEDULE["tally-closed-days"]["task"] == (
        "reporting.tasks.tally_closed_days"
    )
    assert tasks.tally_closed_days.delay().get() == 28
    assert TallyState.objects.get().through == d(3, 31)

    out = StringIO()
    call_command("tally_days", again=True, stdout=out)
    assert out.getvalue().strip() == "28 tally row(s) written; tallied through 2026-03-31"
