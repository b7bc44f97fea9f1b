"""The deadline engine: every date the program runs on, in calendar days on CBP's calendar, with
expected dates written out by hand, and properties checked over many dates with hypothesis."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification import deadlines

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_windows_cross_month_ends_and_leap_days():
    assert deadlines.corrective_action_due(requested=date(2028, 1, 31), window_days=30) == date(
        2028, 3, 1
    )  # 2028 is a leap year: January 31 + 30 days is March 1
    assert deadlines.corrective_action_due(requested=date(2027, 1, 31), window_days=30) == date(
        2027, 3, 2
    )
    assert deadlines.notice_response_due(issued=date(2028, 2, 29), window_days=365) == date(
        2029, 2, 28
    )
    assert deadlines.appeal_decision_due(received=date(2026, 12, 15)) == date(2027, 1, 14)


def test_cbps_day_is_eastern_across_daylight_saving(settings):
    settings.TIME_ZONE = "America/New_York"
    # 04:30 UTC is 11:30 p.m. Eastern Standard Time the day before.
    assert deadlines.cbp_day(datetime(2026, 3, 2, 4, 30, tzinfo=UTC)) == date(2026, 3, 1)
    # DST began at 2 a.m. on March 8, 2026: 06:30 UTC is 1:30 a.m. EST, 07:30 UTC 3:30 a.m. EDT.
    assert deadlines.cbp_day(datetime(2026, 3, 8, 6, 30, tzinfo=UTC)) == date(2026, 3, 8)
    # 03:59 UTC on the 9th is 11:59 p.m. EDT on the 8th (four hours behind now, not five).
    assert deadlines.cbp_day(datetime(2026, 3, 9, 3, 59, tzinfo=UTC)) == date(2026, 3, 8)
    # DST ended on November 1, 2026: 04:30 UTC is 12:30 a.m. EDT; 05:30 UTC is 12:30 a.m. EST.
    assert deadlines.cbp_day(datetime(2026, 11, 1, 4, 30, tzinfo=UTC)) == date(2026, 11, 1)
    assert deadlines.cbp_day(datetime(2026, 11, 2, 4, 59, tzinfo=UTC)) == date(2026, 11, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines.cbp_day(datetime(2026, 3, 8, 6, 30))


def test_overdue_starts_the_day_after_the_last_day():
    assert not deadlines.is_overdue(due=date(2026, 12, 31), today=date(2026, 12, 31))
    assert deadlines.is_overdue(due=date(2026, 12, 31), today=date(2027, 1, 1))


def test_a_removal_takes_effect_as_163_13_c_3_says():
    decided = date(2026, 6, 1)
    deadline = date(2026, 7, 1)
    common = {"decided": decided, "appeal_deadline": deadline}
    # Willfulness, or public health, interest or safety: at once.
    assert deadlines.removal_effective_on(
        **common, immediate=True, notice_received=None, appeal_received=None, appeal_upheld_on=None
    ) == date(2026, 6, 1)
    # Not until the participant has the notice.
    assert (
        deadlines.removal_effective_on(
            **common,
            immediate=False,
            notice_received=None,
            appeal_received=None,
            appeal_upheld_on=None,
        )
        is None
    )
    # No appeal by the deadline: the day after it.
    assert deadlines.removal_effective_on(
        **common,
        immediate=False,
        notice_received=date(2026, 6, 2),
        appeal_received=None,
        appeal_upheld_on=None,
    ) == date(2026, 7, 2)
    # An appeal in time: only once it is decided upholding the removal, and never if reversed.
    pending = {"immediate": False, "notice_received": date(2026, 6, 2)}
    assert (
        deadlines.removal_effective_on(
            **common, **pending, appeal_received=date(2026, 6, 20), appeal_upheld_on=None
        )
        is None
    )
    assert deadlines.removal_effective_on(
        **common, **pending, appeal_received=date(2026, 6, 20), appeal_upheld_on=date(2026, 7, 15)
    ) == date(2026, 7, 15)
    assert (
        deadlines.removal_effective_on(
            **common,
            **pending,
            appeal_received=date(2026, 6, 20),
            appeal_upheld_on=None,
            appeal_reversed=True,
        )
        is None
    )
    # An appeal received after the deadline does not hold the removal back.
    assert deadlines.removal_effective_on(
        **common, **pending, appeal_received=date(2026, 7, 5), appeal_upheld_on=None
    ) == date(2026, 7, 2)


def test_a_certification_expires_only_when_admins_set_a_validity():
    assert (
        deadlines.certification_expires_on(certified_on=date(2026, 1, 1), validity_days=None)
        is None
    )
    assert deadlines.certification_expires_on(
        certified_on=date(2026, 1, 1), validity_days=1095
    ) == date(2028, 12, 31)  # three 365-day years, one of them leap
    assert deadlines.reminder_on(due=date(2026, 3, 1), days_before=7) == date(2026, 2, 22)
    assert deadlines.window_start(today=date(2026, 3, 1), window_days=365) == date(2025, 3, 1)


@given(day=days, window=st.integers(min_value=0, max_value=3650))
def test_a_window_is_exactly_its_calendar_days(day, window):
    for due in (
        deadlines.appeal_deadline(issued=day, window_days=window),
        deadlines.information_response_due(requested=day, window_days=window),
        deadlines.corrective_action_due(requested=day, window_days=window),
        deadlines.notice_response_due(issued=day, window_days=window),
        deadlines.appeal_decision_due(received=day, window_days=window),
    ):
        assert (due - day).days == window
        assert not deadlines.is_overdue(due=due, today=due)
        assert deadlines.is_overdue(due=due, today=due + timedelta(days=1))


@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_cbps_day_is_utc_minus_four_or_five_hours(moment):
    from django.conf import settings

    assert settings.TIME_ZONE == "America/New_York"
    utc = moment.replace(tzinfo=UTC)
    day = deadlines.cbp_day(utc)
    assert day in {(utc - timedelta(hours=4)).date(), (utc - timedelta(hours=5)).date()}


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError):
        deadlines.days_after(date(2026, 1, 1), -1)
