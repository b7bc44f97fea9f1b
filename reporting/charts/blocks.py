"""A figure as the page shows it: the chart, and the same numbers as a table."""

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from reporting.charts.build import build_chart
from reporting.charts.scales import NO_VALUE, category_label, format_number, number_in, quantity
from reporting.charts.shapes import Chart
from reporting.figures.base import Cell, Figure

# A figure's markup is kept under a digest of the chart code and of the figure, for a day at most.
DRAWN_KEY = "reporting:drawn:{code}:{figure}"
DRAWN_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TableCell:
    text: str
    missing: bool


@dataclass(frozen=True)
class TableRow:
    category: str
    cells: tuple[TableCell, ...]


@dataclass(frozen=True)
class FigureBlock:
    """Everything figure.html needs to draw one figure."""

    id: str
    figure: Figure
    chart: Chart | None
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    caption: str
    reference_text: str

    @property
    def caption_id(self) -> str:
        return f"{self.id}-caption"

    @property
    def chart_title_id(self) -> str:
        return f"{self.id}-chart-title"

    @property
    def chart_desc_id(self) -> str:
        return f"{self.id}-chart-desc"

    @property
    def summary_id(self) -> str:
        return f"{self.id}-summary"


def table_cell(cell: Cell, *, figure: Figure, row: int, column: int) -> TableCell:
    value = number_in(cell, figure=figure, row=row, column=column)
    return TableCell(NO_VALUE, True) if value is None else TableCell(format_number(value), False)


def figure_id(key: str) -> str:
    """An HTML id from a figure's key: `queue-depth` → `fig-queue-depth` (not `figure-…`, which
    the dashboard gives the section around the figure)."""
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return f"fig-{slug or 'unnamed'}"


def figure_block(figure: Figure) -> FigureBlock:
    block_id = figure_id(figure.key)
    chart = build_chart(figure, id_prefix=block_id)
    rows = tuple(
        TableRow(
            category=category_label(row[0] if row else None),
            cells=tuple(
                table_cell(row[j] if j < len(row) else None, figure=figure, row=i, column=j)
                for j in range(1, len(figure.columns))
            ),
        )
        for i, row in enumerate(figure.rows)
    )
    reference_text = ""
    if figure.reference is not None:
        label, value = figure.reference
        reference_text = f"{label}: {quantity(value, figure.unit)}"
        if chart is not None and not chart.empty:
            reference_text += ", drawn as a dashed line across the chart"
        reference_text += "."
    return FigureBlock(
        id=block_id,
        figure=figure,
        chart=chart,
        columns=figure.columns,
        rows=rows,
        caption=f"Table: {figure.title}" + (f" ({figure.unit})" if figure.unit else ""),
        reference_text=reference_text,
    )


def figure_html(figure: Figure, *, hide_title: bool = False) -> SafeString:
    """`figure` drawn: its chart, its summary and the table of the same numbers, by
    jinja2/reporting/figure.html (Jinja2 escapes everything it places; ADR 0007). With
    `hide_title`, for a page that gives the figure a heading of the same words, the caption is for
    screen readers only."""
    template = get_template("reporting/figure.html", using="jinja2")
    return mark_safe(template.render({"block": figure_block(figure), "hide_title": hide_title}))  # noqa: S308 - escaped by Jinja2


@functools.cache
def _drawing_digest() -> str:
    """What the drawing of a figure depends on besides the figure: the template and the chart
    code. A release that changes either draws every figure afresh."""
    sources = sorted(Path(__file__).parent.glob("*.py"))
    sources.append(Path(settings.BASE_DIR) / "jinja2" / "reporting" / "figure.html")
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]


def drawn_key(figure: Figure, hide_title: bool) -> str:
    # Every field of the figure, in its repr: the same numbers and words draw the same markup.
    drawn = hashlib.sha256(repr((figure, hide_title)).encode()).hexdigest()
    return DRAWN_KEY.format(code=_drawing_digest(), figure=drawn)


def figures_html(figures: Sequence[Figure], *, hide_title: bool = False) -> list[SafeString]:
    """Each of `figures` drawn (`figure_html`), kept in the cache by what it draws, so that a
    figure whose numbers and words have not moved since it was last drawn is not drawn again. One
    trip to the cache for all of them, and one more to keep those drawn afresh."""
    keys = [drawn_key(figure, hide_title) for figure in figures]
    kept = cache.get_many(keys)
    drawn, fresh = [], {}
    for key, figure in zip(keys, figures, strict=True):
        if key not in kept:
            kept[key] = fresh[key] = str(figure_html(figure, hide_title=hide_title))
        drawn.append(mark_safe(kept[key]))  # noqa: S308 - drawn by figure_html
    if fresh:
        cache.set_many(fresh, timeout=DRAWN_SECONDS)
    return drawn
