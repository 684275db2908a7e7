"""Who may open the follow-up cycle pages, and a follow-up cycle for their URL argument."""

from qa_app.models import Role
from tests.support.route_walk import ALL_AUDITS, API, QA_LEAD

FINDINGS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER})

EXPECTED = {
    "cycles.new_follow_up": QA_LEAD,
    "cycles.difference": FINDINGS,  # the aggregate; child by child for case-level roles only
    "cycles.difference_xlsx": ALL_AUDITS,  # case references: never board viewers
    "api.get_difference": API,
}


def sample_values(values) -> dict:
    """A cycle with one completed audit, and its follow-up (made by a QA lead of its own)."""
    from datetime import UTC, date, datetime

    from qa_app.data import cycles, follow_up
    from qa_app.data.templates import get_template
    from qa_app.data.users import create_user
    from qa_app.extensions import db
    from qa_app.models import AuditStatus

    lead = create_user("follow.lead", "Follow Lead", "correct-horse-battery", [Role.QA_LEAD])
    original = cycles.save_cycle(
        name="Route walk original",
        kind="monthly",
        description="",
        # later than any other area's cycle: no case list since it can leave its child out
        period_start=date(2099, 1, 1),
        period_end=date(2099, 1, 31),
        due_date=None,
        templates=[get_template("cin_plan")],
        theme_focus=None,
        moderation_share=10,
        actor=lead,
    )
    audit = cycles.add_case(
        original,
        case_reference="1000091",
        team=values["_team"],
        worker=None,
        template=get_template("cin_plan"),
        actor=lead,
    )
    audit.status, audit.submitted_at = AuditStatus.SUBMITTED, datetime(2099, 1, 20, tzinfo=UTC)
    db.session.commit()
    made, _ = follow_up.create_follow_up(original, 6, actor=lead)
    return {"follow_up_id": made.id}
