"""Case records, known by the authority's reference only: finding one, creating one (with its
change-log entry), and whether a case already has an audit of a template in a cycle."""

from sqlalchemy import select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, AuditTemplate, Case, Team, TemplateVersion, User


def has_audit_in_cycle(cycle: AuditCycle, case: Case, template: AuditTemplate) -> bool:
    """Whether the case already has an audit of this template in the cycle."""
    return (
        db.session.scalar(
            select(Audit.id)
            .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
            .where(
                Audit.cycle_id == cycle.id,
                Audit.case_id == case.id,
                TemplateVersion.template_id == template.id,
            )
            .limit(1)
        )
        is not None
    )


def create_case(reference: str, team: Team, worker: str | None, *, actor: User | None) -> Case:
    """A new case, known by its reference only, with its change-log entry (caller commits)."""
    case = Case(case_reference=reference, team=team, worker=worker, facts={})
    db.session.add(case)
    db.session.flush()
    changelog.record(
        actor, "case", case.id, "created", {"case": reference, "team": team.name, "worker": worker}
    )
    return case


def find_case(reference: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.case_reference == reference.strip()))
