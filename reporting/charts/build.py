"""A figure's chart: bars or lines on the scale, with the legend, the labels and the reference line."""

from typing import Literal

from reporting.charts.layout import (
    is_empty,
    lay_out_x_labels,
    legend_of,
    marker_path,
    text_width,
)
from reporting.charts.scales import (
    EMPTY_HEIGHT,
    EMPTY_MESSAGE,
    FONT_SIZE,
    LINE_HEIGHT,
    MARGIN_RIGHT,
    PLOT_HEIGHT,
    SERIES_STYLES,
    TICK_LENGTH,
    WIDTH,
    category_label,
    format_number,
    nice_scale,
    number_in,
    quantity,
    rounded,
)
from reporting.charts.shapes import Bar, Box, Chart, Line, Pattern, Point, Reference, Text, YTick
from reporting.figures.base import Figure


def build_chart(figure: Figure, *, id_prefix: str) -> Chart | None:
    """The chart of `figure`, or None when it has none (`chart="none"`). `id_prefix` keeps the
    patterns' ids unique on a page of several charts."""
    if figure.chart == "none":
        return None
    kind: Literal["bars", "lines"] = figure.chart
    names = list(figure.columns[1:])
    categories = [category_label(row[0] if row else None) for row in figure.rows]
    values = [
        [
            number_in(row[j + 1] if j + 1 < len(row) else None, figure=figure, row=i, column=j + 1)
            for j in range(len(names))
        ]
        for i, row in enumerate(figure.rows)
    ]
    if not names or is_empty(values):
        return Chart(
            kind=kind,
            width=WIDTH,
            height=EMPTY_HEIGHT,
            empty=True,
            plot=Box(1, 1, WIDTH - 2, EMPTY_HEIGHT - 2),
            message=Text(WIDTH / 2, EMPTY_HEIGHT / 2 + FONT_SIZE * 0.35, EMPTY_MESSAGE, "middle"),
        )

    present = [v for row in values for v in row if v is not None]
    if figure.reference is not None:
        present.append(figure.reference[1])
    scale = nice_scale(
        max(present),
        low=min(present),
        integers=all(float(v).is_integer() for v in present),
    )
    tick_texts = [format_number(t, decimals=scale.decimals) for t in scale.ticks]

    pattern_ids = [f"{id_prefix}-pattern-{n}" for n in range(len(names))]
    reference_text = (
        f"{figure.reference[0]}: {quantity(figure.reference[1], figure.unit)}"
        if figure.reference is not None
        else None
    )
    legend, legend_height = legend_of(
        names, kind=kind, reference=reference_text, pattern_ids=pattern_ids
    )
    unit_label = Text(
        0, rounded(legend_height + 10 + FONT_SIZE), figure.unit[:1].upper() + figure.unit[1:]
    )
    plot_top = unit_label.y + 14
    plot_left = max(text_width(t) for t in tick_texts) + TICK_LENGTH + 6
    plot = Box(
        rounded(plot_left),
        rounded(plot_top),
        rounded(WIDTH - MARGIN_RIGHT - plot_left),
        PLOT_HEIGHT,
    )
    band = plot.width / len(categories)
    x_label_marks, step, label_rows = lay_out_x_labels(
        categories, plot=plot, band=band, y=plot.bottom + TICK_LENGTH + FONT_SIZE + 2
    )
    height = plot.bottom + TICK_LENGTH + 6 + label_rows * LINE_HEIGHT

    def y_of(value: float) -> float:
        return rounded(scale.position(value, bottom=plot.bottom, top=plot.y))

    y_ticks = tuple(
        YTick(
            y=y_of(t),
            label=Text(
                rounded(plot.x - TICK_LENGTH - 4), rounded(y_of(t) + FONT_SIZE * 0.35), text, "end"
            ),
            zero=t == 0,
        )
        for t, text in zip(scale.ticks, tick_texts, strict=True)
    )
    reference = None
    if figure.reference is not None and reference_text:
        reference = Reference(plot.x, plot.right, y_of(figure.reference[1]), reference_text)

    styles = [SERIES_STYLES[n % len(SERIES_STYLES)] for n in range(len(names))]
    bars: list[Bar] = []
    lines: list[Line] = []
    points: list[Point] = []
    if kind == "bars":
        group = band * (0.7 if len(names) == 1 else 0.8)
        slot = group / len(names)
        gap = 2 if slot > 6 else 0
        zero = y_of(0)
        for i, category in enumerate(categories):
            for j, name in enumerate(names):
                value = values[i][j]
                if value is None:
                    continue
                top = y_of(value)
                bars.append(
                    Bar(
                        x=rounded(plot.x + band * i + (band - group) / 2 + slot * j + gap / 2),
                        y=min(top, zero),
                        width=rounded(slot - gap),
                        height=rounded(abs(zero - top)),
                        series=name,
                        category=category,
                        value=value,
                        fill=f"url(#{pattern_ids[j]})",
                        stroke=styles[j].colour,
                        title=f"{category}, {name}: {quantity(value, figure.unit)}",
                    )
                )
    else:
        for j, name in enumerate(names):
            run: list[str] = []
            for i, category in enumerate(categories):
                value = values[i][j]
                if value is None:
                    # A lone point between gaps is its marker alone: a line needs two.
                    if len(run) > 1:
                        lines.append(Line(" ".join(run), styles[j].colour, styles[j].dash))
                    run = []
                    continue
                x, y = rounded(plot.x + band * (i + 0.5)), y_of(value)
                run.append(f"{x},{y}")
                points.append(
                    Point(
                        x=x,
                        y=y,
                        series=name,
                        category=category,
                        value=value,
                        path=marker_path(styles[j].marker, x, y),
                        colour=styles[j].colour,
                        title=f"{category}, {name}: {quantity(value, figure.unit)}",
                    )
                )
            if len(run) > 1:
                lines.append(Line(" ".join(run), styles[j].colour, styles[j].dash))

    return Chart(
        kind=kind,
        width=WIDTH,
        height=rounded(height),
        empty=False,
        plot=plot,
        unit_label=unit_label,
        y_ticks=y_ticks,
        x_labels=x_label_marks,
        patterns=tuple(
            Pattern(pattern_ids[n], s.colour, s.pattern, s.pattern_width)
            for n, s in enumerate(styles)
        )
        if kind == "bars"
        else (),
        bars=tuple(bars),
        lines=tuple(lines),
        points=tuple(points),
        reference=reference,
        legend=legend,
        label_step=step,
    )


# -- the table and the whole block -------------------------------------------------------------
