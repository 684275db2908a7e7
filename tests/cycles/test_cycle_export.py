"""Exporting a cycle's audits as XLSX (audits, repeat groups, actions, theme marks) and CSV,
for QA leads and moderators, with a fixed number of queries."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from qa_app.extensions import db
from qa_app.models import Answer, AuditStatus, CaseAction, Role, SectionGrade, ThemeMark
from qa_app.templates_engine.answers import BLOCK_MARKER
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries, make_cycle, make_team


@pytest.fixture
def cycle(loaded_templates, make_user):
    team = make_team("MASH")
    auditor = make_user(Role.AUDITOR, username="ann")
    cycle = make_cycle(templates=("icpc_reports", "single_assessment"))
    icpc = make_audit("icpc_reports", auditor=auditor, team=team, reference="7000001", cycle=cycle)
    icpc.case.worker = "=HYPERLINK(1)"
    icpc.status = AuditStatus.SUBMITTED
    icpc.submitted_at = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    icpc.overall_grade = "adequate"
    icpc.overall_rationale = "Reports were late;\x0bthe plan was clear"
    icpc.evidence = "Read the minutes"
    group = "agency_report"
    db.session.add_all(
        [
            Answer(
                audit_id=icpc.id,
                question_key="icpc_date",
                value_text="2026-02-01",
                value_date=date(2026, 2, 1),
            ),
            Answer(audit_id=icpc.id, question_key="sw_risk_each_child", value_text="partly"),
            Answer(
                audit_id=icpc.id,
                question_key="what_worked_well",
                value_text="=SUM(1)\x0bpasted from Word\x07",
            ),
            Answer(
                audit_id=icpc.id,
                group_key=group,
                block_index=0,
                block_label="police",
                question_key=BLOCK_MARKER,
                value_text="police",
            ),
            Answer(
                audit_id=icpc.id,
                group_key=group,
                block_index=0,
                block_label="police",
                question_key="report_provided",
                value_text="yes",
            ),
            Answer(
                audit_id=icpc.id,
                group_key=group,
                block_index=1,
                block_label="gp",
                question_key=BLOCK_MARKER,
                value_text="gp",
            ),
            Answer(
                audit_id=icpc.id,
                group_key=group,
                block_index=1,
                block_label="gp",
                question_key="report_provided",
                value_text="partly",
            ),
            SectionGrade(audit_id=icpc.id, section_key="agency_reports", grade="inadequate"),
            ThemeMark(audit_id=icpc.id, theme_key="voice_of_child", mark="strength"),
            CaseAction(
                audit_id=icpc.id,
                description="Ask the GP practice for a written report",
                owner="Team manager",
                due_date=date(2026, 4, 1),
            ),
        ]
    )
    make_audit("single_assessment", team=team, reference="7000002", cycle=cycle)
    db.session.commit()
    return cycle


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_xlsx_export(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    response = lead.get(f"/cycles/{cycle.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Audits", "Answers", "Repeat groups", "Actions", "Theme marks"]

    audits = rows(workbook["Audits"])
    header = audits[0]
    assert header[:11] == [
        "Audit ID",
        "Case reference",
        "Team",
        "Worker",
        "Template",
        "Version",
        "Auditor",
        "Status",
        "Due",
        "Submitted",
        "Overall grade",
    ]
    assert "Grade: Reports from each agency" in header
    first = dict(zip(header, audits[1], strict=True))
    assert first["Case reference"] == "7000001" and first["Team"] == "MASH"
    assert first["Template"] == "Reports to initial child protection conference"
    assert first["Auditor"] == "Test ann" and first["Status"] == "Submitted"
    assert first["Submitted"] == datetime(2026, 3, 2, 10, 30)
    assert first["Overall grade"] == "Adequate"
    assert first["Grade: Reports from each agency"] == "Inadequate"
    assert first["Worker"] == "=HYPERLINK(1)"
    assert first["Overall rationale"] == "Reports were late;the plan was clear"
    assert first["Evidence"] == "Read the minutes"
    assert workbook["Audits"]["D2"].data_type == "s"  # kept as text, never a formula
    second = dict(zip(header, audits[2], strict=True))
    assert (second["Case reference"], second["Auditor"], second["Status"]) == (
        "7000002",
        None,
        "Not started",
    )

    answers = rows(workbook["Answers"])
    assert answers[0] == [
        "Audit ID",
        "Case reference",
        "Section",
        "Question key",
        "Question",
        "Answer",
    ]
    found = {r[3]: r for r in answers[1:]}
    assert set(found) == {"icpc_date", "sw_risk_each_child", "what_worked_well"}
    assert all(r[:2] == [first["Audit ID"], "7000001"] for r in answers[1:])
    assert found["icpc_date"][2] == "The conference"
    assert found["icpc_date"][5] == "1 February 2026"
    assert found["sw_risk_each_child"][5] == "Partly"
    assert found["what_worked_well"][5] == "=SUM(1)pasted from Word"
    assert [r[3] for r in answers[1:]] == ["icpc_date", "sw_risk_each_child", "what_worked_well"]
    worked_well = next(c for c in workbook["Answers"]["D"] if c.value == "what_worked_well")
    assert workbook["Answers"].cell(worked_well.row, 6).data_type == "s"  # never a formula

    repeat = rows(workbook["Repeat groups"])
    assert repeat[0][:6] == [
        "Audit ID",
        "Case reference",
        "Group",
        "Block",
        "Block label",
        "Question key",
    ]
    assert [(r[2], r[3], r[4], r[5], r[7]) for r in repeat[1:]] == [
        ("Agency", 1, "Police", "report_provided", "Yes"),
        ("Agency", 2, "GP", "report_provided", "Partly"),
    ]
    actions = rows(workbook["Actions"])
    assert actions[1][1:5] == [
        "7000001",
        "Ask the GP practice for a written report",
        "Team manager",
        datetime(2026, 4, 1),
    ]
    marks = rows(workbook["Theme marks"])
    assert marks[1][1:] == ["7000001", "voice_of_child", "Voice of the child", "Strength"]


def test_the_csv_export(client_as, cycle):
    moderator = client_as(Role.MODERATOR)
    response = moderator.get(f"/cycles/{cycle.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:3] == ["Audit ID", "Case reference", "Team"]
    assert [r[1] for r in table[1:]] == ["7000001", "7000002"]
    first = dict(zip(table[0], table[1], strict=True))
    assert first["Worker"] == "'=HYPERLINK(1)"  # a spreadsheet will not run it
    assert first["Submitted"] == "2026-03-02 10:30" and first["Overall grade"] == "Adequate"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER])
def test_only_qa_leads_and_moderators_export(client_as, cycle, role):
    assert client_as(role).get(f"/cycles/{cycle.id}/export.xlsx").status_code == 403


def test_the_export_runs_a_fixed_number_of_queries(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    with count_queries() as before:
        lead.get(f"/cycles/{cycle.id}/export.xlsx")
    for n in range(30):
        audit = make_audit("icpc_reports", reference=f"71000{n:02d}", cycle=cycle)
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="timeliness", mark="development"))
    db.session.commit()
    with count_queries() as after:
        response = lead.get(f"/cycles/{cycle.id}/export.xlsx")
    assert len(after) == len(before)
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook["Audits"].max_row == 33
