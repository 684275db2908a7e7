"""The demo follow-up: a synthetic month followed up after six months, with children who could
not be followed up (closed, no longer listed) and completed re-audits whose impact answers
moved, so the Difference made for the child page shows real movement."""

from sqlalchemy import select

from qa_app.demo import seed as demo
from qa_app.extensions import db
from qa_app.findings.audiences import Audience
from qa_app.models import AuditCycle, ChangeLogEntry, CycleKind
from qa_app.rules.uk_time import uk_today
from qa_app.services.follow_up_difference import difference


def test_the_demo_follow_up_shows_movement(loaded_templates):
    assert demo.seed(only_if_empty=True, history=True)
    made = db.session.scalar(select(AuditCycle).where(AuditCycle.kind == CycleKind.FOLLOW_UP))
    assert made is not None and made.months_after == 6
    assert made.period_start == uk_today().replace(day=1)
    logged = db.session.scalar(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "follow_up_created")
    )
    reasons = [reason for _, reason in logged.changes["not_followed"]]
    assert any(r.startswith("the case closed on") for r in reasons)
    assert sum(r.startswith("it is not on any case list") for r in reasons) == 2
    comparison = difference(made, Audience.INTERNAL)
    assert comparison.children_compared and comparison.children_compared >= 3
    moved = [s.moved for s in comparison.questions]
    assert sum(m["better"] for m in moved) > 0
    assert all(row.case_reference.startswith("9") for row in comparison.children)
