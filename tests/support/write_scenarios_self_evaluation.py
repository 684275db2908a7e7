"""Write scenarios for the annual self-evaluation (tests/data/test_write_paths.py): drafting one
through its form, and saving its text. Publishing and drafting again share the cycle report's
routes and scenarios."""

import re

from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from qa_app.services.self_evaluation import default_period
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _period_fields() -> dict[str, list[str]]:
    start, end = default_period(uk_today())
    return {
        "period_start": [str(start.day), str(start.month), str(start.year)],
        "period_end": [str(end.day), str(end.month), str(end.year)],
    }


@scenario("reporting.new_self_evaluation", "/reports/self-evaluation/new")
def _new_self_evaluation(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, "/reports/self-evaluation/new", _period_fields())


@scenario(
    "reporting.self_evaluation_edit", "/reports/self-evaluation/<int:self_evaluation_id>/edit"
)
def _edit_self_evaluation(ctx: Ctx) -> Write:
    from qa_app.services import self_evaluation

    lead = ctx.client_as(Role.QA_LEAD)
    start, end = default_period(uk_today())
    report = self_evaluation.draft(start, end, lead.user, uk_today())
    url = f"/reports/self-evaluation/{report.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)
    data = {"lock_version": version, "section__0": "Most assessments are good or better."}
    return form_post(lead, url, data)
