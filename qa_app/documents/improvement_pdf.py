"""The improvement plan as a PDF in the house style: cover, the plan's actions counted by status
(RAG), then per priority a table of its actions (number, description, themes, the latest
progress note, the impact on each targeted theme, owner, due date with an overdue flag, and
the status in a cell coloured by RAG).

The plan holds no case-level data (no case references, no children), so it is marked OFFICIAL.

`plan_pdf` renders a PlanExport, everything the PDF and the XLSX show, as gathered by
qa_app.services.improvement_exports.plan_export. Pure: no database and no Flask."""

from dataclasses import dataclass, field
from datetime import date, datetime

from qa_app.documents.builder import BuilderClass, StyledTable
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.documents.pdf.flowables import plain
from qa_app.documents.pdf.styles import colour
from qa_app.findings.impact import MINIMUM, MONTHS
from qa_app.models import ActionStatus, ImprovementPlan, Priority
from qa_app.rules.uk_time import uk_date

# The RAG look of a status: (text, fill), the tints and dark text of GOV.UK Frontend's tags,
# so that a cell reads in print, on screen and in greyscale (the words are always there too).
RAG_LOOK = {
    "grey": ("#383f43", "#eeefef"),
    "green": ("#005a30", "#cce2d8"),
    "amber": ("#594d00", "#fff7bf"),
    "red": ("#942514", "#f6d7d2"),
    "blue": ("#144e81", "#d2e2f1"),
}
STATUS_ORDER = [
    ActionStatus.OFF_TRACK,
    ActionStatus.AT_RISK,
    ActionStatus.ON_TRACK,
    ActionStatus.NOT_STARTED,
    ActionStatus.COMPLETE,
]
# Text longer than this is cut in the PDF (a table row cannot run over a page); the XLSX has
# it in full.
DESCRIPTION_MAX = 1500
NOTE_MAX = 700


def day_text(day: date | datetime | None) -> str:
    """The one date format, in UK time for a moment: "7 December 2026"."""
    return uk_date(day)


def cut(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- what the exports show ----------------------------------------------------------------


@dataclass
class ActionRow:
    id: int
    number: int
    priority: str  # "1. Quality of assessments", or "" when the action has none
    description: str
    owner: str  # display name
    due_date: date | None
    status: str
    status_label: str
    rag: str
    overdue: bool
    themes: list[str]  # names
    started_on: date | None
    completed_on: date | None
    source: str
    expected_outcome: str
    latest_note: str
    latest_at: datetime | None
    impact: list[str]  # one sentence per targeted theme, or the reason there are none


@dataclass
class UpdateRow:
    action_number: int
    action: str
    at: datetime
    author: str
    note: str
    status_from: str
    status_to: str


@dataclass
class Group:
    priority: Priority | None
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.priority is None:
            return "Actions under no priority"
        return f"Priority {self.priority.number}: {self.priority.title}"


@dataclass
class PlanExport:
    plan: ImprovementPlan
    today: date
    organisation: str
    groups: list[Group]
    updates: list[UpdateRow]
    by_status: dict[str, int]

    @property
    def actions(self) -> list[ActionRow]:
        return [a for g in self.groups for a in g.actions]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.actions)

    @property
    def period(self) -> str:
        start, end = self.plan.starts_on, self.plan.ends_on
        if start and end:
            return f"{day_text(start)} to {day_text(end)}"
        if start:
            return f"From {day_text(start)}"
        if end:
            return f"Until {day_text(end)}"
        return "No dates set"


# ---- the PDF ------------------------------------------------------------------------------


def _status_cell(label: str, rag: str) -> str:
    text, _fill = RAG_LOOK[rag]
    return f'<font color="{text}"><b>{plain(label)}</b></font>'


def _colour_status_cells(table: StyledTable, rags: list[str], column: int) -> None:
    """Fill each body row's status cell with its RAG tint (drawn over the zebra rows)."""
    table.setStyle(
        [
            ("BACKGROUND", (column, row), (column, row), colour(RAG_LOOK[rag][1]))
            for row, rag in enumerate(rags, start=1)
        ]
    )


def _action_cell(a: ActionRow) -> str:
    parts = [plain(cut(a.description, DESCRIPTION_MAX))]
    if a.themes:
        parts.append(f"<b>Themes:</b> {plain(', '.join(a.themes))}")
    if a.latest_note:
        note = plain(cut(a.latest_note, NOTE_MAX))
        parts.append(f"<b>Latest progress ({day_text(a.latest_at)}):</b> {note}")
    parts.append("<b>Impact:</b> " + "<br/>".join(plain(s) for s in a.impact))
    return "<br/>".join(parts)


def _due_cell(a: ActionRow) -> str:
    text = plain(day_text(a.due_date) or "None set")
    if a.overdue:
        red = RAG_LOOK["red"][0]
        text += f'<br/><font color="{red}"><b>Overdue</b></font>'
    return text


def plan_pdf(export: PlanExport, document: BuilderClass = ReportDocument) -> bytes:
    """The plan as PDF, or as Word with document=docx_base.DocxDocument (the same builder API:
    see improvement_docx)."""
    plan = export.plan
    doc = document(
        title=plan.title,
        subtitle=f"Improvement plan: {export.period}",
        organisation=export.organisation,
        marking=Marking.OFFICIAL,
        status_line=f"{'Active' if plan.status == 'active' else 'Closed'} plan, as at "
        f"{day_text(export.today)}",
        meta=[
            ("Period", export.period),
            ("Actions", f"{export.total} ({export.overdue} overdue)"),
            ("As at", day_text(export.today)),
            (
                "Impact",
                f"Share of completed audits marking each targeted theme a strength, in the "
                f"{MONTHS} months before work started and since",
            ),
        ],
        short_title=f"Improvement plan: {plan.title}",
    )
    doc.heading("Summary", 1)
    for text in (plan.description or "").split("\n"):
        if text.strip():
            doc.paragraph(text.strip())
    by = export.by_status
    doc.key_figures(
        [
            (export.total, "actions"),
            (by[ActionStatus.ON_TRACK] + by[ActionStatus.COMPLETE], "on track or complete"),
            (by[ActionStatus.AT_RISK] + by[ActionStatus.OFF_TRACK], "at risk or off track"),
            (export.overdue, "overdue"),
        ]
    )
    table = doc.table(
        ["Status", "Actions"],
        [[_status_cell(s.label, s.rag), str(by[s.value])] for s in STATUS_ORDER]
        + [["<b>Overdue</b> (past due, not complete)", str(export.overdue)]],
        col_widths=[0.7, 0.3],
        numeric_columns={1},
        caption="Table 1: actions by status",
        markup=True,
    )
    _colour_status_cells(table, [s.rag for s in STATUS_ORDER], 0)
    for n, group in enumerate(export.groups, start=2):
        doc.heading(group.title, 1)
        if group.priority is not None and group.priority.description.strip():
            doc.paragraph(group.priority.description.strip())
        if not group.actions:
            doc.paragraph("No actions yet.")
            continue
        table = doc.table(
            ["No.", "Action", "Owner", "Due", "Status"],
            [
                [
                    str(a.number),
                    _action_cell(a),
                    plain(a.owner or "No owner"),
                    _due_cell(a),
                    _status_cell(a.status_label, a.rag),
                ]
                for a in group.actions
            ],
            col_widths=[0.07, 0.52, 0.15, 0.13, 0.13],
            numeric_columns={0},
            caption=f"Table {n}: {group.title}",
            markup=True,
        )
        _colour_status_cells(table, [a.rag for a in group.actions], 4)
    doc.note(
        f"Impact: for each theme an action targets, the share of completed audits that marked "
        f"it a strength in the {MONTHS} months before work on the action started, and since. "
        f"With fewer than {MINIMUM} audits marking the theme on either side, there are too few "
        "to tell. Each action's progress updates are in the spreadsheet export."
    )
    return doc.build()
