"""The known audit data set (tests/findings/known_data.py) in one cycle, for the report
journeys."""

from qa_app.extensions import db
from qa_app.models import Role
from tests.cycles.cycle_factory import make_cycle
from tests.findings import known_data

CYCLE = "Single assessments, Q1 2026"


def cycle_with_known_audits(make_user):
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    data = known_data.build(auditor, moderator)
    cycle = make_cycle(CYCLE)
    for audit in data["audits"]:
        audit.cycle_id = cycle.id
    db.session.commit()
    return cycle, data["audits"]
