"""The single-agency report to the safeguarding board as a Word document (python-docx), because
boards circulate Word: a title block, then the board's form one numbered heading per section,
its text, and tables for the statistics, the audit evidence, the ICPC audit, conversations and
the action plan; under the statistics, demand in the same period (documents/board_demand).
Marked OFFICIAL in the header, "Page X of Y" in the footer.

Reads only a report's frozen figures and text (board tier); every text goes into the file
through docx_parts.add_text, which drops the characters XML cannot carry. No Flask here."""

from io import BytesIO
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from qa_app.documents.board_content import activity_tiles, board_tables
from qa_app.documents.board_demand import DEMAND_SECTION, demand_part
from qa_app.documents.board_form import (
    EMPTY_SECTIONS,
    FINDING_KINDS,
    FORM_ORDER,
    KEY_FINDINGS,
    SECTION_TITLES,
    default_details,
    figure_details,
    privacy_note,
)
from qa_app.documents.board_table import BoardTable
from qa_app.documents.docx_parts import BRAND, SECONDARY, add_text, heading, new_document, shade

RAG_COLOURS = {
    "green": RGBColor(0x00, 0x70, 0x3C),
    "amber": RGBColor(0xB2, 0x4A, 0x00),
    "red": RGBColor(0xD4, 0x35, 0x1C),
    "blue": BRAND,
    "grey": SECONDARY,
}


def _table(document: WordDocument, table: BoardTable, number: int) -> None:
    caption = document.add_paragraph()
    add_text(caption, f"Table {number}: {table.caption}", bold=True, size=Pt(9.5))
    caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, text in enumerate(table.header):
        cell = grid.rows[0].cells[i]
        shade(cell, "1D70B8")
        p = cell.paragraphs[0]
        add_text(p, text, bold=True, size=Pt(9), colour=RGBColor(0xFF, 0xFF, 0xFF))
        if i in table.numeric:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        cells = grid.add_row().cells
        for i, value in enumerate(row):
            p = cells[i].paragraphs[0]
            if value.rag in RAG_COLOURS:
                add_text(p, "\u25cf ", colour=RAG_COLOURS[value.rag])
            add_text(p, value.text, size=Pt(9), bold=bool(value.rag))
            if i in table.numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _note(document: WordDocument, text: str) -> None:
    add_text(document.add_paragraph(), text, size=Pt(8.5), colour=SECONDARY)


def board_report_docx(
    *,
    title: str,
    sections: list[dict[str, Any]],
    key_findings: dict[str, Any],
    figures: dict[str, Any],
    status: str,
    organisation: str,
    details: list[tuple[str, str]] | None = None,
) -> bytes:
    limit = figures["suppression"]["threshold"]
    details = details or default_details(figures)
    document = new_document(
        title=title, organisation=organisation, subject="Single-agency report", marking="OFFICIAL"
    )

    add_text(document.add_paragraph(), organisation, bold=True, colour=BRAND)
    heading(document, title, 0)
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        *details,
        ("Status", status),
        *figure_details(figures),
    ):
        cells = facts.add_row().cells
        add_text(cells[0].paragraphs[0], label, bold=True)
        shade(cells[0], "F3F2F1")
        add_text(cells[1].paragraphs[0], value)
    document.add_paragraph()

    tables = board_tables(figures)
    by_key = {s["key"]: s for s in sections}
    n = 0
    for i, key in enumerate(FORM_ORDER, start=1):
        if key == KEY_FINDINGS:
            heading(document, f"{i}. Key findings", 1)
            for name, label in FINDING_KINDS:
                heading(document, label, 2)
                for line in key_findings.get(name) or ["None recorded."]:
                    add_text(document.add_paragraph(style="List Bullet"), line)
            continue
        heading(document, f"{i}. {SECTION_TITLES[key]}", 1)
        if key == "key_developments":
            tiles = activity_tiles(figures)
            grid = document.add_table(rows=2, cols=len(tiles))
            for col, (cell, label) in enumerate(tiles):
                top, bottom = grid.rows[0].cells[col], grid.rows[1].cells[col]
                shade(top, "F3F2F1")
                shade(bottom, "F3F2F1")
                add_text(top.paragraphs[0], cell.text, bold=True, size=Pt(20), colour=BRAND)
                add_text(bottom.paragraphs[0], label, size=Pt(9))
            document.add_paragraph()
        text = by_key.get(key, {}).get("text", "")
        paras = [p.strip() for p in text.split("\n") if p.strip()]
        for para in paras:
            add_text(document.add_paragraph(), para)
        if not paras and EMPTY_SECTIONS.get(key):
            _note(document, EMPTY_SECTIONS[key])
        for table in tables.get(key, []):
            n += 1
            _table(document, table, n)
        demand = demand_part(figures) if key == DEMAND_SECTION else None
        if demand:
            heading(document, demand.heading, 2)
            for line in demand.lines:
                add_text(document.add_paragraph(style="List Bullet"), line)
            add_text(document.add_paragraph(), demand.audits)
    _note(document, privacy_note(limit))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
