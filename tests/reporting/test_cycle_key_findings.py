"""The cycle report over the re-entered November 2013 review (tests/documents/review_data.py):
its drafted key findings are strengths, concerns and areas for development led by the question
findings, its per-template sentences state them, and every renderer of key findings (the page,
the edit form, the PDF and the spreadsheet) carries the concerns."""

import html
import io
import re

import openpyxl
import pytest

from qa_app.findings import Filters
from qa_app.models import Role
from qa_app.services import report_drafting
from qa_app.services.report_documents import pdf_bytes, xlsx_bytes
from tests.documents import review_data
from tests.documents.test_board_outputs import pdf_text

CONCERN = "4 of the 12 assessments had no evidence of agency checks."


@pytest.fixture
def review(loaded_templates, make_user):
    return review_data.build(make_user(Role.SENIOR_MANAGER, username="sm.cycle"))


def test_the_cycle_report_states_the_findings_and_renders_its_concerns(client_as, review):
    lead = client_as(Role.QA_LEAD)
    report = report_drafting.draft(
        cycle=None,
        filters=Filters(date_from=review_data.FROM, date_to=review_data.TO),
        audience="internal",
        actor=lead.user,
    )
    found = report.key_findings
    assert set(found) == {"strengths", "concerns", "development"}
    assert CONCERN in found["concerns"]
    assert "No GP report was received for any of the 9 conferences." in found["concerns"]
    assert "All 12 assessments saw every child in the household." in found["strengths"]
    sections = {s["key"]: s["text"] for s in report.sections}
    assert CONCERN in sections["template:single_assessment"]
    assert (
        "No GP report was received for any of the 9 conferences."
        in sections["template:icpc_reports"]
    )
    page = re.sub(r"\s+", " ", html.unescape(lead.get(f"/reports/{report.id}").get_data(True)))
    assert "Concerns" in page and CONCERN in page
    edit = html.unescape(lead.get(f"/reports/{report.id}/edit").get_data(as_text=True))
    assert "Key findings: concerns" in edit and CONCERN in edit
    assert CONCERN in pdf_text(pdf_bytes(report))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))
    rows = [tuple(r) for r in book["Report"].iter_rows(values_only=True)]
    assert ("Concern", CONCERN) in rows
