"""The improvement plan as an XLSX workbook: an "Actions" sheet, one row per action (dates as
dates, the number as a number, the status cell filled with its RAG colour, the latest progress
note and the impact sentences), and a "Progress" sheet, one row per progress update (times in
UK time). Built from the same PlanExport as the PDF
(qa_app.services.improvement_exports.plan_export), so both exports show the same figures; written
by the one spreadsheet writer (qa_app.documents.spreadsheet)."""

from qa_app.documents.improvement_pdf import RAG_LOOK, PlanExport
from qa_app.documents.spreadsheet import WRAP, CellValue, Look, Sheet, Spreadsheet
from qa_app.documents.xlsx import HEADER, MAX_WIDTH
from qa_app.rules.uk_time import to_uk

ACTION_HEADER = [
    "Priority",
    "Action number",
    "Description",
    "Owner",
    "Due date",
    "Status",
    "RAG",
    "Overdue",
    "Themes",
    "Started on",
    "Completed on",
    "Source",
    "Expected outcome",
    "Latest progress on",
    "Latest progress note",
    "Impact",
]
STATUS_COLUMN = ACTION_HEADER.index("Status") + 1
PROGRESS_HEADER = [
    "Action number",
    "Action",
    "Date (UK time)",
    "Author",
    "Note",
    "Status from",
    "Status to",
]


def _sheet(book: Spreadsheet, title: str, header: list[str], rows: list[list[CellValue]]) -> Sheet:
    sheet = book.add_sheet(title, header, header_look=HEADER)
    for row in rows:
        sheet.append_row(row, look=WRAP)
    sheet.fit_widths(header, rows, MAX_WIDTH)
    return sheet


def plan_xlsx(export: PlanExport) -> bytes:
    book = Spreadsheet(title=export.plan.title, creator="Practice QA")
    actions = export.actions
    sheet = _sheet(
        book,
        "Actions",
        ACTION_HEADER,
        [
            [
                a.priority,
                a.number,
                a.description,
                a.owner,
                a.due_date,
                a.status_label,
                a.rag.capitalize(),
                "Yes" if a.overdue else "No",
                "; ".join(a.themes),
                a.started_on,
                a.completed_on,
                a.source,
                a.expected_outcome,
                to_uk(a.latest_at).date() if a.latest_at else None,
                a.latest_note,
                "\n".join(a.impact),
            ]
            for a in actions
        ],
    )
    for row, action in enumerate(actions, start=2):
        text, fill = RAG_LOOK[action.rag]
        look = Look(bold=True, colour=text.lstrip("#").upper(), fill=fill.lstrip("#").upper())
        sheet.style(row, STATUS_COLUMN, look)
    _sheet(
        book,
        "Progress",
        PROGRESS_HEADER,
        [
            [u.action_number, u.action, u.at, u.author, u.note, u.status_from, u.status_to]
            for u in export.updates
        ],
    )
    return book.to_bytes()
