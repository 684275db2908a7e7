"""Actions for the case raised in an audit, and practitioners' and managers' responses."""

from datetime import date

from sqlalchemy import select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import Audit, CaseAction, PractitionerResponse, User
from qa_app.templates_engine.answers import clean_text


def actions_for(audit: Audit) -> list[CaseAction]:
    return list(
        db.session.scalars(
            select(CaseAction).where(CaseAction.audit_id == audit.id).order_by(CaseAction.id)
        )
    )


def add_action(
    audit: Audit, description: str, owner: str, due_date: date | None, *, actor: User | None
) -> CaseAction:
    action = CaseAction(
        audit_id=audit.id,
        description=clean_text(description).strip(),
        owner=clean_text(owner).strip(),
        due_date=due_date,
    )
    db.session.add(action)
    db.session.flush()
    changelog.record(
        actor,
        "audit",
        audit.id,
        "action_added",
        {
            "action": action.id,
            "fields": {
                "action": [None, action.description],
                "owner": [None, action.owner],
                "due": [None, due_date.isoformat() if due_date else None],
            },
        },
    )
    db.session.commit()
    return action


def responses_for(audit: Audit) -> list[PractitionerResponse]:
    return list(
        db.session.scalars(
            select(PractitionerResponse)
            .where(PractitionerResponse.audit_id == audit.id)
            .order_by(PractitionerResponse.id)
        )
    )


def add_response(
    audit: Audit,
    *,
    respondent: str,
    agreement: str,
    reflection: str,
    next_steps: str,
    actor: User | None,
) -> PractitionerResponse:
    response = PractitionerResponse(
        audit_id=audit.id,
        respondent=respondent,
        agreement=agreement,
        reflection=clean_text(reflection or "").strip(),
        next_steps=clean_text(next_steps or "").strip(),
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(response)
    db.session.flush()
    changelog.record(
        actor,
        "audit",
        audit.id,
        "response_recorded",
        {
            "response": response.id,
            "fields": {"respondent": [None, respondent], "agreement": [None, agreement]},
        },
    )
    db.session.commit()
    return response
