"""The SVG charts: well-formed, accessible, CSP-safe (no style), escaped, and drawn to scale."""

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from qa_app.charts import (
    GRADE_COLOURS,
    MARK_COLOURS,
    SERIES_COLOURS,
    Bar,
    BarChart,
    LineChart,
    LineSeries,
    Series,
    StackedBarChart,
    StackedRow,
    grade_colours,
    svg,
)
from qa_app.charts.geometry import nice_ticks
from qa_app.charts.text import text_width

NS = "{http://www.w3.org/2000/svg}"
NASTY = 'Fathers <b>& "wider" family</b>'


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted input


def texts(root: ET.Element) -> list[str]:
    """Visible strings (a <text>'s own text, not its tooltip)."""
    return [(el.text or "") + "".join(c.tail or "" for c in el) for el in root.iter(NS + "text")]


def rects(root: ET.Element, fill: str) -> list[ET.Element]:
    return [r for r in root.iter(NS + "rect") if r.get("fill") == fill]


def grade_chart() -> BarChart:
    colours = grade_colours(4)
    counts = [
        ("Outstanding", 3),
        ("Good", 21),
        ("Requires improvement to be good", 14),
        ("Inadequate", 4),
    ]
    return BarChart(
        "Grade distribution",
        [
            Bar(label, n, f"{n} ({round(100 * n / 42)}%)", c)
            for (label, n), c in zip(counts, colours, strict=True)
        ],
        unit="audits",
    )


SERIES = [
    Series("Strength", MARK_COLOURS["strength"]),
    Series("Area for development", MARK_COLOURS["development"]),
    Series("Not seen", MARK_COLOURS["not_seen"]),
]


def theme_chart(percent: bool = False) -> StackedBarChart:
    rows = [
        StackedRow("Voice of the child", [18, 15, 9]),
        StackedRow("Fathers and wider family included", [8, 22, 12]),
        StackedRow("Management oversight and supervision", [11, 24, None]),
    ]
    return StackedBarChart("Themes", SERIES, rows, percent=percent)


MONTHS = ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]


def month_chart(values=(52, 55, None, 58, 61, 64), extra: bool = False) -> LineChart:
    series = [LineSeries("Good or better", SERIES_COLOURS[0], list(values))]
    if extra:
        series.append(LineSeries("Child protection", SERIES_COLOURS[1], [40, 44, 47, 50, 53, 55]))
    return LineChart("Good or better by month", MONTHS, series, y_max=100, unit="%")


def empty_charts():
    return [
        BarChart("No bars", []),
        BarChart("All suppressed", [Bar("Good", None, "hidden", "#00703c")]),
        StackedBarChart("No rows", SERIES, []),
        StackedBarChart("Nothing counted", SERIES, [StackedRow("Voice", [None, 0, None])]),
        LineChart("No points", MONTHS, [LineSeries("A", "#1d70b8", [None] * 6)]),
        LineChart("No months", [], []),
    ]


ALL = [
    grade_chart(),
    theme_chart(),
    theme_chart(percent=True),
    month_chart(),
    month_chart(extra=True),
    *empty_charts(),
]


@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.title)
def test_standalone_accessible_svg(chart):
    root = parse(svg.render(chart))
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the viewBox gives the proportions
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0) and w > 0 and h > 0
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert title is not None and title.text == chart.title
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.title)
def test_no_style_attribute_or_element_and_no_font_family(chart):
    markup = str(svg.render(chart))
    root = parse(svg.render(chart))
    for el in root.iter():
        assert "style" not in el.attrib, el.tag
        assert el.tag != NS + "style"
        assert el.get("font-family") in (None, "inherit")
    assert "style" not in markup


@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.title)
@pytest.mark.parametrize("width", [640, 360])
def test_everything_inside_the_viewbox(chart, width):
    root = parse(svg.render(chart, width=width, show_title=True))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for el in root.iter(NS + "rect"):
        x, y = float(el.get("x")), float(el.get("y"))
        assert 0 <= x and x + float(el.get("width")) <= width + 0.5
        assert 0 <= y and y + float(el.get("height")) <= height + 0.5
    for el in root.iter(NS + "text"):
        size = float(el.get("font-size"))
        x, y = float(el.get("x")), float(el.get("y"))
        content = texts_of(el)
        w = text_width(content, size)
        left = {"start": x, "middle": x - w / 2, "end": x - w}[el.get("text-anchor", "start")]
        assert left >= -0.5 and left + w <= width + 0.5, content
        assert y - size * 0.75 >= -0.5 and y <= height + 0.5, content


def texts_of(el: ET.Element) -> str:
    return (el.text or "") + "".join(c.tail or "" for c in el)


def test_user_text_is_escaped_everywhere():
    chart = BarChart(
        'Grades <script>&"',
        [Bar(NASTY, 5, '5 <i>&"</i>', "#00703c"), Bar("Good", None, "<5 & more", "#d4351c")],
    )
    markup = str(svg.render(chart))
    assert "<b>" not in markup and "<i>" not in markup and "<script>" not in markup
    root = parse(Markup(markup))  # noqa: S704 - the renderer's own output
    shown = texts(root)
    assert NASTY in shown
    assert '5 <i>&"</i>' in shown
    assert "<5 & more" in shown
    assert root.find(NS + "title").text == 'Grades <script>&"'

    stacked = StackedBarChart(NASTY, [Series(NASTY, "#00703c")], [StackedRow(NASTY, [3])])
    line = LineChart(
        NASTY, [NASTY], [LineSeries(NASTY, "#1d70b8", [4]), LineSeries("Other", "#4c2c92", [5])]
    )
    for markup in (svg.render(stacked), svg.render(line)):
        assert "<b>" not in str(markup)
        root = parse(markup)
        assert any(NASTY in t for t in texts(root)), texts(root)


def test_bar_widths_are_proportional_to_values():
    chart = grade_chart()
    root = parse(svg.bar_chart(chart))
    widths = {}
    for bar in chart.bars:
        (rect,) = rects(root, bar.colour)
        widths[bar.label] = float(rect.get("width"))
    unit = widths["Good"] / 21
    for bar in chart.bars:
        assert widths[bar.label] == pytest.approx(bar.value * unit, abs=0.15)
    # the value labels sit just beyond each bar's end, in the caller's words
    for bar in chart.bars:
        (label,) = [t for t in root.iter(NS + "text") if texts_of(t) == bar.value_label]
        (rect,) = rects(root, bar.colour)
        end = float(rect.get("x")) + float(rect.get("width"))
        assert end < float(label.get("x")) < end + 15


def test_suppressed_bar_has_label_but_no_rect():
    chart = BarChart(
        "Team A",
        [Bar("Outstanding", None, "hidden", "#005a30"), Bar("Good", 12, "12", "#00703c")],
    )
    root = parse(svg.bar_chart(chart))
    assert rects(root, "#005a30") == []
    assert len(rects(root, "#00703c")) == 1
    assert "hidden" in texts(root)
    assert "Outstanding" in texts(root)
    assert "Outstanding: hidden" in root.find(NS + "desc").text


def test_long_labels_wrap_or_truncate_clear_of_the_bars():
    long = (
        "Realistic view of parents' capacity to change, including historical information "
        "and the impact of previous interventions on the children"
    )
    chart = BarChart("Long", [Bar(long, 10, "10", "#00703c"), Bar("Short", 5, "5", "#d4351c")])
    root = parse(svg.bar_chart(chart))
    bar_x = float(rects(root, "#00703c")[0].get("x"))
    label_lines = [t for t in root.iter(NS + "text") if t.get("text-anchor") == "end"]
    assert len(label_lines) == 3  # two lines for the long label, one for the short
    for t in label_lines:
        # room to its left even in a font a tenth wider than Arial
        width = text_width(texts_of(t), float(t.get("font-size"))) * 1.1
        assert float(t.get("x")) - width >= -0.5
        assert float(t.get("x")) < bar_x
    assert texts_of(label_lines[1]).endswith("\u2026")
    # the full label stays available as a tooltip and in the description
    assert any(el.text == long for el in root.iter(NS + "title"))
    assert long in root.find(NS + "desc").text


def test_narrow_chart_puts_long_labels_above_the_bars():
    chart = theme_chart()
    root = parse(svg.stacked_bar_chart(chart, width=360))
    assert root.get("viewBox").split()[2] == "360"
    (label,) = [t for t in root.iter(NS + "text") if texts_of(t) == "Voice of the child"]
    assert label.get("text-anchor") is None  # start: on its own line
    (bar,) = rects(root, MARK_COLOURS["strength"])[1:2]
    assert float(label.get("y")) < float(bar.get("y"))  # above its bar
    assert float(label.get("x")) <= float(bar.get("x")) + 10
    assert "Management oversight and supervision" in texts(root)  # room for it whole
    # short labels stay beside the bars
    root = parse(svg.bar_chart(BarChart("Short", [Bar("Good", 3, "3", "#00703c")]), width=360))
    (label,) = [t for t in root.iter(NS + "text") if texts_of(t) == "Good"]
    assert label.get("text-anchor") == "end"


def test_stacked_bars_counts_and_percent():
    chart = theme_chart()
    root = parse(svg.stacked_bar_chart(chart))
    shown = texts(root)
    for s in SERIES:  # the legend
        assert s.name in shown
    green = [float(r.get("width")) for r in rects(root, MARK_COLOURS["strength"])[1:]]
    red = [float(r.get("width")) for r in rects(root, MARK_COLOURS["development"])[1:]]
    grey = [float(r.get("width")) for r in rects(root, MARK_COLOURS["not_seen"])[1:]]
    assert len(green) == 3 and len(red) == 3 and len(grey) == 2  # the suppressed one: none
    unit = green[0] / 18
    assert green[1] == pytest.approx(8 * unit, abs=0.15)
    assert red[2] == pytest.approx(24 * unit, abs=0.15)
    assert "42" in shown  # a row's total at its end
    assert "35" not in shown  # ... but not for a row with a suppressed count
    assert (
        "Management oversight and supervision: Strength 11, Area for development 24, "
        "Not seen suppressed" in root.find(NS + "desc").text
    )

    root = parse(svg.stacked_bar_chart(theme_chart(percent=True)))
    rows = [[float(r.get("width")) for r in rects(root, s.colour)[1:]] for s in SERIES]
    full = rows[0][0] + rows[1][0] + rows[2][0]
    assert rows[0][1] + rows[1][1] + rows[2][1] == pytest.approx(full, abs=0.3)
    assert rows[0][2] + rows[1][2] == pytest.approx(full, abs=0.3)
    assert "43%" in texts(root)  # 18 of 42
    assert "100%" in texts(root)  # the axis


def test_stacked_segment_labels_only_where_they_fit():
    chart = StackedBarChart("Fit", SERIES[:2], [StackedRow("Theme", [200, 1])])
    shown = texts(parse(svg.stacked_bar_chart(chart)))
    assert "200" in shown
    assert "1" not in shown  # too narrow a segment for its label


def test_segment_label_colours_keep_contrast():
    root = parse(svg.stacked_bar_chart(theme_chart()))
    labels = {texts_of(t): t.get("fill") for t in root.iter(NS + "text")}
    assert labels["18"] == "#ffffff"  # on green
    assert labels["9"] == "#0b0c0c"  # on light grey


def polylines(root):
    return [
        [tuple(float(c) for c in p.split(",")) for p in el.get("points").split()]
        for el in root.iter(NS + "polyline")
    ]


def test_line_chart_breaks_at_gaps():
    root = parse(svg.line_chart(month_chart()))
    lines = polylines(root)
    assert [len(line) for line in lines] == [2, 3]  # Jan-Feb, then Apr-Jun
    markers = list(root.iter(NS + "circle"))
    assert len(markers) == 5
    assert "Mar 2026 no data" in root.find(NS + "desc").text
    # an isolated point keeps its marker though it has no line
    root = parse(svg.line_chart(month_chart([50, None, 60, None, None, 70])))
    assert [len(line) for line in polylines(root)] == []
    assert len(list(root.iter(NS + "circle"))) == 3


def test_line_chart_scale_and_legend():
    root = parse(svg.line_chart(month_chart()))
    shown = texts(root)
    for tick in ("0%", "20%", "40%", "60%", "80%", "100%"):
        assert tick in shown
    assert "Good or better" not in shown  # one series: no legend
    (first, second) = polylines(root)
    ys = {v: y for (_, y), v in zip(first + second, [52, 55, 58, 61, 64], strict=True)}
    # y is linear in the value: equal steps of 3 points are equal steps on the page
    assert ys[52] - ys[55] == pytest.approx(ys[58] - ys[61], abs=0.15)
    assert ys[52] > ys[64]  # higher values are higher up

    root = parse(svg.line_chart(month_chart(extra=True)))
    shown = texts(root)
    assert "Good or better" in shown and "Child protection" in shown  # legend
    assert len(list(root.iter(NS + "rect"))) >= 6  # second series: square markers


def test_line_chart_counts_get_nice_ticks():
    chart = LineChart("Completed", MONTHS, [LineSeries("Audits", "#1d70b8", [3, 7, 12, 9, 0, 37])])
    shown = texts(parse(svg.line_chart(chart)))
    assert {"0", "10", "20", "30", "40"} <= set(shown)
    assert nice_ticks(37, integer=True) == [0, 10, 20, 30, 40]
    assert nice_ticks(4, integer=True) == [0, 1, 2, 3, 4]
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0) == [0, 0.2, 0.4, 0.6, 0.8, 1]


@pytest.mark.parametrize("chart", empty_charts(), ids=lambda c: c.title)
def test_empty_chart_says_so(chart):
    root = parse(svg.render(chart))
    assert texts(root) == ["No data for this selection"]
    assert "No data for this selection" in root.find(NS + "desc").text
    _, _, _, h = (float(v) for v in root.get("viewBox").split())
    assert h < 60


def test_ids_are_unique_per_render():
    first, second = str(svg.render(grade_chart())), str(svg.render(grade_chart()))
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert len(ids) == 4 and len(set(ids)) == 4
    root = parse(svg.render(grade_chart(), id_prefix="grades"))
    assert root.find(NS + "title").get("id") == "grades-title"
    assert root.get("aria-labelledby") == "grades-title"


def test_show_title_draws_the_title_and_width_is_honoured():
    root = parse(svg.render(grade_chart(), show_title=True, width=400))
    assert "Grade distribution" in texts(root)
    assert root.get("viewBox").split()[2] == "400"


def test_wrong_kind_is_refused():
    with pytest.raises(TypeError):
        svg.render("not a chart")
    with pytest.raises(TypeError):
        svg.bar_chart(month_chart())


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="2 values for 3 series"):
        StackedBarChart("T", SERIES, [StackedRow("Voice", [1, 2])])
    with pytest.raises(ValueError, match="1 values for 6 x labels"):
        LineChart("T", MONTHS, [LineSeries("A", "#1d70b8", [1])])


def test_palettes():
    assert grade_colours(4) == ["#1d70b8", "#00703c", "#f47738", "#d4351c"]
    assert grade_colours(3) == ["#00703c", "#f47738", "#d4351c"]
    assert GRADE_COLOURS[4] == grade_colours(4)
    assert grade_colours(0) == []
    for n in (1, 2, 5, 6, 7, 9):
        colours = grade_colours(n)
        assert len(colours) == n and len(set(colours)) == n
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert grade_colours(5)[0] == "#005a30"
    assert SERIES_COLOURS[0] == "#1d70b8" and len(SERIES_COLOURS) == 6
    assert MARK_COLOURS == {"strength": "#00703c", "development": "#d4351c", "not_seen": "#b1b4b6"}
