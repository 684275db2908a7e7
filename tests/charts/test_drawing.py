"""The reportlab charts: the same three kinds as Drawings that flow into a PDF report."""

from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate

from qa_app.charts import Bar, BarChart, LineChart, LineSeries, StackedBarChart
from qa_app.charts import drawing as charts
from tests.charts.test_svg import MONTHS, empty_charts, grade_chart, month_chart, theme_chart


def walk(node):
    yield node
    for child in getattr(node, "contents", []) if isinstance(node, Group | Drawing) else []:
        yield from walk(child)


def strings(d: Drawing) -> list[str]:
    return [n.text for n in walk(d) if isinstance(n, String)]


def fills(d: Drawing, colour: str) -> list[Rect]:
    want = "0x" + colour.lstrip("#").lower()
    return [
        n
        for n in walk(d)
        if isinstance(n, Rect) and n.fillColor is not None and n.fillColor.hexval() == want
    ]


def pdf_text(*flowables) -> str:
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    doc.build(list(flowables))
    reader = PdfReader(BytesIO(out.getvalue()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_all_three_flow_into_a_one_page_pdf_with_their_labels():
    style = getSampleStyleSheet()["Heading3"]
    story = []
    for chart in (grade_chart(), theme_chart(), month_chart()):
        story += [Paragraph(chart.title, style), charts.drawing(chart)]
    text, pages = pdf_text(*story)
    assert pages == 1
    for label in (
        "Requires improvement to be good",
        "21 (50%)",
        "Voice of the child",
        "Area for development",
        "Not seen",
        "Jan 2026",
        "100%",
        "58%",
    ):
        assert label in text, label


def test_default_size_fits_an_a4_page_with_2cm_margins():
    d = charts.drawing(grade_chart())
    assert isinstance(d, Drawing)
    assert d.width == pytest.approx(A4[0] - 4 * cm, abs=1)
    assert 0 < d.height < 200
    assert charts.drawing(month_chart(), 300).width == 300


def test_everything_stays_inside_the_drawing():
    for chart in (grade_chart(), theme_chart(), theme_chart(True), month_chart(extra=True)):
        d = charts.drawing(chart, show_title=True)
        for n in walk(d):
            if isinstance(n, String):
                w = stringWidth(n.text, n.fontName, n.fontSize)
                left = {"start": n.x, "middle": n.x - w / 2, "end": n.x - w}[n.textAnchor]
                assert left >= -0.5 and left + w <= d.width + 0.5, n.text
                assert 0 <= n.y <= d.height, n.text
            if isinstance(n, Rect):
                assert n.x >= -0.5 and n.x + n.width <= d.width + 0.5
                assert n.y >= -0.5 and n.y + n.height <= d.height + 0.5


def test_bars_to_scale_and_suppressed_by_label_only():
    chart = grade_chart()
    d = charts.bar_chart(chart)
    widths = {bar.label: fills(d, bar.colour)[0].width for bar in chart.bars}
    unit = widths["Good"] / 21
    for bar in chart.bars:
        assert widths[bar.label] == pytest.approx(bar.value * unit, abs=0.01)
    assert "Helvetica" in {n.fontName for n in walk(d) if isinstance(n, String)}

    d = charts.bar_chart(
        BarChart(
            "T",
            [Bar("Outstanding", None, "hidden", "#005a30"), Bar("Good", 9, "9", "#00703c")],
        )
    )
    assert fills(d, "#005a30") == []
    assert "hidden" in strings(d) and "Outstanding" in strings(d)


def test_stacked_has_legend_segments_and_labels():
    d = charts.stacked_bar_chart(theme_chart())
    shown = strings(d)
    for name in ("Strength", "Area for development", "Not seen", "Voice of the child", "42"):
        assert name in shown
    assert len(fills(d, "#b1b4b6")) == 1 + 2  # legend swatch + two rows (one suppressed)
    d = charts.stacked_bar_chart(theme_chart(percent=True))
    assert "43%" in strings(d) and "100%" in strings(d)


def test_line_chart_gaps_markers_and_legend():
    d = charts.line_chart(month_chart())
    lines = [n for n in walk(d) if isinstance(n, PolyLine)]
    assert [len(n.points) // 2 for n in lines] == [2, 3]
    assert "Good or better" not in strings(d)
    d = charts.line_chart(month_chart(extra=True))
    assert {"Good or better", "Child protection"} <= set(strings(d))


def test_height_is_honoured_by_a_line_chart():
    assert charts.drawing(month_chart(), height=300).height == pytest.approx(300, abs=1)
    tall = charts.drawing(grade_chart(), height=400)
    assert charts.drawing(grade_chart()).height < tall.height <= 400


def test_empty_and_wrong_kinds():
    for chart in empty_charts():
        assert strings(charts.drawing(chart)) == ["No data for this selection"]
    with pytest.raises(TypeError):
        charts.line_chart(StackedBarChart("T", [], []))
    with pytest.raises(TypeError):
        charts.drawing(LineSeries("A", "#1d70b8", []))
    assert LineChart("T", MONTHS, []).series == []
