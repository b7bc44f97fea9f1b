"""A figure as the page shows it: the chart, and the same numbers as a table."""

import re
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from reporting.charts.build import build_chart
from reporting.charts.scales import NO_VALUE, category_label, format_number, number_in, quantity
from reporting.charts.shapes import Chart
from reporting.figures.base import Cell, Figure


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
