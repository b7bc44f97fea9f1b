"""The shapes a chart is made of: plain frozen records that jinja2/reporting/figure.html draws."""

from dataclasses import dataclass
from typing import Literal

from reporting.charts.scales import rounded, tidy


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return rounded(self.x + self.width)

    @property
    def bottom(self) -> float:
        return rounded(self.y + self.height)


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: Literal["start", "middle", "end"] = "start"


@dataclass(frozen=True)
class YTick:
    y: float
    label: Text
    zero: bool


@dataclass(frozen=True)
class XLabel:
    """A category's label under the axis: one to three lines, and its tick mark at `x`."""

    x: float
    y1: float
    y2: float
    lines: tuple[Text, ...]
    full: str


@dataclass(frozen=True)
class Pattern:
    id: str
    colour: str
    path: str
    stroke_width: float


@dataclass(frozen=True)
class Bar(Box):
    series: str
    category: str
    value: float
    fill: str
    stroke: str
    title: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    series: str
    category: str
    value: float
    path: str
    colour: str
    title: str


@dataclass(frozen=True)
class Line:
    """One unbroken run of a series' points: a missing value breaks the line."""

    points: str
    colour: str
    dash: str


@dataclass(frozen=True)
class Reference:
    x1: float
    x2: float
    y: float
    title: str


@dataclass(frozen=True)
class LegendEntry:
    label: Text
    kind: Literal["bar", "line", "reference"]
    # A bar's swatch is `box`; a line's is the segment x1–x2 at y, with `marker` on it.
    box: Box | None
    x1: float
    x2: float
    y: float
    colour: str
    fill: str
    dash: str
    marker: str


@dataclass(frozen=True)
class Chart:
    kind: Literal["bars", "lines"]
    width: float
    height: float
    empty: bool
    plot: Box
    message: Text | None = None
    unit_label: Text | None = None
    y_ticks: tuple[YTick, ...] = ()
    x_labels: tuple[XLabel, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    bars: tuple[Bar, ...] = ()
    lines: tuple[Line, ...] = ()
    points: tuple[Point, ...] = ()
    reference: Reference | None = None
    legend: tuple[LegendEntry, ...] = ()
    label_step: int = 1

    @property
    def view_box(self) -> str:
        return f"0 0 {tidy(self.width)} {tidy(self.height)}"


# -- layout ------------------------------------------------------------------------------------
