"""The slide house style (python-pptx), the pieces the scrutiny pack's deck is built from: a
16:9 deck, a slide with its title bar and footer (the marking, the council and month, the slide
number), text boxes whose text is measured before it is placed (Arial, whose metrics Helvetica
shares: qa_app.charts.text) so that it shrinks to fit or flows on to the next box or slide
rather than run off the slide, tables whose rows are measured the same way, and a native line
chart with its data. Pure: no Flask, no database."""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from qa_app.charts.text import wrap_text
from qa_app.rules.control_characters import writable

FONT = "Arial"
BRAND, TEXT, SECONDARY, WHITE = "1D70B8", "0B0C0C", "505A5F", "FFFFFF"
ZEBRA, RULE = "F3F2F1", "B1B4B6"
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
LEFT, RIGHT_EDGE = 0.5, 12.833
BODY_TOP, BODY_BOTTOM = 1.35, 6.8
BODY_W = RIGHT_EDGE - LEFT
PAD_X, PAD_Y = 0.1, 0.05  # a text frame's inner margins, inches
BULLET_INDENT = 0.28  # inches
SIZES = (18.0, 16.0, 14.0, 12.0)  # body text, largest first


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box: `kind` is "bullet", "number" (with `n`), "heading",
    "plain", "cont" (a long paragraph's next part) or "break" (the box ends here: the next
    paragraph starts the next box)."""

    text: str
    kind: str = "bullet"
    n: int = 0


@dataclass(frozen=True)
class Box:
    """A region of a slide, in inches."""

    x: float
    y: float
    w: float
    h: float


def rgb(hex_colour: str) -> Any:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def new_deck() -> Any:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13 1/3 by 7 1/2 in
    return deck


def save(deck: Any) -> bytes:
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# ---- measuring ------------------------------------------------------------------------------


def _indent(p: Para) -> float:
    return BULLET_INDENT if p.kind in ("bullet", "number", "cont") else 0.0


def para_height(p: Para, width: float, size: float) -> float:
    """The height in inches `p` takes in a box `width` inches wide at `size` points."""
    room = (width - 2 * PAD_X - _indent(p)) * 72
    bold = p.kind == "heading"
    lines, _ = wrap_text(p.text, room, size, max_lines=1000, bold=bold)
    return (len(lines) * size * 1.2 + size * 0.45) / 72


def fits(paras: Sequence[Para], box: Box, size: float) -> bool:
    return sum(para_height(p, box.w, size) for p in paras) + 2 * PAD_Y <= box.h


def take(paras: Sequence[Para], box: Box, size: float) -> int:
    """How many of `paras` (from the first) fit in `box` at `size`, never leaving a heading
    alone at the foot of the box; 0 when not even the first fits."""
    used, n = 2 * PAD_Y, 0
    for p in paras:
        if p.kind == "break":
            return n + 1
        used += para_height(p, box.w, size)
        if used > box.h:
            break
        n += 1
    while 0 < n < len(paras) and paras[n - 1].kind == "heading":
        n -= 1
    return n


def best_size(paras: Sequence[Para], boxes: Sequence[Box], sizes: Sequence[float] = SIZES) -> float:
    """The largest size at which `paras` fill `boxes` in order without overflow; the smallest
    size when they need more than these boxes."""
    for size in sizes:
        rest = list(paras)
        for box in boxes:
            rest = rest[take(rest, box, size) :]
        if not rest:
            return size
    return sizes[-1]


# ---- slides and text --------------------------------------------------------------------------


def slide(deck: Any, title: str, footer: str, marking: str) -> Any:
    """A blank slide with the title bar, a brand rule under it and the footer."""
    s = deck.slides.add_slide(deck.slide_layouts[6])
    text_box(s, Box(LEFT, 0.3, BODY_W, 0.8), [Para(title, "plain")], 28, bold=True, colour=BRAND)
    rule = s.shapes.add_shape(1, Inches(LEFT), Inches(1.12), Inches(BODY_W), Inches(0.05))
    rule.fill.solid()
    rule.fill.fore_color.rgb = rgb(BRAND)
    rule.line.fill.background()
    number = len(deck.slides)
    foot = Box(LEFT, 6.95, BODY_W, 0.35)
    text_box(s, Box(foot.x, foot.y, 2.0, foot.h), [Para(marking, "plain")], 11, bold=True)
    text_box(s, Box(2.6, foot.y, 8.1, foot.h), [Para(footer, "plain")], 10, colour=SECONDARY)
    text_box(
        s,
        Box(RIGHT_EDGE - 1.0, foot.y, 1.0, foot.h),
        [Para(str(number), "plain")],
        10,
        colour=SECONDARY,
        align=PP_ALIGN.RIGHT,
    )
    return s


def text_box(
    s: Any,
    box: Box,
    paras: Sequence[Para],
    size: float,
    *,
    bold: bool = False,
    colour: str = TEXT,
    align: Any = None,
) -> Any:
    """A text box at `box` holding `paras` at `size` points (the caller has measured them)."""
    paras = [p for p in paras if p.kind != "break"]
    shape = s.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(PAD_X))
    frame.margin_top = frame.margin_bottom = Inches(PAD_Y)
    for k, p in enumerate(paras):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        para.space_after = Pt(size * 0.45)
        run = para.add_run()
        run.text = writable(p.text)
        font = run.font
        font.name, font.size = FONT, Pt(size)
        font.bold = bold or p.kind == "heading"
        font.color.rgb = rgb(BRAND if p.kind == "heading" else colour)
        if p.kind in ("bullet", "number", "cont"):
            _list_marker(para, p)
    return shape


def _list_marker(para: Any, p: Para) -> None:
    """A hanging bullet (•) or number ("3.") in the brand colour; a paragraph's continuation
    ("cont") is indented as its first part, with no marker."""
    ppr = para._p.get_or_add_pPr()
    indent = int(Inches(BULLET_INDENT))
    ppr.set("marL", str(indent))
    if p.kind == "cont":
        ppr.append(ppr.makeelement(qn("a:buNone"), {}))
        return
    ppr.set("indent", str(-indent))
    colour = ppr.makeelement(qn("a:buClr"), {})
    colour.append(colour.makeelement(qn("a:srgbClr"), {"val": BRAND}))
    ppr.append(colour)
    if p.kind == "number":
        ppr.append(
            ppr.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod", "startAt": str(p.n)})
        )
    else:
        ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "•"}))


# ---- tables ---------------------------------------------------------------------------------


def row_height(cells: Sequence[str], widths: Sequence[float], size: float, bold: bool) -> float:
    """A table row's height in inches: its tallest cell's wrapped lines plus the margins."""
    tallest = 1
    for text, w in zip(cells, widths, strict=False):
        lines, _ = wrap_text(str(text), (w - 2 * 0.06) * 72, size, max_lines=1000, bold=bold)
        tallest = max(tallest, len(lines))
    return (tallest * size * 1.2 + 8) / 72


def table_rows_fitting(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    height: float,
    size: float,
) -> int:
    used, n = row_height(header, widths, size, True), 0
    for r in rows:
        used += row_height(r, widths, size, False)
        if used > height:
            break
        n += 1
    return max(n, 1)


def table(
    s: Any,
    box: Box,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float,
    *,
    numeric: set[int] | None = None,
    fills: dict[tuple[int, int], str] | None = None,
    bold_last: bool = False,
) -> Any:
    """A house-style table at `box`'s top left, `widths` inches: a brand header row, zebra body
    rows, numbers right-aligned, `fills` tinting cells by (row, column) of the body."""
    numeric, fills = numeric or set(), fills or {}
    heights = [row_height(header, widths, size, True)]
    heights += [row_height(r, widths, size, False) for r in rows]
    frame = s.shapes.add_table(
        len(rows) + 1,
        len(header),
        Inches(box.x),
        Inches(box.y),
        Inches(sum(widths)),
        Inches(sum(heights)),
    )
    grid = frame.table
    grid.first_row = True
    for k, w in enumerate(widths):
        grid.columns[k].width = Inches(w)
    for r, h in enumerate(heights):
        grid.rows[r].height = Emu(int(Inches(h)))
    for r, cells in enumerate([list(header), *[list(x) for x in rows]]):
        for c, text in enumerate(cells):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE if r else MSO_ANCHOR.BOTTOM
            fill = BRAND if r == 0 else fills.get((r - 1, c), ZEBRA if r % 2 == 0 else WHITE)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            para = cell.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.RIGHT if c in numeric else PP_ALIGN.LEFT
            run = para.add_run()
            run.text = writable(str(text))
            run.font.name, run.font.size = FONT, Pt(size)
            run.font.bold = r == 0 or (bold_last and r == len(rows))
            run.font.color.rgb = rgb(WHITE if r == 0 else TEXT)
    return frame


# ---- a line chart -----------------------------------------------------------------------------


def line_chart(
    s: Any,
    box: Box,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    percentage: bool,
) -> Any:
    """A native line chart (its data travels in the file) of `series` over `labels`."""
    data = CategoryChartData(number_format='0"%"' if percentage else "#,##0.##")
    data.categories = list(labels)
    for name, values in series:
        data.add_series(writable(name), list(values))
    frame = s.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS,
        Inches(box.x),
        Inches(box.y),
        Inches(box.w),
        Inches(box.h),
        data,
    )
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = writable(title)
    title_font = chart.chart_title.text_frame.paragraphs[0].runs[0].font
    title_font.size, title_font.bold, title_font.name = Pt(13), True, FONT
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    chart.font.size, chart.font.name = Pt(10), FONT
    axis = chart.value_axis
    axis.minimum_scale = 0
    if percentage:
        axis.maximum_scale = max(100.0, *(v for _, vs in series for v in vs if v is not None))
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(RULE)
    axis.tick_labels.font.size = Pt(10)
    chart.category_axis.tick_labels.font.size = Pt(9)
    colours = [BRAND, SECONDARY]
    for k, plot_series in enumerate(chart.plots[0].series):
        plot_series.smooth = False
        plot_series.format.line.color.rgb = rgb(colours[k % 2])
        plot_series.format.line.width = Pt(2.25 if k == 0 else 1.25)
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = rgb(colours[k % 2])
    return frame
