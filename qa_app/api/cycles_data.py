"""Thin reads and one write the API needs that qa_app.data does not offer as such: the cycles
and audits a caller may see, and starting an audit with its auditor and due date in one
transaction (POST /api/v1/audits). Built from qa_app.data's own rules and functions: the
case-reference rule, the own-team rule of assignment, create_audit and the change log."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog, notification_events
from qa_app.data.audit_access import visible_filter
from qa_app.data.audits import create_audit
from qa_app.data.cases import create_case, find_case, has_audit_in_cycle
from qa_app.data.cycles import CycleError
from qa_app.data.organisation import case_reference_problem
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    CycleCase,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.permissions import may

AUDIT_LOAD = (
    selectinload(Audit.case).selectinload(Case.team),
    selectinload(Audit.template_version).selectinload(TemplateVersion.template),
    selectinload(Audit.auditor),
)


def visible_cycle_ids(user) -> set[int] | None:
    """The cycles `user` may see (None: all of them): those of the audits they may see."""
    if may(user, "view_all_audits"):
        return None
    return set(
        db.session.scalars(
            select(Audit.cycle_id)
            .where(visible_filter(user), Audit.cycle_id.is_not(None))
            .distinct()
        )
    )


def list_audits(
    user,
    *,
    cycle_id: int | None = None,
    status: str | None = None,
    mine: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Audit], int]:
    """A page of the audits `user` may see, oldest first, and how many there are in all."""
    stmt = select(Audit).where(visible_filter(user))
    if cycle_id is not None:
        stmt = stmt.where(Audit.cycle_id == cycle_id)
    if status is not None:
        stmt = stmt.where(Audit.status == status)
    if mine:
        stmt = stmt.where(Audit.auditor_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = db.session.scalars(
        stmt.order_by(Audit.id).limit(limit).offset(offset).options(*AUDIT_LOAD)
    )
    return list(page), total


def start_audit(
    *,
    case_reference: str,
    template: AuditTemplate,
    cycle: AuditCycle | None,
    auditor: User | None,
    due_date: date | None,
    team: Team | None,
    worker: str | None,
    own_team_override: bool,
    actor,
) -> Audit:
    """Start an audit of a case (made if new; a new case needs its team), optionally in a
    cycle, assigned to an auditor, due on a date. Everything is checked first (CycleError
    naming the field); then one transaction writes it all, with change-log entries. Commits."""
    if problem := case_reference_problem(case_reference):
        raise CycleError(problem, "case_reference")
    if not template.active or not template.versions:
        raise CycleError(f"The template {template.key!r} is retired", "template")
    if template.kind != "case_audit":
        raise CycleError(f"The template {template.key!r} is not a case audit template", "template")
    if cycle is not None and template not in cycle.templates:
        raise CycleError("Choose one of this cycle's templates", "template")
    reference = case_reference.strip()
    case = find_case(reference)
    if case is None and team is None:
        raise CycleError("Give the team of a case that is new to the service", "team")
    if case is not None and cycle is not None and has_audit_in_cycle(cycle, case, template):
        raise CycleError(
            f"Case {reference} already has a {template.name} audit in this cycle",
            "case_reference",
        )
    own_team = False
    if auditor is not None:
        if not auditor.active:
            raise CycleError(f"{auditor.display_name}'s account is disabled", "auditor")
        if not may(auditor, "do_audits"):
            raise CycleError(f"{auditor.display_name} does not do audits", "auditor")
        # the own-team rule of qa_app.data.cycle_assignment, for the team the case will have
        case_team = team or (case.team if case else None)
        own_team = case_team is not None and case_team.id in {t.id for t in auditor.teams}
        if own_team and not own_team_override:
            raise CycleError(
                f"{auditor.display_name} is in the case's team ({case_team.name}). Choose "
                "another auditor, or set own_team_override to assign an own-team audit "
                "knowingly",
                "auditor",
            )
    worker = (worker or "").strip() or None
    if case is None:
        case = create_case(reference, team, worker, actor=actor)
    else:
        before = {"team": case.team.name if case.team else None, "worker": case.worker}
        after = {
            "team": team.name if team else before["team"],
            "worker": worker if worker is not None else before["worker"],
        }
        if changes := changelog.diff(before, after):
            case.team = team or case.team
            case.worker = after["worker"]
            changelog.record(actor, "case", case.id, "updated", changes)
    if cycle is not None:
        listed = db.session.scalar(
            select(CycleCase.id).where(CycleCase.cycle_id == cycle.id, CycleCase.case_id == case.id)
        )
        if listed is None:
            db.session.add(CycleCase(cycle_id=cycle.id, case_id=case.id))
    audit = create_audit(
        case=case,
        template_version=template.versions[-1],
        cycle=cycle,
        auditor=auditor,
        due_date=due_date,
        actor=actor,
        own_team_override=own_team,
    )
    if auditor is not None:
        changelog.record(
            actor,
            "audit",
            audit.id,
            "assigned",
            {"auditor": [None, auditor.username], "own_team_override": own_team, "how": "api"},
        )
        notification_events.audits_assigned(
            [audit], actor=actor, cycle_name=cycle.name if cycle else None
        )
    if cycle is not None:
        changelog.record(
            actor, "cycle", cycle.id, "case_added", {"case": reference, "audit": audit.id}
        )
    db.session.commit()
    return audit
