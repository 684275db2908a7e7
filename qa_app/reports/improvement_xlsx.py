"""The improvement plan as an XLSX workbook (openpyxl): an "Actions" sheet, one row per action
(dates as dates, the number as a number, the status cell filled with its RAG colour, the
latest progress note and the impact sentences), and a "Progress" sheet, one row per progress
update. Built from `improvement_pdf.plan_export`, so both exports show the same figures."""

from datetime import UTC, date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qa_app.models import ImprovementPlan
from qa_app.reports.improvement_pdf import RAG_LOOK, PlanExport, plan_export
from qa_app.reports.xlsx import HEADER_FILL, HEADER_FONT, MAX_WIDTH

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
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
    "Date (UTC)",
    "Author",
    "Note",
    "Status from",
    "Status to",
]


def _clean(value):
    """Text without the control characters XLSX cannot hold; times in UTC, as XLSX holds no
    time zone."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]):
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_clean(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # text starting "=" is kept as text, never run
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        longest = max(
            [len(str(name))]
            + [len(str(r[i - 1])) if not isinstance(r[i - 1], date) else 12 for r in rows[:500]]
        )
        sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)
    return sheet


def plan_xlsx(export: PlanExport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = export.plan.title
    book.properties.creator = "Practice QA"
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
                a.latest_at.date() if a.latest_at else None,
                a.latest_note,
                "\n".join(a.impact),
            ]
            for a in actions
        ],
    )
    for row, action in enumerate(actions, start=2):
        text, fill = RAG_LOOK[action.rag]
        cell = sheet.cell(row=row, column=STATUS_COLUMN)
        cell.fill = PatternFill("solid", fgColor=fill.lstrip("#").upper())
        cell.font = Font(bold=True, color=text.lstrip("#").upper())
    _sheet(
        book,
        "Progress",
        PROGRESS_HEADER,
        [
            [u.action_number, u.action, u.at, u.author, u.note, u.status_from, u.status_to]
            for u in export.updates
        ],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def plan_xlsx_bytes(plan: ImprovementPlan, today: date) -> bytes:
    return plan_xlsx(plan_export(plan, today))
