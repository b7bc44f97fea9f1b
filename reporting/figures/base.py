"""A figure of the dashboard: what its chart draws, its table lists and its export carries are the
same rows, so they cannot disagree."""

from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | None


@dataclass(frozen=True)
class Figure:
    """One figure. `columns[0]` names the category (a week, a size class, a reviewer); each further
    column is a series the chart draws, in `unit`. `summary` says in words what the figure shows,
    with its main numbers, for everyone (and is what a screen reader hears for the chart)."""

    key: str
    title: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Literal["bars", "lines", "none"] = "bars"
    unit: str = "applications"
    # A line the chart draws across every category, such as a target (label, value).
    reference: tuple[str, float] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
