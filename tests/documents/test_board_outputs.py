"""The board report's outputs over a known data set (tests/documents/board_data.py, counts worked
out by hand there): the PDF's and the Word document's extracted text state exactly the counts,
grade splits, ICPC shares, indicator changes and actions behind them; publishing freezes a
version; the command line writes both formats; and no case reference or case free text
reaches any output."""

import io
import re
from datetime import UTC, date, datetime

import docx
import pypdf
import pytest
from sqlalchemy import select

from qa_app.cli.board_report import lscb
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, Case, Report, Role
from qa_app.services import board_figures, board_reports, report_drafting
from tests.documents import board_data

TODAY = date(2026, 10, 20)
AGENCY = "Children's Services"


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return flat("\n".join(parts))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def lead(loaded_templates, make_user):
    """A QA lead, over board_data, at the default settings: a board reads exact counts (a
    partnership threshold hides small ones: the tests below that set one, and
    tests/documents/test_hidden_wording.py)."""
    user = make_user(Role.QA_LEAD, username="senior.manager.a")
    board_data.build(user)
    return user


def draft(lead) -> Report:
    return board_reports.draft(
        agency=AGENCY,
        date_from=board_data.FROM,
        date_to=board_data.TO,
        actor=lead,
        today=TODAY,
    )


# Sentences and table rows worked out by hand from board_data's notes (exact counts).
IN_BOTH = [
    "Single assessment (child and family assessment): 16 assessments were audited. Of the 16 "
    "with an overall grade, 6 were judged good, 5 were judged to require improvement to be "
    "good and 5 were judged inadequate.",
    "Reports to initial child protection conference: 5 conferences were audited. Of the 5 "
    "with an overall grade, 5 were judged adequate.",
    "Voice of the child was most often a strength (10 of 16).",
    "Timeliness was most often an area for development (11 of 16).",
    "5 conferences were audited.",
    "No social work report gave the father's views in any of the 5 conferences.",
    "All 5 conferences had a written police report.",
    "Written reports provided, by agency: Police 5 of 5, GP 0 of 2, Social work 5 of 5.",
    "Single assessment (child and family assessment): 5 of the 16 assessments with an overall "
    "grade (31%) were judged inadequate.",
    "Voice of the child: a strength in 10 of 16 audits.",
    "Timeliness: an area for development in 11 of 16 audits.",
    "Senior managers held 6 conversations with staff",
    "Senior managers heard from 5 children and 1 parent or carer",
    "Both indicators were reported for September 2026. Re-referrals within 12 months was "
    "within tolerance of its target.",
    "The improvement plan has 2 open actions, 1 of them overdue; 1 action was completed in the "
    "period.",
    "Introduce a chronology standard for assessments",
    "Audit fathers' involvement in plans",
    "No learning from reviews was recorded for this period.",
    "No key developments were recorded.",
    "April to September 2026",
]
# Table rows, as each format's text extraction lays them out.
PDF_ROWS = [
    "Single assessment (child and family assessment) 16 6 38%",
    "Good 6 38%",
    "Requires improvement to be good 5 31%",
    "Inadequate 5 31%",
    "All graded 16 100%",
    "Police 5 5 of 5 (100%) 5 of 5 (100%)",
    "0 of 5 (0%)",
    "21 case audits completed 1 practice week held 1 improvement action completed",
    "SN 2024-25",
    "England 2024-25",
    "21.5%",
    "22.4%",
    "On track",
    "Off track (overdue)",
    "Complete, 15 June 2026",
]
DOCX_ROWS = [
    "Single assessment (child and family assessment) | 16 | 6 | 38%",
    "Good | 6 | 38%",
    "Requires improvement to be good | 5 | 31%",
    "Inadequate | 5 | 31%",
    "All graded | 16 | 100%",
    "Police | 5 | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 "
    "(100%) | 5 of 5 (100%)",
    "Social work | 5 | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 (100%) | 5 of 5 "
    "(100%) | 0 of 5 (0%)",
    "GP | 2 |",
    # September 2024 has no value; the comparators are for 2024-25, the year of September 2024
    # (every comparator shown is for 2024-25: the year is in the columns' headings)
    "Indicator | Sep 2024 | Sep 2025 | Sep 2026 | Target | RAG | SN 2024-25 | England 2024-25",
    "Re-referrals within 12 months (%) | – | 20% | 24% | 22% | ● Amber | 21.5% | 22.4%",
    "Contacts received | – | 1,323 | 1,258 | – | – | – | –",
    "Staff | 6",
    "Children | 5",
    "Parents and carers | 1",
    "4 | Audit fathers' involvement in plans | Test senior.manager.a (QA lead) | 1 May 2026 | "
    "● Off track (overdue)",
    "2 | Relaunch management oversight guidance | Test senior.manager.a (QA lead) | "
    "30 June 2026 | ● Complete, 15 June 2026",
    "Author | Test senior.manager.a",
    "Period covered | April to September 2026",
]


def test_the_pdf_states_exactly_the_counts_and_grade_splits_behind_it(lead):
    text = pdf_text(board_reports.pdf_bytes(draft(lead)))
    for expected in IN_BOTH + PDF_ROWS:
        assert expected in text, expected
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "Page 3 of" in text
    # action 3 was completed before the period: not in the action plan
    assert "Old action finished long ago" not in text


def test_the_word_document_states_the_same_counts_in_its_paragraphs_and_tables(lead):
    text = docx_text(board_reports.docx_bytes(draft(lead)))
    for expected in IN_BOTH + DOCX_ROWS:
        assert expected in text, expected
    assert "OFFICIAL" in text
    assert "Old action finished long ago" not in text


def test_small_numbers_are_hidden_in_the_frozen_figures_not_just_on_paper(lead):
    from qa_app.data.organisation import get_settings

    get_settings().partnership_threshold = 5  # the council hides small counts from the board
    db.session.commit()
    figures = draft(lead).figures
    assert figures["conversations"]["counts"] == {"child": 5, "parent_carer": None, "staff": 6}
    gp = next(r for r in figures["icpc"]["rows"] if r["key"] == "gp")
    assert gp["n"] is None and gp["provided"]["of"] is None
    assert "moderation" not in figures["findings"]  # nothing per auditor


def test_the_indicator_table_gives_the_change_on_the_year_and_rag(lead):
    rows = {r["code"]: r for r in draft(lead).figures["indicators"]["rows"]}
    assert (rows["REREF"]["value"], rows["REREF"]["change_on_year"], rows["REREF"]["rag"]) == (
        24.0,
        20,
        "amber",
    )
    assert (rows["CONTACTS"]["change_on_year"], rows["CONTACTS"]["rag"]) == (-5, None)
    assert board_figures.rag(19, 22, 3, "lower") == "green"
    assert board_figures.rag(26, 22, 3, "lower") == "red"
    assert board_figures.rag(80, 85, 5, "higher") == "amber"
    assert board_figures.relative_change(1323, 1258) == -5


def test_a_published_version_does_not_change_when_a_later_audit_arrives(lead):
    report = draft(lead)
    report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    before = pdf_text(board_reports.pdf_bytes(report))
    version = get_template("single_assessment").versions[-1]
    case = Case(case_reference="QZLATE01X")
    db.session.add(case)
    db.session.flush()
    db.session.add(
        Audit(
            case_id=case.id,
            template_version_id=version.id,
            status="submitted",
            submitted_at=datetime(2026, 9, 29, 12, tzinfo=UTC),
            overall_grade="inadequate",
        )
    )
    db.session.commit()
    db.session.expire_all()
    published = db.session.get(Report, report.id)
    assert published.figures["activity"]["audits_completed"] == 21
    assert pdf_text(board_reports.pdf_bytes(published)) == before
    again = board_reports.redraft(published, lead, TODAY)
    assert (again.number, again.figures["activity"]["audits_completed"]) == (2, 22)
    assert db.session.get(Report, report.id).status == "published"


def test_every_case_reference_and_free_text_is_absent_from_the_pdf_and_the_word_document(lead):
    report = draft(lead)
    outputs = {
        "pdf": pdf_text(board_reports.pdf_bytes(report)),
        "docx": docx_text(board_reports.docx_bytes(report)),
    }
    secrets = secrets_in_database()
    assert len(secrets) > 60  # the scan really has something to look for
    for name, text in outputs.items():
        squeezed = text.replace(" ", "")
        for secret in secrets:
            assert secret not in text and secret.replace(" ", "") not in squeezed, (name, secret)


def secrets_in_database() -> set[str]:
    """Every case reference and every free-text answer, note and summary in the database."""
    from qa_app.models import Activity, Answer

    found = set(db.session.scalars(select(Case.case_reference)))
    for column in (
        Answer.value_text,
        Audit.evidence,
        Audit.overall_rationale,
        Activity.summary,
    ):
        for value in db.session.scalars(select(column)):
            if value and not re.fullmatch(r"[a-z_]+", value):  # keys are not free text
                found.add(value)
    assert set(board_data.SECRETS) <= found
    return found


def test_the_command_line_writes_both_formats(app, lead, tmp_path):
    runner = app.test_cli_runner()
    for suffix in ("pdf", "docx"):
        out = tmp_path / f"board.{suffix}"
        result = runner.invoke(
            lscb, ["--from", "2026-04-01", "--to", "2026-09-30", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "drafting one from the data now" in result.output
    assert "16 assessments were audited" in pdf_text((tmp_path / "board.pdf").read_bytes())
    assert "16 assessments were audited" in docx_text((tmp_path / "board.docx").read_bytes())
    assert db.session.scalar(select(Report)) is None  # nothing stored


def test_the_command_line_renders_the_published_version_when_there_is_one(app, lead, tmp_path):
    report = board_reports.draft(
        agency="Example Council",
        date_from=board_data.FROM,
        date_to=board_data.TO,
        actor=lead,
        today=TODAY,
    )
    report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    out = tmp_path / "board.pdf"
    result = app.test_cli_runner().invoke(
        lscb, ["--from", "2026-04-01", "--to", "2026-09-30", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Rendering published version 1" in result.output
    assert "Version 1, published" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-04-01", "--to", "2026-09-30", "--out", "x.xlsx"], ".pdf or .docx"),
        (["--from", "1 April", "--to", "2026-09-30", "--out", "x.pdf"], "is not a date"),
        (["--from", "2026-09-30", "--to", "2026-04-01", "--out", "x.pdf"], "after its start"),
    ],
)
def test_the_command_line_explains_a_bad_argument(app, args, message, tmp_path):
    result = app.test_cli_runner().invoke(lscb, args)
    assert result.exit_code == 2
    assert message in result.output


def test_with_no_partnership_threshold_every_count_is_shown(lead):
    from qa_app.data.organisation import get_settings

    get_settings().partnership_threshold = None  # the default: a board reads exact counts
    db.session.commit()
    report = draft(lead)
    sections = {s["key"]: s["text"] for s in report.sections}
    assert "Police 5 of 5, GP 0 of 2, Social work 5 of 5." in sections["icpc"]
    assert "No GP report was received for any of the 2 relevant conferences." in sections["icpc"]
    assert (
        "gave the child's views in 10 of the 12 reports where it applied (83%)"
        in (sections["children_families"])
    )
    text = pdf_text(board_reports.pdf_bytes(report))
    assert "fewer than" not in text
    assert "Shown in full" in text
