"""Who may open a practice week's findings pages. The sample week's findings are a draft: its
report (page, PDF, Word) is read only by the people running the week (QA leads, senior
managers); once published to the partnership, board viewers and moderators read its
partnership tier too (tests/practice_weeks/test_report_tiers.py).

The sample values give `week_id` (this week) and `quick_win_id` (a quick win OF this week: the
quick-win routes answer 404 for a quick win of another week)."""

from qa_app.models import Role
from tests.support.route_walk import QA_LEAD

RUNNING_THE_WEEK = frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER})

EXPECTED = {
    "practice_week_findings.findings": QA_LEAD,
    "practice_week_findings.draft": QA_LEAD,
    "practice_week_findings.publish": QA_LEAD,
    "practice_week_findings.redraft": QA_LEAD,
    "practice_week_findings.new_quick_win": QA_LEAD,
    "practice_week_findings.edit_quick_win": QA_LEAD,
    "practice_week_findings.delete_quick_win": QA_LEAD,
    "practice_week_findings.quick_win_action": QA_LEAD,
    "practice_week_findings.report": RUNNING_THE_WEEK,
    "practice_week_findings.report_pdf": RUNNING_THE_WEEK,
    "practice_week_findings.report_docx": RUNNING_THE_WEEK,
}


def sample_values(values) -> dict:
    from datetime import date

    from tests.practice_weeks.findings_factory import add_quick_win, make_week

    week = make_week("Sample week for the route walk", date(2026, 10, 5))
    quick_win = add_quick_win(week, 1, "A sample quick win")
    return {"week_id": week.id, "quick_win_id": quick_win.id}
