"""The Word house style (python-docx), the pieces every Word report is written with: a new
document with the protective marking in every page's header and footer and "Page X of Y"
(`new_document`, `marking_header`, `field`), shaded cells, text runs (`add_text`), headings,
notes and house-style tables (`grid_table`, `column_widths_cm`). qa_app.documents.docx_base
builds its DocxDocument from them and qa_app.documents.board_docx writes with them by hand.

Every text reaches the Word file through `add_text` (or `new_document` for the file's
properties), which passes it through qa_app.rules.control_characters.writable: stored text holding a
character XML cannot carry (U+FFFE, a lone surrogate, a control character) loses it instead of
stopping the download with "All strings must be XML compatible". Text given with markup=True
may hold the PDF builders' few tags (<b>, <br/>, <font color>), which become bold runs, line
breaks and coloured runs."""

import html
import re
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from qa_app.rules.control_characters import writable

BRAND = RGBColor(0x1D, 0x70, 0xB8)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADER_FILL, FACT_FILL = "1D70B8", "F3F2F1"
TAG = re.compile(r"(<[^>]+>)")
COLOUR = re.compile(r'color="#?([0-9A-Fa-f]{6})"')


def new_document(*, title: str, organisation: str, subject: str, marking: str) -> WordDocument:
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


def field(paragraph: Paragraph, code: str) -> None:
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


def marking_header(section: Section, marking: str) -> None:
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


def shade(cell: _Cell, hex_colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), hex_colour)
    props.append(fill)


def add_text(
    paragraph: Paragraph,
    text: object,
    markup: bool = False,
    *,
    size: Length | None = None,
    bold: bool = False,
    colour: RGBColor | None = None,
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
    bolds: list[bool] = [bold]
    colours: list[RGBColor | None] = [None]
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


def heading(document: WordDocument, text: object, level: int) -> Paragraph:
    """A heading paragraph (level 0 is the title) holding `text`."""
    p: Paragraph = document.add_heading("", level)  # python-docx leaves it unannotated
    add_text(p, text)
    return p


def note(document: WordDocument, text: str, markup: bool = False) -> None:
    p = document.add_paragraph()
    add_text(p, text, markup, size=Pt(8.5))
    for run in p.runs:
        if run.font.color.rgb is None:
            run.font.color.rgb = SECONDARY


TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
NUMERIC_CM = 2.4  # a numeric column, when the builder gives no widths


def column_widths_cm(
    n: int, numeric: set[int], col_widths: Sequence[float] | None = None
) -> list[float]:
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
    document: WordDocument,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
    markup: bool = False,
    col_widths: Sequence[float] | None = None,
) -> Table:
    """A house-style table: a caption kept with it, a brand-blue header row repeated on every
    page, right-aligned numeric columns, text columns wider than numeric ones."""
    numeric = set(numeric)
    if caption:
        p = document.add_paragraph()
        add_text(p, caption, size=Pt(9.5), bold=True)
        p.paragraph_format.keep_with_next = True
    grid: Table = document.add_table(rows=1, cols=len(header))  # unannotated in python-docx
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
