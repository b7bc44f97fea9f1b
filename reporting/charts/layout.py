"""Laying text and marks out: label widths and wrapping, which category labels show, point markers, the legend."""

import math
import re
from collections.abc import Sequence
from typing import Literal

from reporting.charts.scales import (
    BAR_SWATCH,
    CHAR_WIDTH,
    FONT_SIZE,
    LEGEND_GAP,
    LEGEND_ROW,
    LINE_HEIGHT,
    LINE_SWATCH,
    MARKER_SIZE,
    MIN_WRAPPED_CHARS,
    SERIES_STYLES,
    TICK_LENGTH,
    WIDTH,
    rounded,
)
from reporting.charts.shapes import Box, LegendEntry, Text, XLabel


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def wrap(text: str, *, width: int, lines: int) -> tuple[tuple[str, ...], bool]:
    """`text` in at most `lines` lines of at most `width` characters, breaking between words or
    after a hyphen; what does not fit ends in "…". Returns the lines and whether all of it fitted."""
    width = max(width, 2)
    out: list[str] = []
    for word in text.split():
        for n, piece in enumerate(re.split(r"(?<=-)(?=.)", word)):
            joined = out[-1] + ("" if n else " ") + piece if out else piece
            if out and len(joined) <= width:
                out[-1] = joined
            else:
                out.append(piece)
    if len(out) <= lines and all(len(line) <= width for line in out):
        return tuple(out), True
    out = [line if len(line) <= width else line[: width - 1] + "…" for line in out[:lines]]
    if not out[-1].endswith("…"):
        out[-1] = out[-1][: width - 1] + "…"
    return tuple(out), False


def label_step(labels: Sequence[str], *, band: float) -> tuple[int, int]:
    """How often to label the category axis, and in how many characters a line. Few categories
    (size classes, reviewers): each labelled, wrapped to three lines. Many (26 weeks): every nth,
    on one line, n the smallest that keeps the longest label clear of its neighbours."""

    def chars(step: int) -> int:
        return math.floor((band * step - CHAR_WIDTH) / CHAR_WIDTH)

    if chars(1) >= MIN_WRAPPED_CHARS:
        return 1, chars(1)
    longest = max((len(label) for label in labels), default=0)
    for step in range(1, len(labels) + 1):
        if chars(step) >= longest:
            return step, chars(step)
    return max(len(labels), 1), chars(max(len(labels), 1))


def lay_out_x_labels(
    categories: Sequence[str], *, plot: Box, band: float, y: float
) -> tuple[tuple[XLabel, ...], int, int]:
    step, chars = label_step(categories, band=band)
    max_lines = 3 if step == 1 else 1
    labels = []
    for index in range(0, len(categories), step):
        lines, _ = wrap(categories[index], width=chars, lines=max_lines)
        centre = plot.x + band * (index + 0.5)
        # Keep the estimated text inside the drawing (the first and last labels may be wider
        # than their band).
        half = max(text_width(line) for line in lines) / 2
        x = min(max(centre, half + 2), WIDTH - half - 2)
        labels.append(
            XLabel(
                x=rounded(centre),
                y1=plot.bottom,
                y2=rounded(plot.bottom + TICK_LENGTH),
                lines=tuple(
                    Text(rounded(x), rounded(y + LINE_HEIGHT * n), line, "middle")
                    for n, line in enumerate(lines)
                ),
                full=categories[index],
            )
        )
    rows = max((len(label.lines) for label in labels), default=1)
    return tuple(labels), step, rows


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    s = size
    match shape:
        case "circle":
            return (
                f"M{rounded(x - s)},{rounded(y)}a{s},{s} 0 1,0 {2 * s},0a{s},{s} 0 1,0 {-2 * s},0Z"
            )
        case "square":
            h = rounded(s * 0.9)
            return f"M{rounded(x - h)},{rounded(y - h)}h{rounded(2 * h)}v{rounded(2 * h)}h{rounded(-2 * h)}Z"
        case "triangle":
            return (
                f"M{rounded(x)},{rounded(y - s * 1.2)}L{rounded(x + s * 1.15)},{rounded(y + s * 0.8)}"
                f"L{rounded(x - s * 1.15)},{rounded(y + s * 0.8)}Z"
            )
        case "triangle-down":
            return (
                f"M{rounded(x)},{rounded(y + s * 1.2)}L{rounded(x + s * 1.15)},{rounded(y - s * 0.8)}"
                f"L{rounded(x - s * 1.15)},{rounded(y - s * 0.8)}Z"
            )
        case "diamond":
            d = rounded(s * 1.3)
            return f"M{rounded(x)},{rounded(y - d)}L{rounded(x + d)},{rounded(y)}L{rounded(x)},{rounded(y + d)}L{rounded(x - d)},{rounded(y)}Z"
        case "plus":
            a, b = rounded(s * 0.4), rounded(s * 1.1)
            return (
                f"M{rounded(x - a)},{rounded(y - b)}h{2 * a}v{rounded(b - a)}h{rounded(b - a)}v{2 * a}h{rounded(a - b)}"
                f"v{rounded(b - a)}h{-2 * a}v{rounded(a - b)}h{rounded(a - b)}v{-2 * a}h{rounded(b - a)}Z"
            )
    raise ValueError(f"unknown marker {shape!r}")


def legend_of(
    names: Sequence[str],
    *,
    kind: Literal["bars", "lines"],
    reference: str | None,
    pattern_ids: Sequence[str],
) -> tuple[tuple[LegendEntry, ...], float]:
    """The legend's entries in rows across the top, and the height they take."""
    entries: list[LegendEntry] = []
    x, row = 0.0, 0
    items: list[tuple[str, Literal["bar", "line", "reference"], int]] = [
        (name, "bar" if kind == "bars" else "line", n) for n, name in enumerate(names)
    ]
    if reference:
        items.append((reference, "reference", -1))
    for label, entry_kind, n in items:
        swatch = BAR_SWATCH if entry_kind == "bar" else LINE_SWATCH
        width = swatch + 6 + text_width(label)
        if x and x + width > WIDTH:
            x, row = 0.0, row + 1
        middle = row * LEGEND_ROW + LEGEND_ROW / 2
        style = SERIES_STYLES[n % len(SERIES_STYLES)] if n >= 0 else None
        entries.append(
            LegendEntry(
                label=Text(rounded(x + swatch + 6), rounded(middle + FONT_SIZE * 0.35), label),
                kind=entry_kind,
                box=Box(
                    rounded(x + 1),
                    rounded(middle - BAR_SWATCH / 2 + 1),
                    BAR_SWATCH - 2,
                    BAR_SWATCH - 2,
                )
                if entry_kind == "bar"
                else None,
                x1=rounded(x),
                x2=rounded(x + swatch),
                y=rounded(middle),
                colour=style.colour if style else "currentColor",
                fill=f"url(#{pattern_ids[n]})" if entry_kind == "bar" else "none",
                dash=style.dash if style else "6 4",
                marker=marker_path(style.marker, x + swatch / 2, middle)
                if style and entry_kind == "line"
                else "",
            )
        )
        x += width + LEGEND_GAP
    return tuple(entries), (row + 1) * LEGEND_ROW


def is_empty(values: Sequence[Sequence[float | None]]) -> bool:
    return not any(v for row in values for v in row)
