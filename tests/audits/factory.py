"""Making cases and audits for tests."""

from sqlalchemy import select

from qa_app.data.audits import create_audit
from qa_app.extensions import db
from qa_app.models import AuditTemplate, Case, TemplateVersion


def latest_version(key: str) -> TemplateVersion:
    return db.session.scalars(
        select(TemplateVersion)
        .join(AuditTemplate)
        .where(AuditTemplate.key == key)
        .order_by(TemplateVersion.number.desc())
    ).first()


def make_audit(
    template_key: str,
    *,
    auditor=None,
    team=None,
    reference: str = "12345678",
    cycle=None,
    due_date=None,
):
    case = db.session.scalar(select(Case).where(Case.case_reference == reference))
    if case is None:
        case = Case(case_reference=reference, team=team, worker="Social worker 7")
        db.session.add(case)
        db.session.flush()
    audit = create_audit(
        case=case,
        template_version=latest_version(template_key),
        cycle=cycle,
        auditor=auditor,
        due_date=due_date,
    )
    db.session.commit()
    return audit
