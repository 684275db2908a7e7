"""Who may open the moderation pages. The sample audit is submitted and in the moderation
queue, audited by another person."""

from tests.route_walk import MODERATORS

EXPECTED = {
    "moderation.queue": MODERATORS,
    "moderation.start": MODERATORS,
    "moderation.request_moderation": MODERATORS,
    "moderation.moderate": MODERATORS,
}


def sample_values(values: dict) -> dict:
    from qa_app.extensions import db
    from qa_app.models import Moderation

    db.session.add(Moderation(audit_id=values["audit_id"], reason="sample", status="pending"))
    db.session.commit()
    return {}
