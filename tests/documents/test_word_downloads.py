"""The cycle report and the improvement plan as Word, read back with python-docx: the Word file
holds what the PDF holds (one builder writes both), carries the protective marking of its
audience in every page's header, and below the internal tier holds no case reference; it is
downloaded through the same pages, with the same access rules, as the PDF.

(The practice-week report's Word file is tested with its tiers in
tests/practice_weeks/test_report_tiers.py.)"""

import io
import re
from datetime import date

import pypdf
import pytest
from docx import Document
from docx.oxml.ns import qn

from qa_app.documents.docx_base import docx_text
from qa_app.extensions import db
from qa_app.findings import Filters
from qa_app.models import Role
from qa_app.rules.uk_time import uk_date, uk_today
from qa_app.services import report_drafting
from qa_app.services.improvement_exports import plan_docx_bytes, plan_pdf_bytes
from qa_app.services.report_documents import docx_bytes, pdf_bytes
from tests.cycles.cycle_factory import make_cycle
from tests.documents.test_improvement_exports import (  # noqa: F401
    DESCRIPTION,
    NOTE,
    SENTENCE,
    TODAY,
    plan,
    progress_day,
)
from tests.findings import known_data

CASE = re.compile(r"5000000\d")


def _pdf(data: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages
    )


@pytest.fixture
def cycle_reports(loaded_templates, make_user):
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    lead = make_user(Role.QA_LEAD)
    data = known_data.build(auditor, moderator)
    cycle = make_cycle("Single assessments, Q1 2026")
    for audit in data["audits"]:
        audit.cycle_id = cycle.id
    db.session.commit()
    out = {}
    # a public report covers a period of whole months alone (qa_app.findings.disclosure)
    quarter = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    for audience in ("internal", "partnership", "public"):
        public = audience == "public"
        report = report_drafting.draft(
            cycle=None if public else cycle,
            filters=quarter if public else Filters(),
            audience=audience,
            actor=lead,
        )
        report_drafting.publish(report, based_on=report.lock_version, actor=lead)
        out[audience] = report
    return out


def _sentences(report) -> list[str]:
    """What the QA lead's text says: every paragraph of every section and each key finding."""
    lines = [p.strip() for s in report.sections for p in s["text"].split("\n") if p.strip()]
    return lines + [line for kind in report.key_findings.values() for line in kind]


@pytest.mark.parametrize("audience", ["internal", "partnership", "public"])
def test_the_cycle_report_in_word_holds_what_the_pdf_holds(cycle_reports, audience):
    report = cycle_reports[audience]
    data = docx_bytes(report)
    word, pdf = docx_text(data), _pdf(pdf_bytes(report))
    expected = [report.title, "Key findings", "Themes", "Moderation", *_sentences(report)]
    for text in expected:
        text = " ".join(text.split())
        assert text in word and text in pdf, text
    # the themes table reads the same: theme, strength, development, not seen, audits
    row = re.search(r"Voice of the child(?: (?:\d+|hidden)){4}", pdf)
    assert row and row.group(0) in word
    header = Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text
    if audience == "internal":
        assert header == "OFFICIAL-SENSITIVE"
        assert CASE.search(word) and CASE.search(pdf)  # the actions raised, by case
    else:
        assert header == "OFFICIAL" and "OFFICIAL-SENSITIVE" not in word
        assert not CASE.search(word)
        assert "Test auditor.one" not in word  # nothing per auditor


def test_the_cycle_report_downloads_as_word_with_the_pdf_s_access_rules(cycle_reports, client_as):
    lead, board = client_as(Role.QA_LEAD), client_as(Role.BOARD_VIEWER)
    internal, partnership = cycle_reports["internal"], cycle_reports["partnership"]
    response = lead.get(f"/reports/{internal.id}/report.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    name = f"report-{internal.id}-v{internal.number}.docx"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    page = lead.get(f"/reports/{internal.id}").get_data(as_text=True)
    assert f'href="/reports/{internal.id}/report.docx"' in page
    assert board.get(f"/reports/{internal.id}/report.docx").status_code == 403
    response = board.get(f"/reports/{partnership.id}/report.docx")
    assert response.status_code == 200
    assert not CASE.search(docx_text(response.data))
    assert lead.get("/reports/987654/report.docx").status_code == 404


def test_the_improvement_plan_in_word_holds_what_the_pdf_holds(plan):  # noqa: F811
    data = plan_docx_bytes(plan, TODAY)
    word, pdf = docx_text(data), _pdf(plan_pdf_bytes(plan, TODAY))
    for text in (
        plan.title,
        "Table 1: actions by status",
        "At risk 1",
        "Not started 1",
        "Priority 1: Quality of assessments",
        DESCRIPTION,
        "Senior Manager A",
        "Themes: Voice of the child",
        f"Latest progress ({uk_date(progress_day())}): {NOTE}",
        SENTENCE,
        "Overdue",
        "No owner",
    ):
        assert text in word and text in pdf, text
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    fills = {el.get(qn("w:fill")) for el in document.element.body.iter(qn("w:shd"))}
    assert {"fff7bf", "eeefef"} <= {f.lower() for f in fills}  # amber and grey status cells
    assert "<b>" not in word and "&amp;" not in word  # the PDF's markup became Word runs


def test_staff_who_read_the_plan_download_it_as_word(plan, client_as):  # noqa: F811
    auditor = client_as(Role.AUDITOR)
    response = auditor.get(f"/improvement/plans/{plan.id}/plan.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="improvement-plan-{plan.id}-{uk_today()}.docx"'
    assert SENTENCE in docx_text(response.data)
    page = auditor.get(f"/improvement/plans/{plan.id}").get_data(as_text=True)
    assert f'href="/improvement/plans/{plan.id}/plan.docx"' in page
    assert auditor.get("/improvement/plans/987654/plan.docx").status_code == 404
    for role in (Role.BOARD_VIEWER, Role.ADMIN):
        assert client_as(role).get(f"/improvement/plans/{plan.id}/plan.docx").status_code == 403
