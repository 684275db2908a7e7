"""Write scenarios for the report to the safeguarding board (tests/data/test_write_paths.py):
drafting one through its form, and saving its text. Publishing and drafting again share the cycle
report's routes and scenarios."""

import re
from datetime import date

from qa_app.models import Role
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _board_report(ctx: Ctx):
    from qa_app.services import board_reports

    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    report = board_reports.draft(
        agency="Children's Services",
        date_from=date(2026, 4, 1),
        date_to=date(2026, 9, 30),
        actor=lead.user,
        today=date(2026, 10, 20),
    )
    return lead, report


@scenario("reporting.new_board", "/reports/board/new")
def _new_board_report(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    data = {
        "agency": "Children's Services",
        "period_start": ["1", "4", "2026"],
        "period_end": ["30", "9", "2026"],
    }
    return form_post(lead, "/reports/board/new", data)


@scenario("reporting.board_edit", "/reports/board/<int:board_report_id>/edit")
def _edit_board_report(ctx: Ctx) -> Write:
    lead, report = _board_report(ctx)
    url = f"/reports/board/{report.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)
    data = {"lock_version": version, "section__6": "Learning from the spring review."}
    return form_post(lead, url, data)
