"""Routes for working on many audits at once (qa_app/cycles/assign_routes.py and
reassign_routes.py): the QA lead's only. The batch sample is made in sample_values."""

from tests.support.route_walk import QA_LEAD

EXPECTED = {
    "cycles.batch": QA_LEAD,
    "cycles.auditors": QA_LEAD,
    "cycles.auditor_audits": QA_LEAD,
}


def sample_values(values) -> dict:
    """A batch: the route-walk cycle's unassigned audits given to the other person."""
    from qa_app.data import bulk_assignment
    from qa_app.extensions import db
    from qa_app.models import ChangeLogEntry

    entry = ChangeLogEntry(
        user_id=None,
        entity_type=bulk_assignment.BATCH,
        entity_id="0",
        action="bulk_assigned",
        changes={"how": "all", "items": []},
    )
    db.session.add(entry)
    db.session.commit()
    return {"batch_id": entry.id}
