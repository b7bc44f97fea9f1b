"""Sizes of the drawing, the series' looks, numbers as the charts write them, and the value axis's scale."""

import math
from dataclasses import dataclass
from typing import Literal

from reporting.figures.base import Cell, Figure

WIDTH = 600
FONT_SIZE = 14
# 600 units shown at 32.5rem (520 px) or wider: 14 units are at least 12.1 px.
MIN_WIDTH_REM = 32.5
LINE_HEIGHT = 18
# Estimated width of a character, wider than the site's Source Sans Pro needs on average, so that
# labels estimated not to collide do not.
CHAR_WIDTH = 0.6 * FONT_SIZE
PLOT_HEIGHT = 220
MARGIN_RIGHT = 12
TICK_LENGTH = 6
LEGEND_ROW = 24
LEGEND_GAP = 16
BAR_SWATCH = 16
LINE_SWATCH = 30
MARKER_SIZE = 5
EMPTY_HEIGHT = 120
# Fewer characters than this under one category and a categorical axis (size classes, reviewers)
# becomes a dense one (weeks): every nth category labelled instead of each one wrapped.
MIN_WRAPPED_CHARS = 8

EMPTY_MESSAGE = "Nothing to chart: no value here is above zero."
NO_VALUE = "no value"


@dataclass(frozen=True)
class SeriesStyle:
    """How one series looks. Each colour is a USWDS system colour at least 3:1 against white
    (WCAG 1.4.11), and each series also differs without colour: bars by the pattern over their
    colour, lines by their dashes and the shape of their points."""

    token: str
    colour: str
    # Path drawn in white over the bar's colour in an 8×8 tile; "" is a solid bar.
    pattern: str
    pattern_width: float
    dash: str
    marker: Literal["circle", "square", "triangle", "diamond", "triangle-down", "plus"]


_DIAGONAL = "M-2,2L2,-2M0,8L8,0M6,10L10,6"
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("blue-60v", "#005ea2", "", 0, "", "circle"),
    SeriesStyle("orange-50v", "#c05600", _DIAGONAL, 2, "8 4", "square"),
    SeriesStyle("violet-warm-60v", "#93348c", "M2,2h0M6,6h0", 3, "2 4", "triangle"),
    SeriesStyle("mint-cool-50v", "#008480", "M0,4H8", 2, "12 4 3 4", "diamond"),
    SeriesStyle(
        "gold-50v",
        "#936f38",
        _DIAGONAL + "M-2,6L2,10M0,0L8,8M6,-2L10,2",
        1.5,
        "4 4",
        "triangle-down",
    ),
    SeriesStyle("gray-cool-70", "#3d4551", "M4,0V8", 2, "1 4", "plus"),
)


# -- numbers -----------------------------------------------------------------------------------


def format_number(value: float, *, decimals: int | None = None) -> str:
    """A number as the table and the chart show it: thousands separated; whole numbers without a
    decimal point; others to `decimals` places (2 unless told), trailing zeros dropped."""
    if decimals is None and float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.{2 if decimals is None else decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def quantity(value: float, unit: str) -> str:
    """`12 applications`, `1 application`: the value with its unit, for titles and legends."""
    if not unit:
        return format_number(value)
    if value == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{format_number(value)} {unit}"


def number_in(cell: Cell, *, figure: Figure, row: int, column: int) -> float | None:
    if cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        # A figure's series hold numbers; a word there is a bug in the figure, not something to
        # leave silently out of the chart.
        raise TypeError(
            f"Figure {figure.key!r}: row {row}, column {figure.columns[column]!r} "
            f"is {cell!r}, not a number"
        )
    return cell


def category_label(cell: Cell) -> str:
    """A row's first cell as its category's name (a year stays `2026`, not `2,026`)."""
    return "—" if cell is None else str(cell)


# -- scales ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A value axis from `low` to `high` with ticks every `step`."""

    low: float
    high: float
    step: float
    ticks: tuple[float, ...]

    def position(self, value: float, *, bottom: float, top: float) -> float:
        """Where `value` sits between `bottom` (at `low`) and `top` (at `high`): SVG's y grows
        downward, so `top` is the smaller number."""
        return bottom - (value - self.low) / (self.high - self.low) * (bottom - top)

    @property
    def decimals(self) -> int:
        """Places the tick labels need (0 for steps of 1 or more)."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9))


def nice_scale(
    high: float, *, low: float = 0.0, intervals: int = 5, integers: bool = True
) -> Scale:
    """An axis from zero (or below it, only if `low` is negative) to at least `high`, stepping by
    1, 2 or 5 times a power of ten so that there are about `intervals` steps: 37 gives 0 to 40 by
    10. Counts (`integers`) never step by less than 1."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integers:
        step = max(step, 1)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    ticks = tuple(tidy(n * step) for n in range(first, last + 1))
    return Scale(low=ticks[0], high=ticks[-1], step=tidy(step), ticks=ticks)


def tidy(value: float) -> float:
    """0.30000000000000004 back to 0.3, and whole numbers as ints."""
    value = round(value, 9)
    return int(value) if value.is_integer() else value


def rounded(value: float) -> float:
    return round(value, 2)


# -- the shapes the template draws -------------------------------------------------------------
