"""Every file the service offers for download, with hostile text in every free-text field that
reaches it (tests/documents/hostile.py): formula payloads first, characters XML cannot carry
spliced in (a lone surrogate where a JSON column can hold one).

For each download: it answers 200; in an XLSX no cell is a formula and every text that a
spreadsheet would read as one is a string cell with the quote prefix; in a CSV every such
field starts with a quote; numbers are still numbers; a Word file and a PDF open and hold each
field's text without the bad characters. The downloads, found from the routes (send a file or a
Response with a file's mimetype): /cycles/<id>/export.xlsx and .csv; /reports/<id>/report.xlsx,
.pdf and .docx; /reports/board/<id>/report.pdf and .docx; /practice-weeks/<id>/report.pdf and
.docx; /improvement/plans/<id>/plan.xlsx, .pdf and .docx; /indicators/scorecard.xlsx.
(tests/documents/test_hostile_pages.py does the same for the JSON API and the HTML pages.)"""

import pytest

from qa_app.models import Role
from tests.documents.hostile import (
    Hostile,
    csv_problems,
    csv_rows,
    pdf_text,
    word_text,
    xlsx_cells,
    xlsx_problems,
    xlsx_text,
)
from tests.documents.hostile_worlds import board_world as make_board_world
from tests.documents.hostile_worlds import (
    cycle_world,
    hostile_organisation,
    plan_world,
    scorecard_world,
    week_world,
)
from tests.helpers import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENTS = [
    pytest.param("pdf", "application/pdf", pdf_text, id="pdf"),
    pytest.param("docx", DOCX, word_text, id="word"),
]


def download(client, url: str, mimetype: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == mimetype, url
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def fields(h: Hostile, *prefixes: str) -> list[str]:
    return [f for f in h.planted if f.startswith(prefixes)]


@pytest.fixture
def h() -> Hostile:
    return Hostile()


# ---- the cycle: its audits export and its report ----------------------------------------------


@pytest.fixture
def cycle(h, loaded_templates, make_user):
    hostile_organisation(h)
    return cycle_world(h, make_user)


AUDIT_FIELDS = (
    "team",
    "case reference",
    "worker",
    "auditor name",
    "evidence",
    "overall rationale",
    "answer",
    "action",
)


def test_the_cycle_export_as_xlsx_writes_every_hostile_text_as_text(cycle, h, client_as):
    data = download(client_as(Role.QA_LEAD), f"/cycles/{cycle['cycle'].id}/export.xlsx", XLSX)
    assert xlsx_problems(data) == []
    assert h.missing(xlsx_text(data), fields(h, *AUDIT_FIELDS)) == []
    cells = xlsx_cells(data)
    assert cells["Audits!A1"].value == "Audit ID"
    audit_ids = [c for where, c in cells.items() if where.startswith("Audits!A") and c.row > 1]
    assert audit_ids and all(isinstance(c.value, int) for c in audit_ids)
    assert all(c.data_type == "n" for c in audit_ids)
    assert cells["Audits!F2"].value == 1 and cells["Audits!F2"].data_type == "n"  # the version
    submitted = cells["Audits!J2"]
    assert submitted.is_date and submitted.data_type == "d"


def test_the_cycle_export_as_csv_puts_a_quote_before_every_formula(cycle, h, client_as):
    data = download(client_as(Role.QA_LEAD), f"/cycles/{cycle['cycle'].id}/export.csv", "text/csv")
    assert csv_problems(data) == []
    rows = csv_rows(data)
    text = " ".join(" ".join(r) for r in rows)
    audit_fields = ("team", "case reference", "worker", "auditor", "evidence", "overall")
    assert h.missing(text, fields(h, *audit_fields)) == []
    worker = next(field for row in rows for field in row if h.safe("worker") in field)
    assert worker.startswith("'") and worker[1:].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert all(row[0].isdigit() for row in rows[1:])  # audit ids written as numbers


REPORT_FIELDS = ("cycle report", "council name")


def test_the_cycle_report_as_xlsx_writes_the_narrative_and_figures_safely(cycle, h, client_as):
    report = cycle["report"]
    data = download(client_as(Role.QA_LEAD), f"/reports/{report.id}/report.xlsx", XLSX)
    assert xlsx_problems(data) == []
    expected = fields(h, "cycle report", "team", "case reference 1", "action")
    assert h.missing(xlsx_text(data), expected) == []
    cells = xlsx_cells(data)
    # the "All templates" row of "Audits by status": 6 completed, as a number
    completed = [c for w, c in cells.items() if w.startswith("Audits by status!F") and c.row > 1]
    assert completed[-1].value == 6 and completed[-1].data_type == "n"
    shares = [c for w, c in cells.items() if w.startswith("Grades!F") and c.row > 1]
    assert any(isinstance(c.value, float) and c.number_format == "0%" for c in shares)


@pytest.mark.parametrize(
    "suffix, mimetype, read", [("pdf", "application/pdf", pdf_text), ("docx", DOCX, word_text)]
)
def test_the_cycle_report_as_pdf_and_word_holds_the_narrative_without_bad_characters(
    cycle, h, client_as, suffix, mimetype, read
):
    report = cycle["report"]
    data = download(client_as(Role.QA_LEAD), f"/reports/{report.id}/report.{suffix}", mimetype)
    text = read(data)
    expected = fields(h, *REPORT_FIELDS, "team", "case reference 1", "action description")
    assert h.missing(text, expected) == []
    assert "\ufffe" not in text and "\ud800" not in text


# ---- the board report -------------------------------------------------------------------------


@pytest.fixture
def board(h, loaded_templates, make_user):
    hostile_organisation(h)
    return make_board_world(h, make_user)


@pytest.mark.parametrize(
    "suffix, mimetype, read", [("pdf", "application/pdf", pdf_text), ("docx", DOCX, word_text)]
)
def test_the_board_report_downloads_hold_the_narrative_without_bad_characters(
    board, h, client_as, suffix, mimetype, read
):
    data = download(client_as(Role.QA_LEAD), f"/reports/board/{board.id}/report.{suffix}", mimetype)
    text = read(data)
    shown = [f for f in fields(h, "board", "council name") if f != "board action 3"]
    assert h.missing(text, shown) == []  # (action 3 was completed before the period)


# ---- the practice week's report ---------------------------------------------------------------


@pytest.fixture
def week(h, loaded_templates, make_user):
    hostile_organisation(h)
    return week_world(h, make_user)


@pytest.mark.parametrize(
    "suffix, mimetype, read", [("pdf", "application/pdf", pdf_text), ("docx", DOCX, word_text)]
)
def test_the_practice_week_report_holds_every_hostile_text(week, h, app, suffix, mimetype, read):
    lead = app.test_client()
    assert sign_in(lead, week.lead.username).status_code == 302
    data = download(lead, f"/practice-weeks/{week.id}/report.{suffix}", mimetype)
    text = read(data)
    expected = fields(
        h, "week", "focus area", "headlines", "observation", "conversation", "quick win", "council"
    )
    assert h.missing(text, expected) == []


# ---- the improvement plan ---------------------------------------------------------------------


@pytest.fixture
def plan(h, loaded_templates, make_user):
    hostile_organisation(h)
    return plan_world(h, make_user)


PLAN_FIELDS = ("plan", "priority", "action", "progress")


def test_the_improvement_plan_as_xlsx_writes_every_hostile_text_as_text(plan, h, client_as):
    data = download(client_as(Role.AUDITOR), f"/improvement/plans/{plan.id}/plan.xlsx", XLSX)
    assert xlsx_problems(data) == []
    in_sheets = fields(h, "priority", "action", "progress")
    assert h.missing(xlsx_text(data), in_sheets) == []
    cells = xlsx_cells(data)
    assert cells["Actions!B1"].value == "Action number"
    assert cells["Actions!B2"].value == 1 and cells["Actions!B2"].data_type == "n"
    assert cells["Actions!E2"].is_date  # the due date is a date


@pytest.mark.parametrize(
    "suffix, mimetype, read", [("pdf", "application/pdf", pdf_text), ("docx", DOCX, word_text)]
)
def test_the_improvement_plan_as_pdf_and_word_holds_every_hostile_text(
    plan, h, client_as, suffix, mimetype, read
):
    url = f"/improvement/plans/{plan.id}/plan.{suffix}"
    text = read(download(client_as(Role.AUDITOR), url, mimetype))
    expected = fields(h, "plan title", "priority", "action description", "action owner", "progress")
    assert h.missing(text, expected) == []


# ---- the scorecard ----------------------------------------------------------------------------


def test_the_scorecard_writes_every_hostile_text_as_text_and_values_as_numbers(
    h, client_as, loaded_templates
):
    scorecard_world(h)
    data = download(client_as(Role.BOARD_VIEWER), "/indicators/scorecard.xlsx?month=2026-04", XLSX)
    assert xlsx_problems(data) == []
    assert h.missing(xlsx_text(data), list(h.planted)) == []
    cells = xlsx_cells(data)
    april = next(  # the column headed by the month, a date
        c.column_letter
        for w, c in cells.items()
        if w.startswith("Scorecard!") and c.row == 4 and c.is_date and c.value.month == 4
    )
    values = [c for w, c in cells.items() if w.startswith(f"Scorecard!{april}") and c.row > 4]
    assert sorted(c.value for c in values) == [26, 1258]
    assert all(c.data_type == "n" for c in values)
