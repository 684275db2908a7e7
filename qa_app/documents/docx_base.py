"""The house-style Word document (python-docx) every report can be written into: the same
builder API as the PDF's ReportDocument (heading, paragraph, note, bullets, numbered,
key_figures, table, chart, page_break, build), so one report builder writes the PDF and the
Word file alike and the two hold the same text.

The protective marking (OFFICIAL or OFFICIAL-SENSITIVE) is in every page's header and footer,
with "Page X of Y"; a title block names the organisation, the title, the status and the facts
(meta) as the PDF's cover does. Charts are not drawn in Word: the tables beside them carry the
same figures. Text given with markup=True may hold the PDF builders' few tags (<b>, <br/>,
<font color>), which become bold runs, line breaks and coloured runs. The pieces it is built
from (the marking, text runs, tables) are in qa_app.documents.docx_parts; `docx_text` reads a
Word file back as text."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from reportlab.graphics.shapes import Drawing

from qa_app.documents.builder import CellCommand
from qa_app.documents.docx_parts import (
    BRAND,
    FACT_FILL,
    add_text,
    grid_table,
    heading,
    new_document,
    note,
    shade,
)
from qa_app.documents.pdf.document import Marking

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Table:
    """What DocxDocument.table returns: the Word table, with setStyle taking the reportlab
    BACKGROUND commands the PDF builders use to tint cells (e.g. a RAG status)."""

    def __init__(self, grid: Table) -> None:
        self.grid = grid

    def setStyle(self, commands: list[CellCommand]) -> None:  # noqa: N802 (reportlab's name)
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
    ) -> None:
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

    def heading(self, text: str, level: int = 1) -> Paragraph:
        if level not in (1, 2, 3):
            raise ValueError("heading level must be 1, 2 or 3")
        return heading(self.document, text, level)

    def paragraph(self, text: str, markup: bool = False) -> Paragraph:
        p = self.document.add_paragraph()
        add_text(p, text, markup)
        return p

    def note(self, text: str, markup: bool = False) -> None:
        note(self.document, text, markup)

    def bullets(self, items: Iterable[str], markup: bool = False) -> None:
        for item in items:
            add_text(self.document.add_paragraph(style="List Bullet"), item, markup)

    def numbered(self, items: Iterable[str], markup: bool = False) -> None:
        # Written numbers ("1. ") rather than a Word list: a second list restarts at 1 and the
        # numbers survive copying into an email.
        for n, item in enumerate(items, start=1):
            p = self.document.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.63)
            p.paragraph_format.first_line_indent = Cm(-0.63)
            add_text(p, f"{n}.\t", bold=True)
            add_text(p, item, markup)

    def key_figures(
        self, figures: Iterable[tuple[object, object]], markup: bool = False
    ) -> Table | None:
        figures = list(figures)
        if not figures:
            return None
        grid: Table = self.document.add_table(rows=2, cols=len(figures))
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
    ) -> _Table:
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

    def chart(self, drawing: Drawing, caption: str | None = None) -> None:
        """Charts stay in the PDF: the table that follows each one has its figures."""
        return None

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    @contextmanager
    def first_page(self) -> Iterator["DocxDocument"]:
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
