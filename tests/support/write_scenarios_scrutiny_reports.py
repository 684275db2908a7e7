"""Write scenarios for the scrutiny committee's performance pack (tests/data/test_write_paths.py):
drafting one through its form, and saving its text. Publishing and drafting again share the cycle
report's routes and scenarios."""

import re
from datetime import date

from qa_app.data.indicator_scorecard import add_months, first_of_month
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _last_month() -> date:
    return add_months(first_of_month(uk_today()), -1)


@scenario("reporting.new_scrutiny", "/reports/scrutiny/new")
def _new_scrutiny_pack(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, "/reports/scrutiny/new", {"month": _last_month().isoformat()})


@scenario("reporting.scrutiny_edit", "/reports/scrutiny/<int:scrutiny_report_id>/edit")
def _edit_scrutiny_pack(ctx: Ctx) -> Write:
    from qa_app.services import scrutiny_reports

    lead = ctx.client_as(Role.QA_LEAD)
    report = scrutiny_reports.draft(_last_month(), lead.user, uk_today())
    url = f"/reports/scrutiny/{report.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)
    data = {"lock_version": version, "section__0": "Referrals fell over the summer."}
    return form_post(lead, url, data)
