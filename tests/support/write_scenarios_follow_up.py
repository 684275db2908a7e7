"""One valid write through the follow-up route (previewed, then created with the second
button), for tests/data/test_write_paths.py: the cycle, its sample and audits recorded in the
change log naming the QA lead."""

from qa_app.data.cycles import add_case
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import AuditStatus, Role
from tests.data.follow_up_factory import make_original
from tests.support.write_scenarios import Ctx, Write, form_post, scenario, team


@scenario("cycles.new_follow_up", "/cycles/<int:cycle_id>/follow-up")
def _follow_up(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    original = make_original()
    audit = add_case(
        original,
        case_reference="1000071",
        team=team(),
        worker=None,
        template=get_template("cin_plan"),
        actor=None,
    )
    audit.status = AuditStatus.SUBMITTED
    db.session.commit()
    url = f"/cycles/{original.id}/follow-up"
    return form_post(lead, url, {"months": "6", "name": "", "expected": "1", "confirm": "y"})
