"""The house-style Word document (python-docx) every report can be written into: the same
builder API as the PDF's ReportDocument (heading, paragraph, note, bullets, numbered,
key_figures, table, chart, page_break, build), so one report builder writes the PDF and the
Word file alike and the two hold the same text.

The protective marking (OFFICIAL or OFFICIAL-SENSITIVE) is in every page's header and footer,
with "Page X of Y"; a title block names the organisation, the title, the status and the facts
(meta) as the PDF's cover does. Charts are not drawn in Word: the tables beside them carry the
same figures. Text given with markup=True may hold the PDF builders' few tags (<b>, <br/>,
<font color>), which become bold runs, line breaks and coloured runs.

The shared pieces (`new_document`, `marking_header`, `shade`, `add_text`, `heading`,
`grid_table`, `note`) are the ones qa_app.documents.board_docx also writes by hand.

Every text reaches the Word file through `add_text` (or `new_document` for the file's
properties), which passes it through qa_app.rules.control_characters.writable: stored text holding a
character XML cannot carry (U+FFFE, a lone surrogate, a control character) loses it instead of
stopping the download with "All strings must be XML compatible"."""

import html
import re
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qa_app.documents.pdf.document import Marking
from qa_app.rules.control_characters import writable

BRAND = RGBColor(0x1D, 0x70, 0xB8)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADER_FILL, FACT_FILL = "1D70B8", "F3F2F1"
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TAG = re.compile(r"(<[^>]+>)")
COLOUR = re.compile(r'color="#?([0-9A-Fa-f]{6})"')


# ---- pieces shared by every Word report -----------------------------------------------------


def new_document(*, title: str, organisation: str, subject: str, marking: str) -> Document:
    """A Word document in the house style (Arial, brand headings, A4, 2 cm margins) with the
    marking in the header and footer of every page."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.name = "Arial"
        styles[name].font.color.rgb = BRAND
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    core = document.core_properties
    core.title, core.author = writable(str(title)), writable(str(organisation))
    core.subject, core.keywords = writable(str(subject)), marking
    marking_header(section, marking)
    return document


def field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def marking_header(section, marking: str) -> None:
    """The marking, bold and centred, at the top and bottom of every page; "Page X of Y"."""
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(marking).bold = True
    footer.add_run("    Page ")
    field(footer, "PAGE")
    footer.add_run(" of ")
    field(footer, "NUMPAGES")


def shade(cell, hex_colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), hex_colour)
    props.append(fill)


def add_text(
    paragraph, text: object, markup: bool = False, *, size=None, bold=False, colour=None
) -> None:
    """Runs for `text` in `paragraph` (without the characters XML cannot carry): plain text as
    it is, in `size`, bold and `colour` if given; markup as bold / coloured runs and line
    breaks (the PDF builders' tags)."""
    text = writable("" if text is None else str(text))
    if not markup:
        parts = text.replace("\r\n", "\n").split("\n")
        for i, part in enumerate(parts):
            run = paragraph.add_run(part)
            run.bold = bold or None
            if size:
                run.font.size = size
            if colour is not None:
                run.font.color.rgb = colour
            if i < len(parts) - 1:
                run.add_break()
        return
    bolds, colours = [bold], [None]
    for piece in TAG.split(text):
        if not piece:
            continue
        tag = piece.lower()
        if tag.startswith("<br"):
            paragraph.add_run().add_break()
        elif tag == "<b>":
            bolds.append(True)
        elif tag == "</b>" and len(bolds) > 1:
            bolds.pop()
        elif tag.startswith("<font"):
            found = COLOUR.search(piece)
            colours.append(RGBColor.from_string(found.group(1).upper()) if found else colours[-1])
        elif tag == "</font>" and len(colours) > 1:
            colours.pop()
        elif tag.startswith("<"):
            continue  # any other tag: its text is kept, the tag dropped
        else:
            run = paragraph.add_run(writable(html.unescape(piece)))
            run.bold = bolds[-1] or None
            if (colours[-1] or colour) is not None:
                run.font.color.rgb = colours[-1] or colour
            if size:
                run.font.size = size


def heading(document, text: object, level: int):
    """A heading paragraph (level 0 is the title) holding `text`."""
    p = document.add_heading("", level)
    add_text(p, text)
    return p


def note(document, text: str, markup: bool = False) -> None:
    p = document.add_paragraph()
    add_text(p, text, markup, size=Pt(8.5))
    for run in p.runs:
        if run.font.color.rgb is None:
            run.font.color.rgb = SECONDARY


TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
NUMERIC_CM = 2.4  # a numeric column, when the builder gives no widths


def column_widths_cm(n: int, numeric: set[int], col_widths=None) -> list[float]:
    """Widths in cm: the builder's (fractions of the text width, or points), else numeric
    columns narrow and the text columns sharing the rest."""
    if col_widths:
        if all(w <= 1 for w in col_widths):
            return [w * TEXT_WIDTH_CM for w in col_widths]
        return [w / 72 * 2.54 for w in col_widths]
    text = [i for i in range(n) if i not in numeric] or list(range(n))
    # numeric columns keep at most 70% of the width between them
    numeric_cm = min(NUMERIC_CM, 0.7 * TEXT_WIDTH_CM / max(n - len(text), 1))
    rest = TEXT_WIDTH_CM - numeric_cm * (n - len(text))
    return [rest / len(text) if i in text else numeric_cm for i in range(n)]


def grid_table(
    document,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
    markup: bool = False,
    col_widths: Sequence[float] | None = None,
):
    """A house-style table: a caption kept with it, a brand-blue header row repeated on every
    page, right-aligned numeric columns, text columns wider than numeric ones."""
    numeric = set(numeric)
    if caption:
        p = document.add_paragraph()
        add_text(p, caption, size=Pt(9.5), bold=True)
        p.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for i, text in enumerate(header):
        cell = head.cells[i]
        shade(cell, HEADER_FILL)
        p = cell.paragraphs[0]
        add_text(p, text, size=Pt(9), bold=True)
        for run in p.runs:
            run.font.color.rgb = WHITE
        if i in numeric:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in rows:
        cells = grid.add_row().cells
        for i, value in enumerate(list(row)[: len(header)]):
            p = cells[i].paragraphs[0]
            add_text(p, "" if value is None else value, markup, size=Pt(9))
            if i in numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid.autofit = False
    for column, width in zip(
        grid.columns, column_widths_cm(len(header), numeric, col_widths), strict=False
    ):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    document.add_paragraph()
    return grid


class _Table:
    """What DocxDocument.table returns: the Word table, with setStyle taking the reportlab
    BACKGROUND commands the PDF builders use to tint cells (e.g. a RAG status)."""

    def __init__(self, grid):
        self.grid = grid

    def setStyle(self, commands) -> None:  # noqa: N802 (reportlab's name)
        for command in commands:
            if command[0] != "BACKGROUND":
                continue
            (col, row), _end, fill = command[1], command[2], command[3]
            hexval = fill.hexval() if hasattr(fill, "hexval") else str(fill)
            shade(self.grid.rows[row].cells[col], hexval.replace("0x", "").replace("#", "")[-6:])


# ---- the builder ----------------------------------------------------------------------------


class DocxDocument:
    """One report as Word, with ReportDocument's builder API (see the module docstring)."""

    def __init__(
        self,
        title: str,
        subtitle: str = "",
        organisation: str = "",
        marking: Marking = Marking.OFFICIAL_SENSITIVE,
        status_line: str = "",
        meta: Iterable[tuple[str, str]] = (),
        short_title: str | None = None,
        invariant: bool = True,
    ):
        self.title, self.subtitle, self.organisation = title, subtitle, organisation
        self.marking = Marking(marking)
        self.status_line = status_line
        self.meta = [(str(k), str(v)) for k, v in meta]
        self.document = new_document(
            title=title, organisation=organisation, subject=subtitle, marking=self.marking.value
        )
        self._title_block()

    @property
    def width(self) -> float:
        """The text width in points (A4 less 2 cm margins), as ReportDocument.width."""
        return (21 - 4) / 2.54 * 72

    def _title_block(self) -> None:
        doc = self.document
        if self.organisation:
            p = doc.add_paragraph()
            add_text(p, self.organisation, bold=True)
            p.runs[0].font.color.rgb = BRAND
        heading(doc, self.title, 0)
        if self.subtitle:
            p = doc.add_paragraph()
            add_text(p, self.subtitle, size=Pt(13))
        facts = doc.add_table(rows=0, cols=2)
        facts.style = "Table Grid"
        for label, value in [("Status", self.status_line), *self.meta]:
            if not value:
                continue
            cells = facts.add_row().cells
            add_text(cells[0].paragraphs[0], label, bold=True)
            shade(cells[0], FACT_FILL)
            add_text(cells[1].paragraphs[0], value)
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        add_text(p, f"{self.marking.value}. {self.marking.handling}", size=Pt(8.5))

    def heading(self, text: str, level: int = 1):
        if level not in (1, 2, 3):
            raise ValueError("heading level must be 1, 2 or 3")
        return heading(self.document, text, level)

    def paragraph(self, text: str, markup: bool = False):
        p = self.document.add_paragraph()
        add_text(p, text, markup)
        return p

    def note(self, text: str, markup: bool = False):
        note(self.document, text, markup)

    def bullets(self, items: Iterable[str], markup: bool = False):
        for item in items:
            add_text(self.document.add_paragraph(style="List Bullet"), item, markup)

    def numbered(self, items: Iterable[str], markup: bool = False):
        # Written numbers ("1. ") rather than a Word list: a second list restarts at 1 and the
        # numbers survive copying into an email.
        for n, item in enumerate(items, start=1):
            p = self.document.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.63)
            p.paragraph_format.first_line_indent = Cm(-0.63)
            add_text(p, f"{n}.\t", bold=True)
            add_text(p, item, markup)

    def key_figures(self, figures: Iterable[tuple[object, object]], markup: bool = False):
        figures = list(figures)
        if not figures:
            return None
        grid = self.document.add_table(rows=2, cols=len(figures))
        for col, (value, label) in enumerate(figures):
            top, bottom = grid.rows[0].cells[col], grid.rows[1].cells[col]
            shade(top, FACT_FILL)
            shade(bottom, FACT_FILL)
            add_text(top.paragraphs[0], value, markup, size=Pt(20), bold=True)
            for run in top.paragraphs[0].runs:
                run.font.color.rgb = BRAND
            add_text(bottom.paragraphs[0], label, markup, size=Pt(9))
        self.document.add_paragraph()
        return grid

    def table(
        self,
        header: Sequence[object],
        rows: Iterable[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        numeric_columns: Iterable[int] = (),
        caption: str | None = None,
        markup: bool = False,
    ):
        grid = grid_table(
            self.document,
            header,
            rows,
            numeric=numeric_columns,
            caption=caption,
            markup=markup,
            col_widths=col_widths,
        )
        return _Table(grid)

    def chart(self, drawing, caption: str | None = None):
        """Charts stay in the PDF: the table that follows each one has its figures."""
        return None

    def page_break(self):
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    @contextmanager
    def first_page(self):
        """As ReportDocument.first_page: the block follows the title block, then a page break."""
        yield self
        self.page_break()

    def build(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a Word file, with its header, as one line of text
    (for tests and checks: what a reader of the file would see)."""
    document = Document(BytesIO(data))
    parts = [p.text for p in document.sections[0].header.paragraphs]
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                parts.append(" ".join(cells))
    return " ".join(" ".join(parts).split())
