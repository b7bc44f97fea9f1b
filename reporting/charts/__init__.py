"""The dashboard's charts: pure functions from a `Figure` to shapes and text that
jinja2/reporting/figure.html draws as SVG. No request and no database, so every
coordinate can be checked by hand in tests.

Templates rather than a charting library: pygal's SVG carries scripts (which the CSP refuses), and
the accessible name, the table and forced colours would still be ours to add. The chart is only
one view of the figure: the same rows are a table beside it, and the summary says it in words.

Coordinates are SVG user units in a viewBox WIDTH wide. The stylesheet (static/css/reporting.css)
never lets the SVG shrink below MIN_WIDTH_REM, so FONT_SIZE units are never less than 12 CSS px.
"""

from reporting.charts.blocks import FigureBlock, figure_block, figure_html, figures_html
from reporting.charts.build import build_chart
from reporting.charts.layout import wrap
from reporting.charts.scales import (
    CHAR_WIDTH,
    EMPTY_MESSAGE,
    FONT_SIZE,
    MIN_WIDTH_REM,
    SERIES_STYLES,
    WIDTH,
    Scale,
    format_number,
    nice_scale,
    quantity,
)

__all__ = [
    "CHAR_WIDTH",
    "EMPTY_MESSAGE",
    "FONT_SIZE",
    "MIN_WIDTH_REM",
    "SERIES_STYLES",
    "WIDTH",
    "FigureBlock",
    "Scale",
    "build_chart",
    "figure_block",
    "figure_html",
    "figures_html",
    "format_number",
    "nice_scale",
    "quantity",
    "wrap",
]
