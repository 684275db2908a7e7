"""Lists of audits, one row per audit with its case, team, template and auditor: a cycle's
audits and an auditor's own, sorted, filtered and paged (qa_app.rules.listing)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, select

from qa_app.data.listing import Page, count, ordered
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditStatus,
    AuditTemplate,
    Case,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.listing import ListSpec, ListState, page_count

OPEN = (AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS)
NO_TEAM = "No team"
STATUSES = frozenset(s.value for s in AuditStatus)
STATUS_LABELS = {
    AuditStatus.NOT_STARTED: "Not started",
    AuditStatus.IN_PROGRESS: "In progress",
    AuditStatus.SUBMITTED: "Submitted",
    AuditStatus.MODERATED: "Moderated",
}


def is_overdue(due_date: date | None, status: str, today: date) -> bool:
    return due_date is not None and due_date < today and status in OPEN


@dataclass(frozen=True)
class AuditRow:
    id: int
    case_reference: str
    team: str
    worker: str | None
    template: str
    version: int
    auditor: str | None
    auditor_id: int | None
    status: str
    due_date: date | None
    submitted_at: datetime | None
    own_team_override: bool
    overdue: bool
    cycle: str | None = None


AUDIT_COLUMNS = (
    Audit.id,
    Case.case_reference,
    Team.name,
    Case.worker,
    AuditTemplate.name,
    TemplateVersion.number,
    User.display_name,
    Audit.auditor_id,
    Audit.status,
    Audit.due_date,
    Audit.submitted_at,
    Audit.own_team_override,
)


def audit_select(*extra: Any) -> Any:
    """Audits with case, team, template and auditor: the columns of an AuditRow."""
    return (
        select(*AUDIT_COLUMNS, *extra)
        .select_from(Audit)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .outerjoin(User, User.id == Audit.auditor_id)
    )


def audit_row(values: Sequence[Any], today: date) -> AuditRow:
    audit_id, reference, team, worker, template, version, auditor, auditor_id = values[:8]
    status, due, submitted, override = values[8:12]
    return AuditRow(
        audit_id,
        reference,
        team or NO_TEAM,
        worker,
        template,
        version,
        auditor,
        auditor_id,
        status,
        due,
        submitted,
        override,
        is_overdue(due, status, today),
        values[12] if len(values) > 12 else None,
    )


# ---- the lists ----------------------------------------------------------------------------

STATUS_ORDER = case(
    {s: n for n, s in enumerate(("not_started", "in_progress", "submitted", "moderated"))},
    value=Audit.status,
    else_=9,
)
SORT_COLUMNS: dict[str, Any] = {
    "case": Case.case_reference,
    "team": Team.name,
    "template": AuditTemplate.name,
    "auditor": User.display_name,
    "status": STATUS_ORDER,
    "due": Audit.due_date,
    "cycle": AuditCycle.name,
}
_FILTERS = {
    "status": STATUSES,
    "overdue": frozenset({"yes"}),
    "team": None,
    "auditor": None,
    "template": None,
    "cycle": None,
}
CYCLE_AUDITS = ListSpec(
    sorts={
        "case": "Case reference",
        "team": "Team",
        "template": "Template",
        "auditor": "Auditor",
        "status": "Status",
        "due": "Due",
    },
    default_sort="case",
    filters={k: v for k, v in _FILTERS.items() if k != "cycle"},
)
MY_AUDITS = ListSpec(
    sorts={
        "case": "Case",
        "template": "Template",
        "cycle": "Cycle",
        "due": "Due",
        "status": "Status",
    },
    default_sort="status",
    filters={k: v for k, v in _FILTERS.items() if k != "auditor"},
)


def _filters(state: ListState, today: date) -> list[ColumnElement[bool]]:
    f = state.filters
    where: list[ColumnElement[bool]] = []
    if "status" in f:
        where.append(Audit.status == f["status"])
    if f.get("overdue") == "yes":
        where.append(and_(Audit.due_date < today, Audit.status.in_(OPEN)))
    if "team" in f:
        where.append(Case.team_id == int(f["team"]))
    if "auditor" in f:
        where.append(Audit.auditor_id == int(f["auditor"]))
    if "template" in f:
        where.append(TemplateVersion.template_id == int(f["template"]))
    if "cycle" in f:
        where.append(Audit.cycle_id == int(f["cycle"]))
    return where


def audit_page(scope: ColumnElement[bool], state: ListState, today: date) -> Page:
    """The page of audits within `scope` (e.g. a cycle, or an auditor's own) the state asks
    for: one query for the count, one for the rows."""
    where = [scope, *_filters(state, today)]
    counting = select(Audit.id)  # joined only to what the filters read
    if "team" in state.filters:
        counting = counting.join(Case, Case.id == Audit.case_id)
    if "template" in state.filters:
        counting = counting.join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
    total = count(counting.where(*where))
    shown = state.with_page(min(state.page, page_count(total, state.spec.page_size)))
    stmt = ordered(
        audit_select(AuditCycle.name)
        .outerjoin(AuditCycle, AuditCycle.id == Audit.cycle_id)
        .where(*where),
        shown,
        SORT_COLUMNS,
        (Audit.due_date, Audit.id),
    )
    rows = db.session.execute(stmt.offset(shown.offset).limit(state.spec.page_size))
    return Page([audit_row(r, today) for r in rows], total, shown, state.page > shown.page)


_CHOICE_COLUMNS: dict[str, tuple[str, Any, Any]] = {
    "team": ("Team", Team.id, Team.name),
    "auditor": ("Auditor", User.id, User.display_name),
    "template": ("Template", AuditTemplate.id, AuditTemplate.name),
    "cycle": ("Cycle", AuditCycle.id, AuditCycle.name),
}


def filter_choices(scope: ColumnElement[bool], spec: ListSpec) -> list[tuple[str, str, list[Any]]]:
    """(name, label, [(value, text), ...]) for each of the spec's filters, the values offered
    being those found among the audits in `scope` (one query per filter with a list of names)."""
    out: list[tuple[str, str, list[Any]]] = []
    for name in spec.filters:
        if name == "status":
            out.append(("status", "Status", list(STATUS_LABELS.items())))
        elif name == "overdue":
            out.append(("overdue", "Overdue", [("yes", "Overdue only")]))
        elif name in _CHOICE_COLUMNS:
            label, key, text = _CHOICE_COLUMNS[name]
            stmt = (
                audit_select(key, text)
                .with_only_columns(key, text)
                .outerjoin(AuditCycle, AuditCycle.id == Audit.cycle_id)
                .where(scope, key.is_not(None))
                .distinct()
                .order_by(text)
            )
            out.append((name, label, [tuple(r) for r in db.session.execute(stmt)]))
    return out
