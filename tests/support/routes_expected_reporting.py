"""Who may open the report pages. The sample reports (a cycle report, a report to the
safeguarding board and a scrutiny pack) are drafts drafted by another QA lead: drafts are the
QA leads' alone; published versions are covered in tests/reporting."""

from qa_app.models import Role
from tests.support.route_walk import QA_LEAD

FINDINGS_READERS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER})

EXPECTED = {
    "reporting.index": FINDINGS_READERS,
    "reporting.new": QA_LEAD,
    "reporting.show": QA_LEAD,
    "reporting.edit": QA_LEAD,
    "reporting.publish": QA_LEAD,
    "reporting.redraft": QA_LEAD,
    "reporting.download_pdf": QA_LEAD,
    "reporting.download_docx": QA_LEAD,
    "reporting.download_xlsx": QA_LEAD,
    "reporting.new_board": QA_LEAD,
    "reporting.board": QA_LEAD,
    "reporting.board_edit": QA_LEAD,
    "reporting.board_pdf": QA_LEAD,
    "reporting.board_docx": QA_LEAD,
    "reporting.new_scrutiny": QA_LEAD,
    "reporting.scrutiny": QA_LEAD,
    "reporting.scrutiny_edit": QA_LEAD,
    "reporting.scrutiny_pdf": QA_LEAD,
    "reporting.scrutiny_docx": QA_LEAD,
    "reporting.scrutiny_pptx": QA_LEAD,
}


def sample_values(values) -> dict:
    from datetime import date

    from qa_app.data.users import create_user
    from qa_app.findings import Filters
    from qa_app.services import board_reports, report_drafting, scrutiny_reports

    lead = create_user("report.lead", "Report Lead", "correct-horse-battery", [Role.QA_LEAD])
    report = report_drafting.draft(
        cycle=None,
        filters=Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)),
        audience="internal",
        actor=lead,
    )
    board = board_reports.draft(
        agency="Children's Services",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
        actor=lead,
        today=date(2026, 4, 20),
    )
    pack = scrutiny_reports.draft(date(2026, 3, 1), lead, date(2026, 4, 20))
    return {"report_id": report.id, "board_report_id": board.id, "scrutiny_report_id": pack.id}
