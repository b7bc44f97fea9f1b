"""The dashboard's charts (reporting/charts/, jinja2/reporting/figure.html): scales and
geometry against numbers worked out by hand, the rendered figure read back as HTML (its table, its
bars' titles and its SVG's name), and a page of three figures in a browser, checked by axe."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.csp import build_policy

from reporting.charts import (
    CHAR_WIDTH,
    EMPTY_MESSAGE,
    FONT_SIZE,
    MIN_WIDTH_REM,
    SERIES_STYLES,
    WIDTH,
    Scale,
    build_chart,
    figure_block,
    figure_html,
    figures_html,
    format_number,
    nice_scale,
    quantity,
    wrap,
)
from reporting.charts.blocks import drawn_key
from reporting.figures.base import Figure
from tests.browser import axe_check

STYLESHEET = Path(django_settings.BASE_DIR) / "static" / "css" / "reporting.css"


def weeks(count: int) -> list[str]:
    """Weeks as a figure names them: "5 Jan", "12 Jan", …"""
    mondays = (date(2026, 1, 5) + timedelta(weeks=n) for n in range(count))
    return [f"{monday.day} {monday:%b}" for monday in mondays]


def received_figure(**changes) -> Figure:
    values = {
        "key": "applications-flow",
        "title": "Applications received, decided and withdrawn per week",
        "summary": "1,234 applications arrived in the week of 12 Jan, the busiest week; "
        "decisions kept pace from February.",
        "columns": ("Week", "Received", "Decided", "Withdrawn"),
        "rows": (
            ("5 Jan", 37, 20, 1),
            ("12 Jan", 1234, 15, None),
            ("19 Jan", 30, 0, 2),
        ),
        "chart": "bars",
        "unit": "applications",
    }
    return Figure(**(values | changes))


def ageing_figure(**changes) -> Figure:
    values = {
        "key": "decision-times",
        "title": "Days from submission to decision",
        "summary": "The median stayed under the 30-day target; the 90th percentile passed it "
        "in March.",
        "columns": ("Week", "Median", "90th percentile"),
        "rows": tuple(
            (week, 12 + n % 5, None if n == 5 else 24 + n) for n, week in enumerate(weeks(12))
        ),
        "chart": "lines",
        "unit": "days",
        "reference": ("Target", 30),
    }
    return Figure(**(values | changes))


# -- scales ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (37, (0, 10, 20, 30, 40)),
        (23, (0, 5, 10, 15, 20, 25)),
        (100, (0, 20, 40, 60, 80, 100)),
        (7, (0, 2, 4, 6, 8)),
        (1234, (0, 500, 1000, 1500)),
    ],
)
def test_an_axis_runs_from_zero_to_the_next_round_number(maximum, ticks):
    assert nice_scale(maximum).ticks == ticks


def test_a_count_axis_never_goes_below_zero_nor_steps_by_fractions():
    assert nice_scale(3).ticks == (0, 1, 2, 3)
    assert nice_scale(1).ticks == (0, 1)
    assert nice_scale(0).ticks == (0, 1)
    assert nice_scale(3, low=2).low == 0


def test_fractional_values_get_fractional_ticks():
    assert nice_scale(0.37, integers=False).ticks == (0, 0.1, 0.2, 0.3, 0.4)
    assert nice_scale(0.37, integers=False).decimals == 1


def test_negative_values_take_the_axis_below_zero():
    assert nice_scale(10, low=-3).ticks == (-5, 0, 5, 10)


def test_a_value_sits_in_proportion_on_its_axis():
    axis = Scale(low=0, high=40, step=10, ticks=(0, 10, 20, 30, 40))
    # An axis 200 high (y from 200 at zero up to 0 at 40): 20 is half-way, so a bar 100 high.
    assert axis.position(20, bottom=200, top=0) == 100
    assert axis.position(0, bottom=200, top=0) - axis.position(20, bottom=200, top=0) == 100
    assert axis.position(40, bottom=200, top=0) == 0


def test_numbers_are_shown_with_thousands_separators():
    assert format_number(1234) == "1,234"
    assert format_number(1234567.5) == "1,234,567.5"
    assert format_number(12.0) == "12"
    assert format_number(2 / 3) == "0.67"
    assert format_number(0.1, decimals=1) == "0.1"
    assert quantity(1, "applications") == "1 application"
    assert quantity(1234, "days") == "1,234 days"


def test_long_labels_wrap_between_words_and_what_is_left_is_elided():
    assert wrap("Very small importer", width=10, lines=3) == (("Very small", "importer"), True)
    assert wrap("Alexandra Richardson-Whitfield", width=12, lines=3) == (
        ("Alexandra", "Richardson-", "Whitfield"),
        True,
    )
    assert wrap("Alexandra Richardson-Whitfield", width=12, lines=2) == (
        ("Alexandra", "Richardson-…"),
        False,
    )
    assert wrap("Supercalifragilistic", width=8, lines=3) == (("Superca…",), False)


# -- geometry ----------------------------------------------------------------------------------


def test_grouped_bars_stand_in_proportion_side_by_side_in_their_week():
    figure = received_figure(
        rows=(("5 Jan", 37, 20, 1), ("12 Jan", 0, 15, None)),
        columns=("Week", "Received", "Decided", "Withdrawn"),
    )
    chart = build_chart(figure, id_prefix="f")
    assert chart is not None and not chart.empty
    # By hand: ticks 0–40 labelled "0".."40" (2 characters, 16.8 wide) put the plot at
    # x = 16.8 + 6 + 6 = 28.8 and 600 − 12 − 28.8 = 559.2 wide; one legend row (24) and the unit's
    # line (10 + 14) put its top at 48 + 14 = 62 and, 220 high, its bottom at 282.
    assert (chart.plot.x, chart.plot.y, chart.plot.width, chart.plot.bottom) == (
        28.8,
        62,
        559.2,
        282,
    )
    assert [t.label.text for t in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    bars = {(bar.category, bar.series): bar for bar in chart.bars}
    # 20 of 40 is half of 220; 37 of 40 is 203.5.
    assert bars["5 Jan", "Decided"].height == 110
    assert bars["5 Jan", "Decided"].y == 172
    assert bars["5 Jan", "Received"].height == 203.5
    # Two weeks, 279.6 each; the group is 80% of it (223.68): three slots of 74.56, 2 apart.
    # The first bar starts 10% of the week in (27.96) plus half the gap: 28.8 + 27.96 + 1.
    assert bars["5 Jan", "Received"].x == 57.76
    assert bars["5 Jan", "Decided"].x == 57.76 + 74.56
    assert bars["12 Jan", "Received"].x == 57.76 + 279.6
    assert bars["5 Jan", "Received"].width == 72.56
    # A zero is a bar of no height; a missing value is no bar at all.
    assert bars["12 Jan", "Received"].height == 0
    assert ("12 Jan", "Withdrawn") not in bars
    assert bars["5 Jan", "Received"].title == "5 Jan, Received: 37 applications"
    assert bars["5 Jan", "Withdrawn"].title == "5 Jan, Withdrawn: 1 application"


def test_line_points_sit_at_their_week_and_a_missing_value_breaks_the_line():
    figure = ageing_figure(
        rows=(("5 Jan", 10, 20), ("12 Jan", 20, None), ("19 Jan", 30, 40)), reference=None
    )
    chart = build_chart(figure, id_prefix="f")
    assert chart is not None
    assert [t.label.text for t in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    band = chart.plot.width / 3
    median = [p for p in chart.points if p.series == "Median"]
    assert [p.x for p in median] == [round(chart.plot.x + band * (i + 0.5), 2) for i in range(3)]
    assert [p.y for p in median] == [282 - 55, 282 - 110, 282 - 165]
    # The median is one line; the 90th percentile, missing in the middle, two lone points.
    assert [line.points for line in chart.lines] == [" ".join(f"{p.x},{p.y}" for p in median)]
    assert len([p for p in chart.points if p.series == "90th percentile"]) == 2


def test_a_reference_line_is_drawn_across_and_the_axis_reaches_it():
    figure = ageing_figure(rows=(("5 Jan", 10, 12), ("12 Jan", 11, 12)), reference=("Target", 30))
    chart = build_chart(figure, id_prefix="f")
    assert chart is not None and chart.reference is not None
    assert chart.y_ticks[-1].label.text == "30"
    assert chart.reference.y == chart.plot.y
    assert (chart.reference.x1, chart.reference.x2) == (chart.plot.x, chart.plot.right)
    assert chart.reference.title == "Target: 30 days"
    assert chart.legend[-1].kind == "reference" and chart.legend[-1].label.text == "Target: 30 days"


def test_many_weeks_label_every_nth_and_no_two_labels_overlap():
    figure = received_figure(
        rows=tuple((week, 20 + n, 10, 1) for n, week in enumerate(weeks(26))),
    )
    chart = build_chart(figure, id_prefix="f")
    assert chart is not None
    # 26 weeks over 559.2: 21.5 each. The longest label, "12 Jan", is 6 characters (50.4 wide),
    # and a label keeps a character's room (8.4) from the next: 2 weeks (43.0) are too few, 3
    # weeks (64.5) just enough, so every 3rd week is labelled.
    assert chart.label_step == 3
    assert [label.full for label in chart.x_labels] == weeks(26)[::3]
    for left, right in zip(chart.x_labels, chart.x_labels[1:], strict=False):
        widths = [len(label.lines[0].text) * CHAR_WIDTH for label in (left, right)]
        assert right.lines[0].x - left.lines[0].x >= sum(widths) / 2


def test_a_few_long_categories_are_each_labelled_on_wrapped_lines():
    names = ["Alexandra Richardson-Whitfield", "Bo Li", "Chidinma Okonkwo-Adeyemi", "Dee Ray"]
    figure = received_figure(
        columns=("Reviewer", "Open"), rows=tuple((n, 3) for n in names), unit="applications"
    )
    chart = build_chart(figure, id_prefix="f")
    assert chart is not None
    assert chart.label_step == 1
    assert [label.full for label in chart.x_labels] == names
    # 559.2 across 4 reviewers leaves 15 characters a line: names break at spaces and hyphens.
    assert [line.text for line in chart.x_labels[0].lines] == [
        "Alexandra",
        "Richardson-",
        "Whitfield",
    ]
    assert [
        " ".join(line.text for line in label.lines).replace("- ", "-") for label in chart.x_labels
    ] == names
    assert all(1 <= len(label.lines) <= 3 for label in chart.x_labels)


@pytest.mark.parametrize(
    "rows",
    [
        (("5 Jan", 0, 0, None), ("12 Jan", None, 0, 0)),
        (),
    ],
    ids=["zero-or-missing", "no-rows"],
)
def test_nothing_above_zero_is_an_empty_chart(rows):
    chart = build_chart(received_figure(rows=rows, reference=("Target", 30)), id_prefix="f")
    assert chart is not None
    assert chart.empty
    assert chart.message is not None and chart.message.text == EMPTY_MESSAGE
    assert not chart.bars and not chart.y_ticks and chart.reference is None


def test_a_figure_without_a_chart_has_only_its_table():
    block = figure_block(received_figure(chart="none"))
    assert block.chart is None
    assert len(block.rows) == 3


def test_a_word_where_a_number_belongs_is_an_error_not_a_gap():
    with pytest.raises(TypeError, match="Received"):
        figure_block(received_figure(rows=(("5 Jan", "many", 1, 1),)))


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_each_series_has_3_to_1_contrast_with_white_and_differs_without_colour():
    for style in SERIES_STYLES:
        assert (1.05) / (_luminance(style.colour) + 0.05) >= 3, style.token
    assert len({s.colour for s in SERIES_STYLES}) == len(SERIES_STYLES)
    assert len({(s.pattern, s.pattern_width) for s in SERIES_STYLES}) == len(SERIES_STYLES)
    assert len({s.dash for s in SERIES_STYLES}) == len(SERIES_STYLES)
    assert len({s.marker for s in SERIES_STYLES}) == len(SERIES_STYLES)


def test_chart_text_is_never_smaller_than_12_px():
    # The stylesheet keeps the SVG at least MIN_WIDTH_REM wide: FONT_SIZE units at that width.
    assert f"min-width: {MIN_WIDTH_REM}rem;" in STYLESHEET.read_text()
    assert FONT_SIZE * MIN_WIDTH_REM * 16 / WIDTH >= 12


# -- the rendered figure -----------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: "Node | None" = None
    parts: list["str | Node"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def all(self, tag: str, **attrs: str) -> list["Node"]:
        found = []
        for part in self.parts:
            if isinstance(part, Node):
                if part.tag == tag and all(
                    part.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    found.append(part)
                found.extend(part.all(tag, **attrs))
        return found

    def one(self, tag: str, **attrs: str) -> "Node":
        (found,) = self.all(tag, **attrs)
        return found

    def by_id(self, id: str) -> "Node":
        return next(n for n in self.every() if n.attrs.get("id") == id)

    def every(self) -> list["Node"]:
        nodes = []
        for part in self.parts:
            if isinstance(part, Node):
                nodes.append(part)
                nodes.extend(part.every())
        return nodes

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = self.current = Node("root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.parts.append(node)
        self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.parts.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.current is tree.root, "unclosed elements"
    return tree.root


def render(figure: Figure) -> Node:
    return parse(figure_html(figure))


def table_cells(page: Node) -> dict[tuple[str, str], str]:
    """The table as {(row's category, column's heading): the cell's text}."""
    table = page.one("table")
    headings = [th.text() for th in table.one("thead").all("th")]
    cells = {}
    for tr in table.one("tbody").all("tr"):
        category = tr.one("th").text()
        for heading, td in zip(headings[1:], tr.all("td"), strict=True):
            cells[category, heading] = td.text()
    return cells


def test_the_table_has_exactly_the_figures_rows_and_numbers():
    figure = received_figure()
    page = render(figure)
    table = page.one("table")
    assert table.has_class("usa-table") and table.has_class("usa-table--borderless")
    assert table.one("caption").text() == (
        "Table: Applications received, decided and withdrawn per week (applications)"
    )
    headings = table.one("thead").all("th")
    assert [th.text() for th in headings] == list(figure.columns)
    assert {th.attrs["scope"] for th in headings} == {"col"}
    row_headings = table.one("tbody").all("th")
    assert [th.text() for th in row_headings] == ["5 Jan", "12 Jan", "19 Jan"]
    assert {th.attrs["scope"] for th in row_headings} == {"row"}
    assert [[td.text() for td in tr.all("td")] for tr in table.one("tbody").all("tr")] == [
        ["37", "20", "1"],
        ["1,234", "15", "—no value"],
        ["30", "0", "2"],
    ]
    missing = table.one("tbody").all("tr")[1].all("td")[2]
    assert missing.one("span", aria_hidden="true").text() == "—"
    assert missing.one("span", **{"class": "usa-sr-only"}).text() == "no value"


def test_every_bar_says_in_its_title_what_its_table_cell_says():
    figure = received_figure()
    page = render(figure)
    cells = table_cells(page)
    bars = [r for r in page.one("svg").all("rect") if r.has_class("rkcp-chart__bar") and r.parts]
    titled = {}
    for bar in bars:
        category, series, value = re.fullmatch(
            r"(.+), (.+): ([\d,.]+) applications?", bar.one("title").text()
        ).groups()
        titled[category, series] = value
    # Every cell with a value has its bar, and no bar says anything else.
    assert titled == {key: text for key, text in cells.items() if text != "—no value"}


def test_every_point_says_in_its_title_what_its_table_cell_says():
    page = render(ageing_figure())
    cells = table_cells(page)
    points = [
        p for p in page.one("svg").all("path") if p.has_class("rkcp-chart__point") and p.parts
    ]
    titled = {}
    for point in points:
        category, series, value = re.fullmatch(
            r"(.+), (.+): ([\d,.]+) days?", point.one("title").text()
        ).groups()
        titled[category, series] = value
    assert titled == {key: text for key, text in cells.items() if text != "—no value"}
    assert len(titled) == 23


def test_the_chart_is_an_image_named_by_its_title_and_described_by_the_summary():
    figure = received_figure()
    page = render(figure)
    container = page.one("figure")
    assert container.by_id(container.attrs["aria-labelledby"]).tag == "figcaption"
    assert container.one("figcaption").text() == figure.title
    svg = container.one("svg")
    assert svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    assert svg.by_id(title_id).tag == "title" and svg.by_id(title_id).text() == figure.title
    assert svg.by_id(desc_id).tag == "desc" and svg.by_id(desc_id).text() == figure.summary
    # The summary is on the page for everyone, not only in the SVG.
    assert figure.summary in [p.text() for p in container.all("p")]
    assert svg.attrs["viewbox"].startswith(f"0 0 {WIDTH} ") and svg.attrs["width"] == "100%"


def test_under_a_heading_of_the_same_title_the_caption_is_for_screen_readers_only():
    page = parse(figure_html(received_figure(), hide_title=True))
    assert page.one("figcaption").attrs["class"] == "usa-sr-only"
    assert page.one("figure").attrs["aria-labelledby"] == page.one("figcaption").attrs["id"]


def test_the_reference_line_is_drawn_when_the_figure_has_one():
    svg = render(ageing_figure()).one("svg")
    (line,) = [n for n in svg.all("line") if n.has_class("rkcp-chart__reference") and n.parts]
    assert line.one("title").text() == "Target: 30 days"
    legend = svg.one("g", **{"class": "rkcp-chart__legend"})
    assert "Target: 30 days" in [t.text() for t in legend.all("text")]

    svg = render(ageing_figure(reference=None)).one("svg")
    assert not [n for n in svg.all("line") if n.has_class("rkcp-chart__reference")]


def test_an_empty_chart_says_there_is_nothing_to_show_and_its_table_still_has_the_rows():
    page = render(received_figure(rows=(("5 Jan", 0, 0, None),)))
    svg = page.one("svg")
    assert [t.text() for t in svg.all("text")] == [EMPTY_MESSAGE]
    assert not [r for r in svg.all("rect") if r.has_class("rkcp-chart__bar")]
    assert svg.attrs["role"] == "img" and svg.all("title") and svg.all("desc")
    assert table_cells(page) == {
        ("5 Jan", "Received"): "0",
        ("5 Jan", "Decided"): "0",
        ("5 Jan", "Withdrawn"): "—no value",
    }


def test_a_figure_without_rows_says_so_instead_of_an_empty_table():
    page = render(received_figure(rows=()))
    assert not page.all("table")
    assert "there are no rows to show" in page.text()


def test_nothing_is_styled_inline_for_the_content_security_policy():
    for figure in (received_figure(), ageing_figure(), received_figure(rows=())):
        html = figure_html(figure)
        assert "style=" not in html and "<style" not in html and "<script" not in html


def test_coordinates_stay_numbers_in_any_language(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("de"):
        svg = render(received_figure()).one("svg")
    assert "," not in svg.attrs["viewbox"]
    assert all("," not in r.attrs["y"] for r in svg.all("rect") if "y" in r.attrs)


def test_two_figures_on_a_page_do_not_share_ids():
    page = parse(figure_html(received_figure()) + figure_html(ageing_figure()))
    ids = [n.attrs["id"] for n in page.every() if "id" in n.attrs]
    assert len(ids) == len(set(ids))


# -- in a browser ------------------------------------------------------------------------------

EXAMPLE_PAGE = """{% extends "base.html" %}{% load static %}
{% block title %}Program dashboard{% endblock title %}
{% block extra_head %}<link rel="stylesheet" href="{% static 'css/reporting.css' %}">{% endblock %}
{% block content %}
  <h1>Program dashboard</h1>
  {% for figure, drawn in drawn_figures %}
    <section id="figure-{{ figure.key }}" aria-labelledby="figure-{{ figure.key }}-heading"
             class="margin-bottom-5 border-top-2px border-base-lighter padding-top-2">
      <h2 id="figure-{{ figure.key }}-heading">{{ figure.title }}</h2>
      {{ drawn }}
    </section>
  {% endfor %}
{% endblock content %}"""


# fmt: off
MEDIAN_DAYS = (14, 15, 13, 16, 18, 17, 19, 21, 20, 22, 21, 19, 18,
               17, 18, 16, 15, 17, 18, 20, 19, 18, 17, 16, 15, 14)
P90_DAYS = (26, 28, 27, 29, 31, 33, 35, 38, 36, 40, 37, 34, None,
            31, 30, 29, 28, 30, 32, 35, 33, 31, 29, 28, 27, 26)
# fmt: on


def example_figures() -> list[Figure]:
    """A bar chart, a line chart with a target, and one with nothing to show."""
    flow = received_figure(
        summary="Between 5 January and 23 March, 412 applications arrived and 391 were decided; "
        "the busiest week was 16 February, with 48.",
        rows=tuple(
            zip(
                weeks(12),
                [31, 28, 35, 40, 22, 33, 48, 37, 29, 41, 36, 32],
                [18, 25, 30, 27, 31, 29, 35, 38, 33, 44, 40, 41],
                [2, 0, 1, 3, 1, 0, 2, 4, 1, 0, 2, 1],
                strict=True,
            )
        ),
    )
    ageing = ageing_figure(
        rows=tuple(zip(weeks(26), MEDIAN_DAYS, P90_DAYS, strict=True)),
    )
    appeals = Figure(
        key="appeals",
        title="Appeals lodged by size class",
        summary="No appeals were lodged in this period.",
        columns=("Size class", "Appeals"),
        rows=(("Small", 0), ("Medium", 0), ("Large", 0)),
        unit="appeals",
    )
    return [flow, ageing, appeals]


def example_page_html() -> str:
    request = RequestFactory().get("/staff/reports/")
    request.user = AnonymousUser()
    template = engines["django"].from_string(EXAMPLE_PAGE)
    drawn = [(f, figure_html(f, hide_title=True)) for f in example_figures()]
    return template.render({"drawn_figures": drawn}, request)


@pytest.mark.browser
def test_a_page_of_charts_passes_axe_and_keeps_its_text_readable_on_a_phone(page, live_server):
    """Served from the live server's address (so its stylesheets load) under the site's CSP."""
    url = f"{live_server.url}/staff/reports/charts-example/"
    html = example_page_html()
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": build_policy(django_settings.SECURE_CSP)},
            body=html,
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    axe_check(page)
    assert page.locator("figure").count() == 3
    assert page.get_by_role("img", name=re.compile("^Days from submission")).count() == 1
    assert page.get_by_role("table", name=re.compile("Appeals lodged")).count() == 1

    # On a phone the chart keeps its text at 12 px or more and scrolls sideways within its frame,
    # not the page.
    page.set_viewport_size({"width": 375, "height": 800})
    sizes = page.locator("svg.rkcp-chart__svg").evaluate_all(
        f"svgs => svgs.map(svg => {FONT_SIZE} * svg.getBoundingClientRect().width / {WIDTH})"
    )
    assert min(sizes) >= 12, sizes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    frame = page.locator(".rkcp-chart").first
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
    assert frame.get_attribute("tabindex") == "0"
    axe_check(page)


def test_a_figure_is_drawn_once_until_its_numbers_or_words_move():
    cache.clear()
    figure = received_figure()
    (first,) = figures_html([figure])
    assert first == figure_html(figure)

    # Kept under a key of what it draws: the next page takes it from the cache as it is.
    assert cache.get(drawn_key(figure, False)) == first
    cache.set(drawn_key(figure, False), "<p>kept</p>")
    assert figures_html([figure]) == ["<p>kept</p>"]

    # One number moved: drawn afresh, under a key of its own.
    moved = received_figure(rows=(("5 Jan", 31, 18, 3),))
    assert drawn_key(moved, False) != drawn_key(figure, False)
    (redrawn,) = figures_html([moved])
    assert "<td>31</td>" in redrawn and redrawn == figure_html(moved)
    # And the title hidden or not is a drawing of its own.
    assert figures_html([figure], hide_title=True) == [figure_html(figure, hide_title=True)]
