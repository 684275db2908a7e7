"""Write scenarios for one auditor's audits at once (tests/data/test_write_paths.py): their
open audits reassigned, confirmed after the preview (which writes nothing)."""

import re

from qa_app.extensions import db
from qa_app.models import Audit, Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle
from tests.helpers import csrf_token
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


@scenario("cycles.auditor_audits", "/cycles/auditors/<int:user_id>")
def _reassign_everything(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    away, cover = ctx.make_user(Role.AUDITOR), ctx.make_user(Role.AUDITOR)
    cycle = make_cycle()
    make_audit("single_assessment", auditor=away, cycle=cycle, reference="3100001")
    ids = [
        str(a.id) for a in db.session.scalars(db.select(Audit).where(Audit.cycle_id == cycle.id))
    ]
    url = f"/cycles/auditors/{away.id}"
    data = {"audit_ids": ids, "auditor_ids": [str(cover.id)], "reassign": "y"}
    shown = lead.post(url, data={"csrf_token": csrf_token(lead, url), **data})
    plan = re.search(r'name="plan" value="([0-9a-f]+)"', shown.get_data(as_text=True))
    assert plan, "the preview offers no confirmation"
    return form_post(lead, url, {**data, "plan": plan.group(1)})
