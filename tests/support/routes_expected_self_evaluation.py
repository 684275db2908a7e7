"""Who may open the self-evaluation's pages. The sample is a draft drafted by another QA lead:
drafts are the QA leads' alone; a published version is read by the internal readers of
findings and never by a board viewer (tests/reporting/test_self_evaluation_pages.py)."""

from qa_app.models import Role
from tests.support.route_walk import QA_LEAD

EXPECTED = {
    "reporting.new_self_evaluation": QA_LEAD,
    "reporting.self_evaluation_page": QA_LEAD,
    "reporting.self_evaluation_edit": QA_LEAD,
    "reporting.self_evaluation_pdf": QA_LEAD,
    "reporting.self_evaluation_docx": QA_LEAD,
}


def sample_values(values) -> dict:
    from datetime import date

    from qa_app.data.users import create_user
    from qa_app.services import self_evaluation

    lead = create_user(
        "self.evaluation.lead", "Evaluation Lead", "correct-horse-battery", [Role.QA_LEAD]
    )
    report = self_evaluation.draft(date(2025, 4, 1), date(2026, 3, 31), lead, date(2026, 4, 20))
    return {"self_evaluation_id": report.id}
