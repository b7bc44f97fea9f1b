"""The flow through CBP: applications received, decided and withdrawn each week, from the event log."""

from datetime import date, timedelta

from reporting.figures.base import Cell, Figure
from reporting.figures.common import count_words, period_words, scope_notes, sentence
from reporting.figures.reader import Tallies
from reporting.filters import ReportFilters
from reporting.models import Measure

SHOWN = (Measure.RECEIVED, Measure.DECIDED, Measure.WITHDRAWN)


def applications_flow(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> Figure:
    """Applications received (submitted), decided (certified or denied at sign-off) and withdrawn
    after submission, each week of the period, counted from their events (by day: the tallies
    and the log since, reporting.figures.tallies)."""
    weekly: dict[date, list[int]] = {monday: [0, 0, 0] for monday in filters.weeks()}
    for (measure, day, _size), n in (tallies or Tallies()).counts(filters).items():
        if day is not None and measure in SHOWN:
            weekly[day - timedelta(days=day.weekday())][SHOWN.index(measure)] += n
    counts = [weekly[monday] for monday in filters.weeks()]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (monday.isoformat(), *week) for monday, week in zip(filters.weeks(), counts, strict=True)
    )
    received, decided, withdrawn = (sum(week[i] for week in counts) for i in range(3))
    if received == decided == withdrawn == 0:
        summary = f"No applications were received, decided or withdrawn {period_words(filters)}."
    else:
        summary = sentence(
            f"{count_words(received, 'application was', 'applications were')} received, "
            f"{decided} decided and {withdrawn} withdrawn {period_words(filters)}."
        )
    return Figure(
        key="flow",
        title="Applications received, decided and withdrawn each week",
        summary=summary,
        columns=("Week", "Received", "Decided", "Withdrawn"),
        rows=rows,
        notes=(
            "Decided: certified or denied when a supervisor signed the decision off; a denial "
            "reversed on appeal is counted with the appeals.",
            "Withdrawn: after submission; a draft withdrawn is not counted.",
            *scope_notes(filters),
        ),
    )
