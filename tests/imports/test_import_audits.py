"""`qa import-audits`: historic audits from CSV or XLSX, checked per cell, stored all or none."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, AuditStatus, Case, ChangeLogEntry, Role
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.answers import BLOCK_MARKER
from tests.imports.support import (
    TEAM,
    agency_block,
    cli_runner,
    complete_row,
    counts,
    only_audit,
    stored,
    team_and_auditor,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def cli(app):
    return cli_runner(app)


@pytest.fixture
def setup(loaded_templates, make_user):
    return team_and_auditor(make_user)


# ---- good files ---------------------------------------------------------------------------


ICPC_OVERRIDES = {
    "working_days_to_icpc": "12",
    "strategy_discussion_date": "",
    "strategy_discussion_agencies": "Children's social care, police, "
    "Health (named nurse or doctor, GP, health visitor or school nurse)",
    "conference_outcome": "Child protection plan for every child considered",
    "sw_risk_each_child": "partly",
    "sw_recommendation": "cp_plan",
    "actions_not_explored": "None identified",
    "outline_plan_outcome_focused": "Not applicable",
    "grade__agency_reports": "Adequate",
    "grade__social_work_report": "good",
    "grade__conference_and_minutes": "INADEQUATE",
    "overall_grade": "adequate",
    "theme__voice_of_child": "Area for development",
}


def test_a_good_xlsx_with_a_repeat_sheet_stores_exactly_what_it_says(cli, setup, tmp_path):
    path = write_xlsx(
        tmp_path / "icpc history.xlsx",
        {
            "Audits": [complete_row("icpc_reports", "10000001", **ICPC_OVERRIDES)],
            "repeat": [
                agency_block(2, "police", report_grade="Good", report_comment="Clear and on time"),
                agency_block(
                    2, "Health visitor", report_provided="Partly", report_grade="inadequate"
                ),
            ],
        },
    )
    result = cli("import-audits", str(path), "--template", "icpc_reports", "--user", "a.auditor")
    assert result.exit_code == 0, result.output
    assert "Imported 1 audit " in result.output
    assert "1 new case, 0 existing" in result.output

    audit = only_audit()
    assert audit.status == AuditStatus.SUBMITTED
    noon = datetime(2024, 3, 14, 12, tzinfo=UTC)
    assert audit.submitted_at == noon and audit.started_at == noon
    assert audit.template_version.number == get_template("icpc_reports").versions[-1].number
    assert audit.case.case_reference == "10000001" and audit.case.team.name == TEAM
    assert audit.auditor.username == "a.auditor"
    assert audit.overall_grade == "adequate"
    assert audit.overall_rationale == "Taken together, the record shows this."
    assert audit.evidence == "Read the conference minutes and every report."

    answers = stored(audit)
    top = {k[2]: a for k, a in answers.items() if k[0] == ""}
    assert top["icpc_date"].value_date == date(2024, 2, 1)
    assert top["working_days_to_icpc"].value_number == 12
    assert top["strategy_discussion_agencies"].value_choices == ["social_work", "police", "health"]
    assert top["conference_outcome"].value_text == "plan_all_children"
    assert top["sw_risk_each_child"].value_text == "partly"
    assert top["sw_recommendation"].value_text == "cp_plan"
    assert top["actions_not_explored"].value_choices == ["none"]
    assert top["outline_plan_outcome_focused"].value_text == "not_applicable"
    assert top["what_worked_well"].value_text == "Evidence for what_worked_well."
    assert "strategy_discussion_date" not in top  # blank optional answers are not stored
    assert all(a.block_index == 0 and a.block_label == "" for a in top.values())

    markers = sorted(
        (a.block_index, a.value_text, a.block_label)
        for k, a in answers.items()
        if k[2] == BLOCK_MARKER
    )
    assert markers == [(0, "police", "police"), (1, "health_visitor", "health_visitor")]
    assert answers[("agency_report", 0, "report_grade")].value_text == "good"
    assert answers[("agency_report", 0, "report_comment")].value_text == "Clear and on time"
    assert answers[("agency_report", 1, "report_provided")].value_text == "partly"
    assert answers[("agency_report", 1, "report_grade")].value_text == "inadequate"
    assert answers[("agency_report", 1, "analytical_or_factual")].value_text == "analytical"
    assert {a.block_label for k, a in answers.items() if k[0] == "agency_report"} == {
        "police",
        "health_visitor",
    }
    inner = [k for k in answers if k[0] == "agency_report" and k[2] != BLOCK_MARKER]
    assert len(inner) == 2 * 11

    grades = {
        g.section_key: (g.grade, g.rationale) for g in audit_data.section_grades(audit).values()
    }
    assert grades == {
        "agency_reports": ("adequate", "Why agency_reports is adequate."),
        "social_work_report": ("good", "Why social_work_report is adequate."),
        "conference_and_minutes": ("inadequate", "Why conference_and_minutes is adequate."),
    }
    marks = audit_data.theme_marks(audit)
    assert set(marks) == set(audit.template_version.content["themes"])
    assert marks["voice_of_child"].mark == "development"
    assert (
        marks["voice_of_child"].suggested is False
    )  # every answer was yes: it suggests a strength
    suggested = audit_data.suggested_marks(audit)
    assert all(m.mark == suggested[k] for k, m in marks.items() if k != "voice_of_child")

    assert submission.submit_problems(audit) == []
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "audit")
    ).one()
    assert (entry.entity_id, entry.action, entry.user_id) == (str(audit.id), "imported", setup.id)
    assert entry.changes == {"version": 1, "file": "icpc history.xlsx", "row": 2}


def test_a_good_csv_imports_several_audits_with_grades_by_label_and_by_key(cli, setup, tmp_path):
    db.session.add(Case(case_reference="20000002", facts={}))
    db.session.commit()
    rows = [
        complete_row(
            "single_assessment",
            "20000001",
            grade__analysis="Requires improvement to be good",
            grade__timeliness="requires_improvement",
            overall_grade="Requires Improvement to be Good",
            audit_date="05/01/2023",
        ),
        complete_row(
            "single_assessment",
            "20000002",
            team="assessment team EAST",
            auditor="",
            grade__analysis="outstanding",
            overall_grade="Good",
            audit_date=None,
        ),
    ]
    path = write_csv(tmp_path / "sa.csv", rows)
    result = cli("import-audits", str(path), "--template", "single_assessment")
    assert result.exit_code == 0, result.output
    assert "Imported 2 audits" in result.stdout and "1 new case, 1 existing" in result.stdout
    assert "Checking audits" in result.stderr and "Storing audits" in result.stderr  # progress
    first, second = db.session.scalars(select(Audit).order_by(Audit.id)).all()
    assert first.overall_grade == "requires_improvement"
    grades = {k: g.grade for k, g in audit_data.section_grades(first).items()}
    assert grades["analysis"] == grades["timeliness"] == "requires_improvement"
    assert grades["child_seen_and_voice"] == "good"
    assert first.submitted_at == datetime(2023, 1, 5, 12, tzinfo=UTC)
    assert second.overall_grade == "good" and second.auditor_id is None
    assert second.submitted_at.date() == uk_today()  # no date column: today
    assert second.case.team.name == TEAM  # the existing case had no team: it gets this one
    assert submission.submit_problems(first) == [] and submission.submit_problems(second) == []
    presenting = stored(first)[("", 0, "presenting_concerns")]
    assert presenting.value_choices == ["neglect", "domestic_abuse"]
    entries = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "imported")
        .order_by(ChangeLogEntry.id)
    ).all()
    assert [e.changes["row"] for e in entries] == [2, 3]
    assert all(
        e.user_id is None and e.changes["loaded_by"].startswith("command line (") for e in entries
    )


def test_the_imported_audit_page_shows_its_answers_to_a_qa_lead(cli, setup, tmp_path, client_as):
    path = write_xlsx(
        tmp_path / "icpc.xlsx",
        {
            "Audits": [
                complete_row(
                    "icpc_reports", "10000001", what_worked_well="Police report was exemplary"
                )
            ],
            "agency_report": [agency_block(2, "Health visitor")],
        },
    )
    assert cli("import-audits", str(path), "--template", "icpc_reports").exit_code == 0
    audit = only_audit()
    client = client_as(Role.QA_LEAD)
    html = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Police report was exemplary" in html
    assert "Agency: Health visitor" in html
    assert "Submitted" in html
    history = client.get(f"/audits/{audit.id}/history").get_data(as_text=True)
    assert "Imported" in history


def test_a_repeat_sheet_can_name_the_audit_by_case_reference(cli, setup, tmp_path):
    block = agency_block(0, "gp")
    del block["row"]
    block["case_reference"] = "10000001"
    block["group"] = "agency_report"
    path = write_xlsx(
        tmp_path / "icpc.xlsx",
        {"Audits": [complete_row("icpc_reports", "10000001")], "Repeat": [block]},
    )
    result = cli("import-audits", str(path), "--template", "icpc_reports")
    assert result.exit_code == 0, result.output
    answers = stored(only_audit())
    assert answers[("agency_report", 0, BLOCK_MARKER)].value_text == "gp"


def test_an_audit_can_go_into_an_existing_cycle(cli, setup, tmp_path):
    db.session.add(
        AuditCycle(
            name="ICPC reports 2024", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
        )
    )
    db.session.commit()
    path = write_xlsx(
        tmp_path / "icpc.xlsx",
        {
            "Audits": [complete_row("icpc_reports", "10000001")],
            "repeat": [agency_block(2, "police")],
        },
    )
    result = cli(
        "import-audits", str(path), "--template", "icpc_reports", "--cycle", "icpc reports 2024"
    )
    assert result.exit_code == 0, result.output
    assert only_audit().cycle.name == "ICPC reports 2024"


# ---- problems -----------------------------------------------------------------------------


def test_every_problem_is_reported_with_sheet_row_and_column_and_nothing_is_stored(
    cli, setup, tmp_path
):
    good = write_csv(tmp_path / "before.csv", [complete_row("single_assessment", "30000001")])
    assert cli("import-audits", str(good), "--template", "single_assessment").exit_code == 0
    before = counts()
    rows = [
        complete_row("single_assessment", "30000002", grade__analysis="Excellent"),
        complete_row("single_assessment", "30000003", audit_date="31/02/2024", colour="blue"),
        complete_row("single_assessment", "Jane Smith"),
        complete_row(
            "single_assessment", "30000004", team="Nowhere Team", children_in_household=""
        ),
        complete_row(
            "single_assessment", "30000005", grade__analysis="Inadequate", overall_grade="Good"
        ),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    result = cli("import-audits", str(path), "--template", "single_assessment")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = [
        "bad, row 1, column 'colour': unknown column",
        "bad, row 2, column 'grade__analysis': the cell's text is not a grade on the template's "
        "scale",
        "bad, row 3, column 'audit_date': '31/02/2024' is not a date: use YYYY-MM-DD or DD/MM/YYYY",
        "bad, row 4, column 'case_reference': the cell's text is not a valid case reference",
        "bad, row 5, column 'team': unknown team the cell's text",
        "bad, row 5, column 'children_in_household': required answer missing: answer this question",
        "bad, row 6, column 'overall_grade': The overall grade can be no better than Inadequate",
    ]
    for text in expected:
        assert any(line.startswith(text) for line in lines), (text, lines)
    assert len(lines) == len(expected), lines
    assert "Nothing was imported." in result.stderr
    assert "--allow-incomplete" in result.stderr
    assert "Jane" not in result.output and "Nowhere" not in result.output
    assert counts() == before


def test_a_file_imported_twice_is_refused_the_second_time(cli, setup, tmp_path):
    path = write_csv(tmp_path / "sa.csv", [complete_row("single_assessment", "30000001")])
    assert cli("import-audits", str(path), "--template", "single_assessment").exit_code == 0
    before = counts()
    result = cli("import-audits", str(path), "--template", "single_assessment")
    assert result.exit_code == 1
    assert "sa, row 2, column 'case_reference': case 30000001 already has a" in result.output
    assert "was this file imported before?" in result.output
    assert counts() == before


def test_bad_values_on_the_repeat_sheet_are_located_too(cli, setup, tmp_path):
    path = write_xlsx(
        tmp_path / "icpc.xlsx",
        {
            "Audits": [complete_row("icpc_reports", "10000001")],
            "repeat": [
                agency_block(2, "Fire service"),
                agency_block(9, "police"),
                agency_block(2, "gp", report_grade="Outstanding", report_provided="Not applicable"),
            ],
            "Notes": [{"note": "from the old spreadsheet"}],
        },
    )
    before = counts()
    result = cli("import-audits", str(path), "--template", "icpc_reports")
    assert result.exit_code == 1
    out = result.stdout
    assert (
        "repeat, row 2, column 'block': the cell's text is not an option for Agency (use Police,"
        in out
    )
    assert "repeat, row 3, column 'row': '9' is not the row of an audit on the first sheet" in out
    assert (
        "repeat, row 4, column 'report_grade': Choose a grade from the scale (found the cell's text"
        in out
    )
    assert (
        "repeat, row 4, column 'report_provided': Choose yes, partly or no (found the cell's text"
        in out
    )
    assert "Notes: unknown sheet" in out
    assert counts() == before


def test_missing_required_answers_need_allow_incomplete(cli, setup, tmp_path):
    row = complete_row(
        "icpc_reports", "10000001", what_worked_well="", grade__social_work_report=""
    )
    del row["overall_rationale"]
    path = write_csv(tmp_path / "icpc.csv", [row])
    result = cli("import-audits", str(path), "--template", "icpc_reports")
    assert result.exit_code == 1
    out = result.stdout
    assert "icpc, row 1, column 'overall_rationale': required column is missing" in out
    assert "icpc, row 2, column 'what_worked_well': required answer missing" in out
    assert "icpc, row 2, column 'grade__social_work_report': required answer missing" in out
    assert (
        "icpc, row 2: at least 1 agency block needed in 'agency_report': a CSV file cannot" in out
    )
    assert counts()["audits"] == 0

    result = cli("import-audits", str(path), "--template", "icpc_reports", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    audit = only_audit()
    assert audit.status == AuditStatus.SUBMITTED
    assert ("", 0, "what_worked_well") not in audit_data.stored_answers(audit)
    assert audit_data.section_grades(audit)["social_work_report"].grade is None
    missing = {(p.section_key, p.field) for p in submission.submit_problems(audit)}
    assert missing == {
        ("agency_reports", "group__agency_report"),
        ("social_work_report", "section_grade"),
        ("summary", "q__what_worked_well"),
        ("overall", "overall_rationale"),
    }


def test_bad_values_are_refused_even_with_allow_incomplete(cli, setup, tmp_path):
    path = write_csv(
        tmp_path / "sa.csv",
        [complete_row("single_assessment", "30000001", children_in_household="lots")],
    )
    result = cli(
        "import-audits", str(path), "--template", "single_assessment", "--allow-incomplete"
    )
    assert result.exit_code == 1
    assert (
        "column 'children_in_household': Enter a number, like 12 (found the cell's text)"
        in result.output
    )
    assert counts()["audits"] == 0


def test_an_unknown_cycle_template_or_user_is_an_error(cli, setup, tmp_path):
    path = write_csv(tmp_path / "sa.csv", [complete_row("single_assessment", "30000001")])
    result = cli(
        "import-audits", str(path), "--template", "single_assessment", "--cycle", "No such cycle"
    )
    assert result.exit_code == 1
    assert "--cycle: no audit cycle called 'No such cycle'" in result.output
    assert "Nothing was imported." in result.output
    result = cli("import-audits", str(path), "--template", "nonsense")
    assert result.exit_code == 1 and "--template: no template 'nonsense'" in result.output
    result = cli("import-audits", str(path), "--template", "single_assessment", "--user", "nobody")
    assert result.exit_code == 1 and "no such account: nobody" in result.output
    assert counts()["audits"] == 0


def test_a_future_date_and_an_unknown_auditor_are_refused(cli, setup, tmp_path):
    row = complete_row("single_assessment", "30000001", audit_date="2999-01-01", auditor="ghost")
    result = cli(
        "import-audits",
        str(write_csv(tmp_path / "sa.csv", [row])),
        "--template",
        "single_assessment",
    )
    assert result.exit_code == 1
    assert "sa, row 2, column 'audit_date': 01/01/2999 is in the future" in result.output
    assert (
        "sa, row 2, column 'auditor': no account with the username the cell's text" in result.output
    )


def test_a_file_that_is_not_csv_or_xlsx_is_refused(cli, setup, tmp_path):
    path = tmp_path / "audits.txt"
    path.write_text("case_reference\n123456\n")
    result = cli("import-audits", str(path), "--template", "single_assessment")
    assert result.exit_code == 1
    assert "choose a CSV or XLSX file" in result.output
