"""Audit cycles: creating and editing them, adding cases by hand, and their progress."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.data.audit_lists import (
    NO_TEAM,
    OPEN,
    is_overdue,
)
from qa_app.data.audit_lists import STATUS_LABELS as STATUS_LABELS
from qa_app.data.audits import create_audit
from qa_app.data.case_lists import reference_problem
from qa_app.data.cases import create_case, find_case, has_audit_in_cycle
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    CycleCase,
    CycleKind,
    Team,
    Theme,
    User,
)

KIND_LABELS = {
    CycleKind.MONTHLY: "Monthly audit programme",
    CycleKind.THEMED: "Themed audit",
    CycleKind.PRACTICE_WEEK: "Practice week",
    CycleKind.MULTI_AGENCY: "Multi-agency audit",
    CycleKind.FOLLOW_UP: "Follow-up: the same children audited again",
}
NOT_ASSIGNED = "Not assigned"


# The dates a cycle may have, on every path (the web form, the cycles file, `qa cycle create`).
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


def cycle_date_problems(start: date, end: date, due: date | None) -> list[tuple[str, str]]:
    """(field, message) for each date of a cycle that is out of bounds or out of order: every
    date from 1990 to 2100, the end on or after the start, the due date on or after the start."""
    problems = []
    for name, day in (("period_start", start), ("period_end", end), ("due_date", due)):
        if day is not None and not EARLIEST <= day <= LATEST:
            problems.append((name, f"Enter a date from {EARLIEST.year} to {LATEST.year}"))
    if not problems and end < start:
        problems.append(("period_end", "The end of the period must be on or after its start"))
    if not problems and due is not None and due < start:
        problems.append(("due_date", "The due date must be on or after the start of the period"))
    return problems


class CycleError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---- reading ------------------------------------------------------------------------------


def get_cycle_by_name(name: str) -> AuditCycle | None:
    return db.session.scalar(select(AuditCycle).where(AuditCycle.name == name.strip()))


def get_cycle(cycle_id: int) -> AuditCycle | None:
    return db.session.scalar(
        select(AuditCycle)
        .where(AuditCycle.id == cycle_id)
        .options(selectinload(AuditCycle.templates).selectinload(AuditTemplate.versions))
    )


def active_templates() -> list[AuditTemplate]:
    return list(
        db.session.scalars(
            select(AuditTemplate)
            .where(AuditTemplate.active.is_(True), AuditTemplate.kind == "case_audit")
            .order_by(AuditTemplate.name)
            .options(selectinload(AuditTemplate.versions))
        )
    )


def active_themes() -> list[Theme]:
    return list(
        db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.name))
    )


def theme_name(key: str | None) -> str | None:
    if not key:
        return None
    return db.session.scalar(select(Theme.name).where(Theme.key == key)) or key


@dataclass
class Progress:
    counts: Counter[str] = field(default_factory=Counter)  # status -> audits
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, status: str, overdue: bool) -> None:
        self.counts[status] += 1
        self.overdue += overdue


def list_cycles(today: date) -> list[tuple[AuditCycle, Progress, int]]:
    """Every cycle, newest period first, with its progress and the size of its case list."""
    cycles = list(db.session.scalars(select(AuditCycle).order_by(AuditCycle.period_start.desc())))
    progress: dict[int | None, Progress] = defaultdict(Progress)
    rows = db.session.execute(
        select(Audit.cycle_id, Audit.status, Audit.due_date, func.count())
        .where(Audit.cycle_id.is_not(None))
        .group_by(Audit.cycle_id, Audit.status, Audit.due_date)
    )
    for cycle_id, status, due, count in rows:
        p = progress[cycle_id]
        p.counts[status] += count
        p.overdue += count if is_overdue(due, status, today) else 0
    listed = dict(
        db.session.execute(
            select(CycleCase.cycle_id, func.count()).group_by(CycleCase.cycle_id)
        ).all()
    )
    return [(c, progress[c.id], listed.get(c.id, 0)) for c in cycles]


@dataclass
class CycleOverview:
    overall: Progress
    by_auditor: dict[str, Progress]
    by_team: dict[str, Progress]


def _progress(cycle_id: int, today: date, *group: Any) -> dict[Any, Progress]:
    """The cycle's progress counted in SQL, by `group` (a column or none)."""
    late = Audit.due_date < today
    stmt = (
        select(Audit.status, late, func.count(), *group)
        .select_from(Audit)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .outerjoin(User, User.id == Audit.auditor_id)
        .where(Audit.cycle_id == cycle_id)
        .group_by(Audit.status, late, *group)
    )
    out: dict[Any, Progress] = defaultdict(Progress)
    for status, is_late, number, *key in db.session.execute(stmt):
        p = out[key[0] if key else None]
        p.counts[status] += number
        p.overdue += number if is_late and status in OPEN else 0
    return out


def overview(cycle_id: int, today: date) -> CycleOverview:
    """The cycle's progress overall, by auditor and by team: three grouped queries, however
    many audits (the audits themselves are paged: qa_app.data.audit_lists)."""
    overall = _progress(cycle_id, today).get(None, Progress())
    by_auditor = {
        name or NOT_ASSIGNED: p for name, p in _progress(cycle_id, today, User.display_name).items()
    }
    by_team = {name or NO_TEAM: p for name, p in _progress(cycle_id, today, Team.name).items()}
    return CycleOverview(overall, dict(sorted(by_auditor.items())), dict(sorted(by_team.items())))


# ---- writing ------------------------------------------------------------------------------


def _name_taken(name: str, exclude_id: int | None) -> bool:
    stmt = select(AuditCycle.id).where(func.lower(AuditCycle.name) == name.lower())
    if exclude_id:
        stmt = stmt.where(AuditCycle.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _snapshot(cycle: AuditCycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "kind": str(cycle.kind),
        "description": cycle.description,
        "period_start": cycle.period_start.isoformat() if cycle.period_start else None,
        "period_end": cycle.period_end.isoformat() if cycle.period_end else None,
        "due_date": cycle.due_date.isoformat() if cycle.due_date else None,
        "templates": sorted(t.key for t in cycle.templates),
        "theme_focus": cycle.theme_focus,
        "moderation_share": cycle.moderation_share,
    }


@dataclass
class SavedCycle:
    cycle: AuditCycle
    moved: list[int] = field(default_factory=list)  # open audits whose due date moved with it


def save_cycle(**fields: Any) -> AuditCycle:
    """Create or update a cycle (see store_cycle); commits."""
    return store_cycle(**fields).cycle


def store_cycle(
    *,
    name: str,
    kind: str,
    description: str,
    period_start: date,
    period_end: date,
    due_date: date | None,
    templates: list[AuditTemplate],
    theme_focus: str | None,
    moderation_share: int,
    actor: User | None,
    cycle: AuditCycle | None = None,
    commit: bool = True,
) -> SavedCycle:
    """Create or update a cycle (raises CycleError naming the field); commits, unless
    `commit` is False (a caller making the cycle as part of something larger commits the
    whole once). A new due date moves the open audits that were due on the old one (see
    _move_due_dates)."""
    name = name.strip()
    if not name:
        raise CycleError("Enter a name for the cycle", "name")
    if _name_taken(name, cycle.id if cycle else None):
        raise CycleError(f"There is already a cycle called {name!r}", "name")
    if kind not in {k.value for k in CycleKind}:
        raise CycleError("Choose what kind of cycle this is", "kind")
    for field_name, message in cycle_date_problems(period_start, period_end, due_date):
        raise CycleError(message, field_name)
    if not templates:
        raise CycleError("Choose at least one template", "templates")
    if not 0 <= moderation_share <= 100:
        raise CycleError("Enter a share between 0 and 100", "moderation_share")
    creating = cycle is None
    if cycle is None:
        cycle = AuditCycle(created_by_id=getattr(actor, "id", None))
        db.session.add(cycle)
        before: dict[str, Any] = {}
    else:
        before = _snapshot(cycle)
    old_due = cycle.due_date
    cycle.name, cycle.kind, cycle.description = name, kind, (description or "").strip()
    cycle.period_start, cycle.period_end, cycle.due_date = period_start, period_end, due_date
    cycle.templates = list(templates)
    cycle.theme_focus = theme_focus or None
    cycle.moderation_share = moderation_share
    db.session.flush()
    after = _snapshot(cycle)
    moved = [] if creating or old_due == due_date else _move_due_dates(cycle, old_due, actor)
    if creating:
        changelog.record(actor, "cycle", cycle.id, "created", after)
    elif changes := changelog.diff(before, after):
        if moved:
            changes["audits_due_moved"] = moved
        changelog.record(actor, "cycle", cycle.id, "updated", changes)
    if commit:
        db.session.commit()
    return SavedCycle(cycle, moved)


def _move_due_dates(cycle: AuditCycle, old_due: date | None, actor: User | None) -> list[int]:
    """Give the cycle's new due date to its open (not started or in progress) audits that
    had the old one, copied when they were created; an audit given a date of its own, or
    already submitted, keeps its date. One change-log entry per audit moved."""
    stmt = select(Audit).where(
        Audit.cycle_id == cycle.id,
        Audit.status.in_(OPEN),
        Audit.due_date.is_(None) if old_due is None else Audit.due_date == old_due,
    )
    moved = []
    for audit in db.session.scalars(stmt.order_by(Audit.id)):
        audit.due_date = cycle.due_date
        moved.append(audit.id)
        dates = [d.isoformat() if d else None for d in (old_due, cycle.due_date)]
        changelog.record(
            actor, "audit", audit.id, "due_date_moved", {"fields": {"due_date": dates}}
        )
    return moved


def add_case(
    cycle: AuditCycle,
    *,
    case_reference: str,
    team: Team,
    worker: str | None,
    template: AuditTemplate,
    actor: User | None,
) -> Audit:
    """Put one case on the cycle's list, by hand, with a (not yet assigned) audit; commits.
    An existing case with the reference is reused and its team and worker brought up to date."""
    if problem := reference_problem(case_reference.strip()):
        raise CycleError(problem, "case_reference")
    if template not in cycle.templates:
        raise CycleError("Choose one of this cycle's templates", "template")
    reference = case_reference.strip()
    worker = (worker or "").strip() or None
    case = find_case(reference)
    if case is None:
        case = create_case(reference, team, worker, actor=actor)
    else:
        if has_audit_in_cycle(cycle, case, template):
            raise CycleError(
                f"Case {reference} already has a {template.name} audit in this cycle",
                "case_reference",
            )
        before = {"team": case.team.name if case.team else None, "worker": case.worker}
        case.team, case.worker = team, worker
        if changes := changelog.diff(before, {"team": team.name, "worker": worker}):
            changelog.record(actor, "case", case.id, "updated", changes)
    on_list = db.session.scalar(
        select(CycleCase.id).where(CycleCase.cycle_id == cycle.id, CycleCase.case_id == case.id)
    )
    if on_list is None:
        db.session.add(CycleCase(cycle_id=cycle.id, case_id=case.id))
    audit = create_audit(
        case=case, template_version=template.versions[-1], cycle=cycle, actor=actor
    )
    changelog.record(actor, "cycle", cycle.id, "case_added", {"case": reference, "audit": audit.id})
    db.session.commit()
    return audit


def list_cycles_for_reports() -> list[AuditCycle]:
    """Every cycle, newest period first, for choosing what a report covers."""
    return list(
        db.session.scalars(
            select(AuditCycle).order_by(AuditCycle.period_start.desc(), AuditCycle.id.desc())
        )
    )
