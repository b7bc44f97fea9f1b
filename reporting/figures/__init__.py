"""The dashboard's figures, each a function of `ReportFilters` returning a `Figure` (or a few, where
one reading of the data naturally yields several), in the order the dashboard shows them."""

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from reporting.figures.base import Figure
from reporting.figures.flow import applications_flow
from reporting.figures.load import reviewer_load
from reporting.figures.outcomes import outcomes
from reporting.figures.participants import after_certification
from reporting.figures.queue import queue_ageing, queue_depth
from reporting.figures.reader import Tallies
from reporting.figures.timing import answer_times, decision_times
from reporting.filters import ReportFilters


class FigureFunction(Protocol):
    """A figure of the dashboard: what it shows of `filters` on `today`, reading the history
    through `tallies` (one for the page, so figures share what they read; a fresh one if None)."""

    def __call__(
        self, *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
    ) -> Figure | list[Figure]: ...


FIGURES: Sequence[FigureFunction] = (
    queue_depth,
    queue_ageing,
    applications_flow,
    outcomes,
    decision_times,
    answer_times,
    reviewer_load,
    after_certification,
)


def dashboard_figures(*, filters: ReportFilters, today: date | None = None) -> list[Figure]:
    """Every figure of the dashboard for `filters`, in display order. The number of queries does
    not grow with the data: each function reads aggregates, the history by day
    (reporting.figures.tallies; tests/reporting/test_figures_dashboard.py)."""
    figures: list[Figure] = []
    tallies = Tallies()
    for figure_function in FIGURES:
        made = figure_function(filters=filters, today=today, tallies=tallies)
        figures.extend(made if isinstance(made, list) else [made])
    return figures


__all__ = [
    "FIGURES",
    "Figure",
    "FigureFunction",
    "after_certification",
    "answer_times",
    "applications_flow",
    "dashboard_figures",
    "decision_times",
    "outcomes",
    "queue_ageing",
    "queue_depth",
    "reviewer_load",
]
