"""Assigning a cycle's audits to auditors one by one, never own-team unless the QA lead
overrides it knowingly (in bulk: qa_app/data/bulk_assignment.py)."""

from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog, notification_events
from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, Case, User, UserRole
from qa_app.rules.permissions import PERMISSIONS

OPEN = (AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS)


class AssignmentError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def list_auditors() -> list[User]:
    """Active people who may do audits, by name."""
    roles = [r.value for r in PERMISSIONS["do_audits"]]
    has_role = select(UserRole.user_id).where(UserRole.role.in_(roles))
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.id.in_(has_role))
            .order_by(User.display_name, User.id)
        )
    )


def open_counts() -> dict[int, int]:
    """Open (not started or in progress) audits per auditor, across every cycle."""
    rows = db.session.execute(
        select(Audit.auditor_id, func.count())
        .where(Audit.auditor_id.is_not(None), Audit.status.in_(OPEN))
        .group_by(Audit.auditor_id)
    )
    return cast(dict[int, int], dict(rows.all()))  # the WHERE leaves out audits with no auditor


def is_own_team(auditor: User, case: Case) -> bool:
    return case.team_id is not None and case.team_id in {t.id for t in auditor.teams}


def get_cycle_audit(cycle_id: int, audit_id: int) -> Audit | None:
    return db.session.scalar(
        select(Audit)
        .where(Audit.id == audit_id, Audit.cycle_id == cycle_id)
        .options(selectinload(Audit.case).selectinload(Case.team), selectinload(Audit.auditor))
    )


def _record(
    audit: Audit, old: User | None, new: User, override: bool, actor: User | None, how: str
) -> None:
    changelog.record(
        actor,
        "audit",
        audit.id,
        "assigned",
        {
            "auditor": [old.username if old else None, new.username],
            "own_team_override": override,
            "how": how,
        },
    )


def assign(audit: Audit, auditor: User, *, override: bool, actor: User | None) -> None:
    """Assign one audit. An auditor in the case's team is refused unless `override`; the
    override is stored on the audit (only when it was needed). Commits."""
    if audit.status not in OPEN:
        raise AssignmentError("A submitted audit cannot be given to another auditor", "auditor")
    if not auditor.active:
        raise AssignmentError(f"{auditor.display_name}'s account is disabled", "auditor")
    own_team = is_own_team(auditor, audit.case)
    if own_team and not override:
        assert audit.case.team is not None  # an own-team case has a team
        raise AssignmentError(
            f"{auditor.display_name} is in the case's team ({audit.case.team.name}). Choose "
            "another auditor, or tick the box to assign an own-team audit knowingly",
            "auditor",
        )
    old = audit.auditor
    if old is not None and old.id == auditor.id and audit.own_team_override == own_team:
        return
    audit.auditor = auditor
    audit.own_team_override = own_team
    _record(audit, old, auditor, own_team, actor, "one by one")
    notification_events.audits_assigned(
        [audit], actor=actor, cycle_name=audit.cycle.name if audit.cycle else None
    )
    db.session.commit()
