"""The deadline engine: every date the program runs on, from the day something happened and the
windows CBP's admins set (`WorkloadSettings` for applications, `ParticipantSettings` for what follows
certification).

Pure: callers read the windows from the settings rows and pass them in, so a test or a letter can
say exactly which window it used. A window an admin changes applies to what is decided from then
on; a decision, a notice or a removal keeps the dates it was given.

Every window is in calendar days, counted on CBP's calendar: a moment (a `datetime`) becomes a day
with `cbp_day`, in CBP's time zone (`settings.TIME_ZONE`), so an appeal received at 11 p.m. Eastern
on the last day is on time whatever UTC says, across daylight-saving changes. A deadline is the last
day something may happen; it is "overdue" from the next day.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def cbp_day(moment: datetime) -> date:
    """The day `moment` (timezone-aware) falls on in CBP's time zone."""
    if moment.tzinfo is None:
        raise ValueError("cbp_day needs a timezone-aware moment.")
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def days_after(day: date, days: int) -> date:
    """`days` calendar days after `day` (the window's last day)."""
    if days < 0:
        raise ValueError("A window cannot be negative.")
    return day + timedelta(days=days)


def is_overdue(*, due: date, today: date) -> bool:
    """Overdue from the day after the last day."""
    return today > due


def appeal_deadline(*, issued: date, window_days: int) -> date:
    """The last day an appeal of a denial or a removal issued on `issued` may be received:
    19 CFR 163.13(d) gives 30 calendar days after issuance."""
    return days_after(issued, window_days)


def information_response_due(*, requested: date, window_days: int) -> date:
    """The day an applicant's answers to CBP's questions asked on `requested` are due."""
    return days_after(requested, window_days)


def corrective_action_due(*, requested: date, window_days: int) -> date:
    """The day a participant's corrective action asked for on `requested` is due."""
    return days_after(requested, window_days)


def notice_response_due(*, issued: date, window_days: int) -> date:
    """The day a participant's answer to a notice of violation issued on `issued` is due: the
    steps it has taken to prevent recurrence, "within a reasonable time" (19 CFR 163.12(d)),
    which CBP's admins set."""
    return days_after(issued, window_days)


def appeal_decision_due(*, received: date, window_days: int = 30) -> date:
    """The day an appeal received on `received` is to be decided: within 30 calendar days after
    receipt (163.13(d)); for a denial, later only with a delay notice."""
    return days_after(received, window_days)


def removal_effective_on(
    *,
    decided: date,
    immediate: bool,
    notice_received: date | None,
    appeal_deadline: date,
    appeal_received: date | None,
    appeal_upheld_on: date | None,
    appeal_reversed: bool = False,
) -> date | None:
    """The day a removal takes effect under 163.13(c)(3), from what is known; None while it is
    not determined (or never, after a reversal).

    - At once (the day decided) for willfulness or when public health, interest or safety
      requires it (`immediate`).
    - Otherwise only once the participant has the notice, and then: with no appeal received by
      the deadline, the day after the deadline (the first day no appeal can come); with an appeal,
      the day the decision upholding the removal is made.
    """
    if immediate:
        return decided
    if notice_received is None or appeal_reversed:
        return None
    if appeal_received is not None and appeal_received <= appeal_deadline:
        return appeal_upheld_on
    return max(days_after(appeal_deadline, 1), notice_received)


def certification_expires_on(*, certified_on: date, validity_days: int | None) -> date | None:
    """The last day a certification is valid, when admins set a validity period (the law sets
    none): None means it does not expire."""
    return None if validity_days is None else days_after(certified_on, validity_days)


def reminder_on(*, due: date, days_before: int) -> date:
    """The day a reminder of something due on `due` goes out."""
    return due - timedelta(days=days_before)


def window_start(*, today: date, window_days: int) -> date:
    """The first day of a look-back window ending today, e.g. the window within which earlier
    violations make one "repeated"."""
    return today - timedelta(days=window_days)
