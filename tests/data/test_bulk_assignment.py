"""Bulk assignment in the data layer (qa_app/data/bulk_assignment.py): a plan is only stored
when it is the plan previewed; what it stores is one batch entry plus one entry per audit."""

import pytest
from sqlalchemy import select

from qa_app.data import bulk_assignment
from qa_app.data.bulk_assignment import StalePlan
from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, ChangeLogEntry, Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle, make_team


@pytest.fixture
def held(make_user, loaded_templates):
    team = make_team("MASH")
    away = make_user(Role.AUDITOR, username="away")
    cover = make_user(Role.AUDITOR, username="cover", teams=[team])
    cycle = make_cycle()
    audits = [
        make_audit(
            "cin_plan",
            auditor=away,
            team=team if n == 0 else None,
            cycle=cycle,
            reference=f"810000{n}",
        )
        for n in range(3)
    ]
    return away, cover, audits


def test_a_plan_is_stored_only_as_previewed(held):
    away, cover, audits = held
    shown = bulk_assignment.plan_reassign(bulk_assignment.open_audits_of(away.id), [cover])
    assert [m.row.case_reference for m in shown.moves] == ["8100001", "8100002"]
    assert [(r.case_reference, why) for r, why in shown.left] == [("8100000", "own_team")]
    audits[1].status = AuditStatus.SUBMITTED  # submitted between the preview and the confirm
    db.session.commit()
    now = bulk_assignment.plan_reassign(bulk_assignment.open_audits_of(away.id), [cover])
    with pytest.raises(StalePlan, match="changed after the preview"):
        bulk_assignment.confirm(now, shown.fingerprint, actor=None)
    assert (
        db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "assignment_batch")
        ).all()
        == []
    )
    batch_id = bulk_assignment.confirm(now, now.fingerprint, actor=None)
    db.session.refresh(audits[1])
    db.session.refresh(audits[2])
    assert audits[1].auditor_id == away.id  # submitted: never moved
    assert audits[2].auditor_id == cover.id
    batch = bulk_assignment.get_batch(batch_id)
    assert batch.action == "bulk_reassigned"
    assert batch.changes["items"] == [
        {
            "audit": audits[2].id,
            "case": "8100002",
            "cycle": audits[2].cycle_id,
            "from": "away",
            "to": "cover",
        }
    ]


def test_an_empty_plan_is_never_stored(held):
    away, _, _ = held
    plan = bulk_assignment.plan_unassign([])
    with pytest.raises(StalePlan, match="nothing left to change"):
        bulk_assignment.confirm(plan, plan.fingerprint, actor=None)


def test_unassigning_leaves_started_and_submitted_audits_and_says_why(held):
    away, _, audits = held
    audits[0].status = AuditStatus.IN_PROGRESS
    db.session.commit()
    plan = bulk_assignment.plan_unassign(bulk_assignment.open_audits_of(away.id))
    assert [m.row.audit_id for m in plan.moves] == [audits[1].id, audits[2].id]
    assert [why for _, why in plan.left] == ["not_started_only"]
    assert plan.before == {away.id: 3} and plan.after == {away.id: 1}
    bulk_assignment.confirm(plan, plan.fingerprint, actor=None)
    left = db.session.scalars(select(Audit.auditor_id).order_by(Audit.id)).all()
    assert left == [away.id, None, None]
