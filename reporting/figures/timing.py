"""How long things take: from submission to decision, and from CBP's question to the applicant's
answer, as the median and the 90th percentile in days (nearest rank: reporting.figures.stats)."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from reporting.figures.base import Cell, Figure
from reporting.figures.common import (
    ALL_SIZES,
    DECIDED_REVIEWER_NOTE,
    days,
    period_words,
    scope_notes,
    sentence,
    size_classes,
    size_label,
)
from reporting.figures.reader import Tallies
from reporting.figures.stats import percentile_of_counts
from reporting.filters import ReportFilters

MEDIAN, NINETIETH = 50, 90
COLUMNS = ("Size class", "Median (days)", "90th percentile (days)")
DEFINITION = (
    "Median and 90th percentile by nearest rank: of n times in ascending order, the one at rank "
    "⌈n × p ÷ 100⌉, always a real application's time (of an even number, the median is the "
    "lower middle one)."
)


@dataclass(frozen=True)
class Times:
    """How many times were counted, and their median and 90th percentile in days."""

    count: int
    median: float
    ninetieth: float


def _times(tenths: Counter[int]) -> Times:
    return Times(
        count=tenths.total(),
        median=percentile_of_counts(tenths, MEDIAN) / 10,
        ninetieth=percentile_of_counts(tenths, NINETIETH) / 10,
    )


def _durations(
    by_size: Mapping[str, Counter[int]], *, filters: ReportFilters
) -> tuple[tuple[tuple[Cell, ...], ...], Times | None]:
    """The table of the times counted in tenths of a day by size class (`by_size`): a row for each
    size class with any, then all of them together; and the times of all of them."""
    overall: Counter[int] = Counter()
    for counted in by_size.values():
        overall.update(counted)
    shown = size_classes(filters)
    table: list[tuple[Cell, ...]] = []
    for size in shown:
        if by_size.get(size):
            found = _times(by_size[size])
            table.append((size_label(size), found.median, found.ninetieth))
    if not overall:
        return tuple(table), None
    everything = _times(overall)
    if len(shown) > 1:
        table.append((ALL_SIZES, everything.median, everything.ninetieth))
    return tuple(table), everything


def decision_times(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> Figure:
    """Days from submission (Application.submitted_at) to the decision's sign-off
    (Decision.decided_at), for the decisions of the period, by size class (from the decisions by
    day: the tallies and the decisions since, reporting.figures.tallies)."""
    rows, overall = _durations((tallies or Tallies()).decisions(filters).times, filters=filters)
    if overall is None:
        summary = f"No applications were decided {period_words(filters)}."
    elif overall.count == 1:
        summary = (
            f"The one application decided {period_words(filters)} was decided "
            f"{days(overall.median)} after submission."
        )
    else:
        summary = (
            f"Of the {overall.count} applications decided {period_words(filters)}, half were "
            f"decided within {days(overall.median)} of submission and nine in "
            f"ten within {days(overall.ninetieth)}."
        )
    return Figure(
        key="decision-times",
        title="Days from submission to decision",
        summary=summary,
        columns=COLUMNS,
        rows=rows,
        unit="days",
        notes=(
            DEFINITION,
            *((DECIDED_REVIEWER_NOTE,) if filters.reviewer_id is not None else ()),
        ),
    )


def answer_times(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> Figure:
    """Days from CBP's request for information (InformationRequest.created_at) to the applicant's
    answer (answered_at), for the requests answered in the period, by size class (by day: the
    tallies and the answers since, reporting.figures.tallies). A request not yet answered has no
    time to count."""
    rows, overall = _durations((tallies or Tallies()).answers(filters), filters=filters)
    if overall is None:
        summary = f"No requests for information were answered {period_words(filters)}."
    elif overall.count == 1:
        summary = (
            f"The one request for information answered {period_words(filters)} was answered "
            f"{days(overall.median)} after CBP asked."
        )
    else:
        summary = sentence(
            f"{overall.count} requests for information were answered {period_words(filters)}: "
            f"half within {days(overall.median)} of CBP's questions and nine in "
            f"ten within {days(overall.ninetieth)}."
        )
    return Figure(
        key="answer-times",
        title="Days from CBP's questions to the applicant's answers",
        summary=summary,
        columns=COLUMNS,
        rows=rows,
        unit="days",
        notes=(DEFINITION, *scope_notes(filters)),
    )
