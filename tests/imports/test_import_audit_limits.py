"""`qa import-audits`: the web form's length limits, files that cannot be read, when an
imported audit counts as done, and audits imported into a cycle going on its case list."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import AuditCycle, Case, ChangeLogEntry, CycleCase
from tests.imports.support import (
    agency_block,
    cli_runner,
    complete_row,
    counts,
    only_audit,
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


def run(cli, path, *extra):
    return cli("import-audits", str(path), "--template", "single_assessment", *extra)


def test_text_longer_than_the_web_form_allows_is_refused(cli, setup, tmp_path):
    rows = [
        complete_row(
            "single_assessment",
            "30000001",
            overall_rationale="r" * 4001,
            rationale__analysis="a" * 4001,
            evidence="e" * 20001,
            practitioner_comments="p" * 20001,
        ),
        complete_row(
            "single_assessment",
            "30000002",
            overall_rationale="r" * 4000,
            rationale__analysis="a" * 4000,
            evidence="e" * 20000,
            practitioner_comments="p" * 20000,
        ),
    ]
    result = run(cli, write_csv(tmp_path / "long.csv", rows))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "long, row 2, column 'rationale__analysis': use 4,000 characters or fewer (found 4,001)",
        "long, row 2, column 'overall_rationale': use 4,000 characters or fewer (found 4,001)",
        "long, row 2, column 'evidence': use 20,000 characters or fewer (found 20,001)",
        "long, row 2, column 'practitioner_comments': use 20,000 characters or fewer "
        "(found 20,001)",
    ]
    assert counts()["audits"] == 0


def test_a_case_reference_longer_than_60_characters_is_refused(cli, setup, tmp_path):
    get_settings().case_reference_pattern = "[0-9]+"
    db.session.commit()
    path = write_csv(tmp_path / "sa.csv", [complete_row("single_assessment", "1" * 61)])
    result = run(cli, path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "sa, row 2, column 'case_reference': use 60 characters or fewer (found 61)"
    ]


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(cli, setup, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(b'case_reference,evidence\n30000001,"' + b"x" * 1_100_000 + b'"\n')
    result = run(cli, path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        "huge.csv: sheet 'huge', row 2: a cell holds more than 1,000,000 characters"
        in result.stdout
    )
    assert "Nothing was imported." in result.stderr


def test_a_row_number_that_is_not_a_plain_number_is_a_problem(cli, setup, tmp_path):
    path = write_xlsx(
        tmp_path / "icpc.xlsx",
        {
            "Audits": [complete_row("icpc_reports", "10000001")],
            "repeat": [agency_block("²", "police"), agency_block("9" * 5000, "gp")],
        },
    )
    result = cli("import-audits", str(path), "--template", "icpc_reports")
    assert result.exit_code == 1
    assert (
        "repeat, row 2, column 'row': the cell's text is not the row of an audit" in result.stdout
    )
    assert "repeat, row 3, column 'row': '99999" in result.stdout


def test_an_imported_audit_was_created_when_it_was_done(cli, setup, tmp_path):
    path = write_csv(
        tmp_path / "sa.csv",
        [complete_row("single_assessment", "30000001", audit_date="01/03/2019")],
    )
    assert run(cli, path).exit_code == 0
    audit = only_audit()
    noon = datetime(2019, 3, 1, 12, tzinfo=UTC)
    assert audit.created_at == audit.started_at == audit.submitted_at == noon


def test_audits_imported_into_a_cycle_put_their_cases_on_its_list(cli, setup, tmp_path):
    cycle = AuditCycle(
        name="Assessments 2024", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )
    already = Case(case_reference="30000001", facts={})
    db.session.add_all([cycle, already])
    db.session.flush()
    db.session.add(CycleCase(cycle_id=cycle.id, case_id=already.id))
    db.session.commit()
    rows = [
        complete_row("single_assessment", "30000001"),
        complete_row("single_assessment", "30000002"),
        complete_row("single_assessment", "30000002", audit_date="2024-04-01"),
    ]
    path = write_csv(tmp_path / "sa.csv", rows)
    result = run(cli, path, "--cycle", "Assessments 2024")
    assert result.exit_code == 0, result.output
    listed = db.session.scalars(
        select(Case.case_reference)
        .join(CycleCase, CycleCase.case_id == Case.id)
        .where(CycleCase.cycle_id == cycle.id)
        .order_by(Case.case_reference)
    ).all()
    assert listed == ["30000001", "30000002"]
    assert db.session.scalar(select(func.count(CycleCase.id))) == 2
    entry = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "cycle", ChangeLogEntry.action == "audits_imported"
        )
    ).one()
    assert entry.changes["cases_added"] == ["30000002"]
    assert entry.changes["audits"] == 3
