"""Making an original cycle with completed audits and answers, for the follow-up tests."""

from datetime import UTC, date, datetime

from qa_app.data import cycles
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Answer, AuditStatus
from tests.audits.factory import make_audit

QUESTION = "progress_against_plan"  # cin_plan's impact question: significant, some, none, worse


def make_original(name: str = "CIN plans, Q1 2026", *, due: date | None = date(2026, 4, 14)):
    return cycles.save_cycle(
        name=name,
        kind="monthly",
        description="",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        due_date=due,
        templates=[get_template("cin_plan")],
        theme_focus=None,
        moderation_share=10,
        actor=None,
    )


def complete(audit, answer: str | None, *, when=datetime(2026, 3, 20, 10, tzinfo=UTC)):
    """Mark `audit` submitted, with `answer` to the impact question (None: unanswered)."""
    audit.status = AuditStatus.SUBMITTED
    audit.started_at = audit.submitted_at = when
    if answer is not None:
        db.session.add(Answer(audit_id=audit.id, question_key=QUESTION, value_text=answer))
    db.session.commit()
    return audit


def audited(cycle, reference: str, team, answer: str | None, *, done: bool = True):
    audit = make_audit("cin_plan", reference=reference, team=team, cycle=cycle)
    return complete(audit, answer) if done else audit
