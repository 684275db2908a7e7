"""Who may open the moderation pages. The sample audit is in the moderation queue, audited by
another person.

OWNER: moderation is a second reader's review (PRODUCT.md), so nobody starts or records the
moderation of an audit they audited themselves, not a moderator, not a QA lead. Putting their
own audit in the queue, for someone else to moderate, is still a moderator's to do."""

from tests.support.route_walk import MODERATORS

EXPECTED = {
    "moderation.queue": MODERATORS,
    "moderation.start": MODERATORS,
    "moderation.request_moderation": MODERATORS,
    "moderation.moderate": MODERATORS,
}

OWNER = {
    "moderation.start": frozenset(),
    "moderation.moderate": frozenset(),
}


def sample_values(values: dict) -> dict:
    from qa_app.extensions import db
    from qa_app.models import Moderation

    db.session.add(Moderation(audit_id=values["audit_id"], reason="sample", status="pending"))
    db.session.commit()
    return {}
