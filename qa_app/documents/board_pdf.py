"""The single-agency report to the safeguarding board as a PDF in the house style: a cover
(agency, period, status, marking OFFICIAL), contents, then the board's form one numbered
section at a time, each with its text and the tables drafted from the frozen figures (under the
statistics, demand in the same period: documents/board_demand), and the key findings as
strengths, concerns and areas for development.

Reads only a report's frozen figures and text (board tier: aggregates only, small numbers
hidden), so a published report renders the same for ever. No Flask here: the pages and the
command line both call `board_report_pdf`."""

from typing import Any

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
    period_words,
    privacy_note,
)
from qa_app.documents.board_table import BoardTable, Cell
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.documents.pdf.flowables import plain

RAG_COLOURS = {
    "green": "#00703c",
    "amber": "#f47738",
    "red": "#d4351c",
    "blue": "#1d70b8",
    "grey": "#505a5f",
}


def _paragraphs(doc: ReportDocument, text: str) -> None:
    for para in (text or "").split("\n"):
        if para.strip():
            doc.paragraph(para.strip())


def _cell(cell: Cell) -> str:
    text = plain(cell.text)
    colour = RAG_COLOURS.get(cell.rag or "")
    if colour:
        return f'<font color="{colour}" size="11">\u25cf</font> <b>{text}</b>'
    return text


def _table(doc: ReportDocument, table: BoardTable, number: int) -> None:
    doc.table(
        [plain(h) for h in table.header],
        [[_cell(c) for c in row] for row in table.rows],
        col_widths=table.widths,
        numeric_columns=table.numeric,
        caption=f"Table {number}: {table.caption}",
        markup=True,
    )


def board_report_pdf(
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
    doc = ReportDocument(
        title=title,
        subtitle=f"{figures['agency']}: {period_words(figures)}",
        organisation=organisation,
        marking=Marking.OFFICIAL,
        status_line=status,
        short_title=f"Single-agency report: {figures['agency']}",
        meta=[
            *details,
            *figure_details(figures),
        ],
    )
    tables = board_tables(figures)
    n = 0
    by_key = {s["key"]: s for s in sections}
    for i, key in enumerate(FORM_ORDER, start=1):
        if key == KEY_FINDINGS:
            doc.heading(f"{i}. Key findings", 1)
            for name, label in FINDING_KINDS:
                doc.heading(label, 2)
                doc.bullets(key_findings.get(name) or ["None recorded."])
            continue
        doc.heading(f"{i}. {SECTION_TITLES[key]}", 1)
        if key == "key_developments":
            doc.key_figures([(cell.text, label) for cell, label in activity_tiles(figures)])
        text = by_key.get(key, {}).get("text", "")
        if text.strip():
            _paragraphs(doc, text)
        elif EMPTY_SECTIONS.get(key):
            doc.note(EMPTY_SECTIONS[key])
        for table in tables.get(key, []):
            n += 1
            _table(doc, table, n)
        if key == "statistics" and figures["indicators"]["rows"]:
            doc.note(
                "RAG: green on or better than target; amber within the agreed tolerance; red "
                "outside it. Comparators are shown for the years in the table only, with the "
                "year they are for; '–' where none is recorded for those years."
            )
        demand = demand_part(figures) if key == DEMAND_SECTION else None
        if demand:
            doc.heading(demand.heading, 2)
            doc.bullets(demand.lines)
            doc.paragraph(demand.audits)
        if key == "icpc" and figures["icpc"] and figures["icpc"]["rows"]:
            doc.note(
                "One row per agency across the conferences audited. 'Provided' counts "
                "written reports received; the other columns count reports answered 'yes', of "
                "those where the question applied."
            )
    doc.note(privacy_note(limit))
    return doc.build()
