"""Small flowables of the house style: escaped paragraphs, headings that feed the contents,
data tables, key-figure tiles, scaled charts and the keep-with-start grouping that keeps a
heading or caption on the same page as the first rows of what follows it.

Every Paragraph's text is made by `plain`, which drops the characters XML cannot carry
(qa_app.rules.control_characters.writable): a lone surrogate cannot be encoded in a PDF at all."""

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import (  # type: ignore[attr-defined]  # private, not stubbed
    _ContainerSpace,
    _listWrapOn,
)

from qa_app.documents.pdf.styles import (
    COVER_META_TABLE,
    COVER_STATUS_TABLE,
    FONT,
    FONT_BOLD,
    TABLE_PADDING,
    colour,
    style,
    table_commands,
)
from qa_app.rules.control_characters import writable

START_ROWS = 3  # body rows a table caption must keep with it at a page foot


def plain(text: object, markup: bool = False) -> str:
    """Text for a reportlab Paragraph. Plain text has `& < >` escaped, so reportlab's mini-markup
    can neither break on it nor be injected through it; line breaks are kept. With markup=True
    the text is passed through as reportlab markup (for builders that add <b> fragments).
    Either way, the characters XML cannot carry are dropped (stored text may hold them)."""
    text = writable("" if text is None else str(text))
    if markup:
        return text
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style_name: str = "body", markup: bool = False) -> Paragraph:
    return Paragraph(plain(text, markup), style(style_name))


def heading(text: str, level: int, key: str) -> Paragraph:
    """A heading paragraph, anchored at `key`; levels 1 and 2 carry what the contents needs."""
    p = Paragraph(f'<a name="{key}"/>{plain(text)}', style(f"h{level}"))
    if level <= 2:  # the contents' entry rides on the paragraph (ReportDocument reads it back)
        p.toc_level = level  # type: ignore[attr-defined]
        p.toc_text = writable(str(text))  # type: ignore[attr-defined]
        p.toc_key = key  # type: ignore[attr-defined]
    return p


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so that it fits `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class KeepWithStart(_ContainerSpace, Flowable):
    """The doc's keepWithNext group: headings and captions stay with the *start* of what follows.
    Unlike reportlab's KeepTogether, a long table after a heading does not jump to a new page:
    only if the heading, caption and the first few table rows (or lines) don't fit does the group
    move on; otherwise it is laid out in sequence and the last member splits as usual."""

    def __init__(self, flowables: Iterable[Flowable], maxHeight: float | None = None) -> None:
        self._content = list(flowables)
        self._maxHeight = maxHeight

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        dims: list[tuple[float, float]] = []
        _, self._H = _listWrapOn(self._content, aW, self.canv, dims=dims)
        lead = self._content[:-1]
        need = sum(h for _, h in dims[:-1])
        need += sum(f.getSpaceBefore() + f.getSpaceAfter() for f in lead)
        self._need = need + _start_height(self._content[-1], dims[-1][1] if dims else 0)
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF  # always ask to be split, like KeepTogether

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = getattr(frame, "_atTop", False)
        # the frame adds the first member's space before it (not in _H) unless at its top
        space = 0 if at_top or not content else content[0].getSpaceBefore()
        if self._H + space > aH and self._need + space > aH and not at_top:
            content.insert(0, FrameBreak())
        return content


def _start_height(flowable: Flowable, height: float) -> float:
    """Height of the part of `flowable` that must share a page with what leads into it."""
    if isinstance(flowable, Table):
        rows: list[float] = getattr(flowable, "_rowHeights", None) or []
        return min(height, sum(rows[: 1 + START_ROWS]))
    if isinstance(flowable, Paragraph):
        return min(height, 3 * flowable.style.leading)
    return height


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: float, numeric: set[int]
) -> list[float]:
    """Full-width column widths from the text. Numeric columns, and text columns that fit a fair
    share, get their natural width; the longer text columns share what is left, never narrower
    than their longest word."""
    pad = TABLE_PADDING["LEFTPADDING"] + TABLE_PADDING["RIGHTPADDING"] + 1
    size = style("cell").fontSize
    n = len(header)
    natural, minimum = [28.0] * n, [0.0] * n
    for r, row in enumerate([header, *rows[:400]]):
        font = FONT_BOLD if r == 0 else FONT
        for i, cell in enumerate(row[:n]):
            words = str(cell).split() or [""]
            natural[i] = max(natural[i], stringWidth(" ".join(words), font, size) + pad)
            minimum[i] = max(minimum[i], max(stringWidth(w, font, size) for w in words) + pad)
    if sum(natural) <= width:  # everything fits on one line: spread the spare over text columns
        grow = [i for i in range(n) if i not in numeric] or list(range(n))
        spare, share = width - sum(natural), sum(natural[i] for i in grow)
        return [w + (spare * w / share if i in grow else 0) for i, w in enumerate(natural)]
    widths: dict[int, float] = {i: natural[i] for i in numeric if i < n}
    rest = [i for i in range(n) if i not in widths]
    while rest:  # columns that fit a fair share of what is left keep their natural width
        fair = (width - sum(widths.values())) / len(rest)
        fits = [i for i in rest if natural[i] <= fair]
        if not fits:
            break
        widths.update((i, natural[i]) for i in fits)
        rest = [i for i in rest if i not in fits]
    spare = width - sum(widths.values()) - sum(minimum[i] for i in rest)
    if spare < 0:  # even the longest words do not fit: scale everything down
        widths.update((i, minimum[i]) for i in rest)
        total = sum(widths.values())
        return [widths[i] * width / total for i in range(n)]
    want = sum(natural[i] - minimum[i] for i in rest) or 1.0
    widths.update((i, minimum[i] + spare * (natural[i] - minimum[i]) / want) for i in rest)
    return [widths[i] for i in range(n)]


def data_table(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    width: float,
    col_widths: Sequence[float] | None = None,
    numeric_columns: Iterable[int] = (),
    markup: bool = False,
) -> Table:
    """A house-style table: wrapping Paragraph cells, right-aligned numeric columns, the header
    repeated on every page it spans. `col_widths` are points, or fractions of the width if all
    are at most 1."""
    numeric = set(numeric_columns)
    head = [str(h) for h in header]
    body = [["" if c is None else str(c) for c in row] for row in rows]
    if col_widths is None:
        widths = column_widths(head, body, width, numeric)
    elif all(w <= 1 for w in col_widths):
        widths = [w * width for w in col_widths]
    else:
        widths = list(col_widths)

    def cells(row: Sequence[str], kind: str) -> list[Paragraph]:
        names = (f"{kind}_numeric" if i in numeric else kind for i in range(len(row)))
        return [Paragraph(plain(c, markup), style(s)) for c, s in zip(row, names, strict=True)]

    data = [cells(head, "cell_header")] + [cells(r, "cell") for r in body]
    # At a page break, at least two body rows stay under the header and two go over.
    split_range = (3, -2) if len(body) >= 6 else None
    table = Table(data, widths, repeatRows=1, hAlign="LEFT", rowSplitRange=split_range)
    table.setStyle(TableStyle(table_commands(len(body))))
    table.spaceAfter = 10
    return table


class KeyFigures(Flowable):
    """A row (or rows) of big-number tiles: value over label on a light panel, blue accent."""

    per_row, gap, pad, accent = 4, 10, 10, 4

    def __init__(self, figures: Iterable[tuple[object, object]], markup: bool = False) -> None:
        super().__init__()
        self.tiles = [
            (para(value, "figure_value", markup), para(label, "figure_label", markup))
            for value, label in figures
        ]
        self.spaceBefore, self.spaceAfter = 8, 14

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        per_row = max(1, min(self.per_row, len(self.tiles)))
        self._tile_w = (aW - self.gap * (per_row - 1)) / per_row
        inner = self._tile_w - 2 * self.pad - self.accent
        self._rows = [self.tiles[i : i + per_row] for i in range(0, len(self.tiles), per_row)]
        self._heights: list[float] = []
        for row in self._rows:
            tall = max(v.wrap(inner, aH)[1] + 3 + lab.wrap(inner, aH)[1] for v, lab in row)
            self._heights.append(tall + 2 * self.pad)
        self.width = aW
        self.height = sum(self._heights) + self.gap * max(0, len(self._rows) - 1)
        return self.width, self.height

    def draw(self) -> None:
        canv, top = self.canv, self.height
        for row, row_h in zip(self._rows, self._heights, strict=True):
            y = top - row_h
            for i, (value, label) in enumerate(row):
                x = i * (self._tile_w + self.gap)
                canv.setFillColor(colour("panel"))
                canv.rect(x, y, self._tile_w, row_h, stroke=0, fill=1)
                canv.setFillColor(colour("brand"))
                canv.rect(x, y, self.accent, row_h, stroke=0, fill=1)
                tx, ty = x + self.accent + self.pad, top - self.pad
                value.drawOn(canv, tx, ty - value.height)
                label.drawOn(canv, tx, ty - value.height - 3 - label.height)
            top = y - self.gap


class FitDrawing(Flowable):
    """A reportlab Drawing scaled down (never up) to fit the text width."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.spaceAfter = 10

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self._scale = min(1.0, aW / self.drawing.width) if self.drawing.width else 1.0
        self.width = self.drawing.width * self._scale
        self.height = self.drawing.height * self._scale
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self._scale, self._scale)
        self.drawing.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


def meta_table(meta: Sequence[tuple[str, str]], width: float) -> Table:
    """The report's details (period, audience, figures as at…) as label and value rows."""
    rows = [[para(k, "cover_meta_label"), para(v, "cover_meta_value")] for k, v in meta]
    table = Table(rows, colWidths=[4.2 * cm, width - 4.2 * cm], hAlign="LEFT")
    table.setStyle(TableStyle(COVER_META_TABLE))
    return table


def cover_flowables(
    organisation: str,
    title: str,
    subtitle: str,
    status_line: str,
    meta: Sequence[tuple[str, str]],
    width: float,
    compact: bool = False,
) -> list[Flowable]:
    """The cover's content: organisation under a blue bar, title, subtitle, the status line in a
    panel and the meta table. (The marking panel is drawn by the cover's page template.)
    `compact` leaves room on the cover for a one-page summary under the title."""
    bar = HRFlowable(width="100%", thickness=4, color=colour("brand"), lineCap="butt")
    parts: list[Flowable] = [Spacer(1, 0.3 * cm), bar, Spacer(1, 10)]
    if organisation:
        parts.append(para(organisation, "cover_org"))
    parts += [Spacer(1, (0.5 if compact else 3.2) * cm), para(title, "cover_title")]
    if subtitle:
        parts.append(para(subtitle, "cover_subtitle"))
    if status_line:
        status = Table([[para(status_line, "cover_status")]], colWidths=[width])
        status.setStyle(TableStyle(COVER_STATUS_TABLE))
        parts += [Spacer(1, (0.3 if compact else 1.0) * cm), status]
    if meta:
        parts += [Spacer(1, 1.0 * cm), meta_table(meta, width)]
    return parts
