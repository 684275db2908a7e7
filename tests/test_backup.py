"""`qa backup FILE` / `qa restore FILE`: a restored database gives the same rows, the same
findings and the same report text; bad files and mismatched databases are refused whole."""

import gzip
import json
import stat
import time
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, insert, select, text

from qa_app.backup import FORMAT, VERSION
from qa_app.data import reports
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.models import Answer, Audit, Base, ChangeLogEntry, Report, Role
from qa_app.reports.render import pdf_bytes
from qa_app.synthetic import generate

END = date(2025, 6, 30)
PERIOD = Filters(date_from=date(2024, 7, 1), date_to=END)
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def _run(*args: str):
        db.session.commit()  # the command reads and writes on its own connection
        result = runner.invoke(args=["qa", *args])
        db.session.expire_all()
        return result

    return _run


def _counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def _empty_database() -> None:
    db.session.commit()
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    db.session.expire_all()


def _pdf_text(report_id: int) -> str:
    report = db.session.get(Report, report_id)
    reader = PdfReader(BytesIO(pdf_bytes(report)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _snapshot(report_id: int) -> dict:
    sql_null = select(func.count()).where(Answer.value_choices.is_(None))
    return {
        "counts": _counts(),
        "sql_null_choices": db.session.scalar(sql_null),  # SQL NULL, not JSON null
        "findings": compute_findings(PERIOD, now=NOW),
        "pdf": _pdf_text(report_id),
    }


@pytest.fixture
def realistic(loaded_templates, make_user) -> int:
    """Synthetic audits, a published internal report; returns the report's id."""
    generate(40, seed=7, end=END, months=12)
    lead = make_user(Role.QA_LEAD)
    report = reports.draft(cycle=None, filters=PERIOD, audience="internal", actor=None)
    reports.publish(report, based_on=report.lock_version, actor=lead)
    return report.id


@pytest.fixture
def backup_file(cli, tmp_path, realistic) -> Path:
    path = tmp_path / "qa.jsonl.gz"
    result = cli("backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def _rewrite(source: Path, target: Path, edit) -> Path:
    lines = gzip.decompress(source.read_bytes()).decode().splitlines(keepends=True)
    target.write_bytes(gzip.compress("".join(edit(lines)).encode()))
    return target


# --- the round trip ---------------------------------------------------------------------------


def test_restore_gives_the_same_rows_findings_and_report_text(cli, tmp_path, realistic):
    before = _snapshot(realistic)
    assert before["counts"]["audits"] == 40 and before["counts"]["reports"] == 1
    path = tmp_path / "qa.jsonl.gz"

    started = time.perf_counter()
    result = cli("backup", str(path))
    backed_up = time.perf_counter() - started

    assert result.exit_code == 0, result.output
    assert f"to {path}" in result.output and "audits: 40" in result.output
    entry = db.session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id.desc())).first()
    assert (entry.action, entry.user_id) == ("backup", None)
    assert entry.changes["counts"] == before["counts"]  # the backup's own entry is not in it

    _empty_database()
    assert not any(_counts().values())
    started = time.perf_counter()
    result = cli("restore", str(path))
    restored = time.perf_counter() - started

    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    after = _snapshot(realistic)
    assert after["counts"] == before["counts"]
    assert after["findings"] == before["findings"]
    assert after["pdf"] == before["pdf"]
    assert after["sql_null_choices"] == before["sql_null_choices"]
    print(f"\nbackup {backed_up:.2f}s, restore {restored:.2f}s, {path.stat().st_size:,} bytes")


def test_new_rows_can_be_added_after_a_restore(cli, backup_file):
    """On PostgreSQL the id sequences are reset to max(id): no duplicate keys afterwards."""
    _empty_database()
    if db.engine.dialect.name == "postgresql":  # as in a new database: the sequence starts at 1
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('audits', 'id'), 1, false)"))
    assert cli("restore", str(backup_file)).exit_code == 0
    highest = db.session.scalar(select(func.max(Audit.id)))
    template = db.session.execute(select(Audit.__table__)).mappings().first()
    row = {k: v for k, v in template.items() if k != "id"}
    new_id = db.session.execute(insert(Audit).values(**row).returning(Audit.id)).scalar_one()
    db.session.commit()
    assert new_id > highest


def test_the_file_is_gzip_json_lines_with_a_header_and_private(backup_file):
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    lines = gzip.decompress(backup_file.read_bytes()).decode().splitlines()
    header = json.loads(lines[0])
    assert (header["format"], header["version"]) == (FORMAT, VERSION)
    assert header["alembic_revision"] and header["created_at"].endswith("+00:00")
    rows = [json.loads(line) for line in lines[1:]]
    assert len(rows) == sum(header["counts"].values())
    order = [t.name for t in Base.metadata.sorted_tables]
    positions = [order.index(r["table"]) for r in rows]
    assert positions == sorted(positions)  # table by table, parents first
    audit = next(r["row"] for r in rows if r["table"] == "audits")
    assert date.fromisoformat(audit["due_date"])
    assert any(r.get("json_null") == ["value_choices"] for r in rows)  # JSON null, kept as such
    assert not list(backup_file.parent.glob(".*.part"))  # no temporary file left behind


# --- refusals ---------------------------------------------------------------------------------


def test_backup_refuses_to_overwrite_unless_forced(cli, backup_file):
    backup_file.write_bytes(b"keep me")

    result = cli("backup", str(backup_file))

    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output
    assert backup_file.read_bytes() == b"keep me"
    assert cli("backup", "--force", str(backup_file)).exit_code == 0
    assert gzip.decompress(backup_file.read_bytes()).startswith(b'{"format"')


def test_restore_refuses_a_database_with_data_unless_replace(cli, backup_file):
    make = _counts()

    result = cli("restore", str(backup_file))

    assert result.exit_code == 1
    assert "not empty" in result.output and "--replace" in result.output
    assert _counts() == make
    result = cli("restore", "--replace", str(backup_file))
    assert result.exit_code == 0, result.output
    make["change_log"] -= 1  # the backup's own entry was made after the snapshot
    assert _counts() == make


def test_a_truncated_file_is_refused_and_nothing_is_stored(cli, backup_file, tmp_path):
    data = backup_file.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    _empty_database()

    result = cli("restore", str(cut))

    assert result.exit_code == 1
    assert "line " in result.output and "truncated" in result.output
    assert "Nothing was changed" in result.output
    assert not any(_counts().values())


def test_a_truncated_file_is_refused_under_replace_leaving_the_database_as_it_was(
    cli, backup_file, tmp_path
):
    data = backup_file.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    before = _counts()

    result = cli("restore", "--replace", str(cut))

    assert result.exit_code == 1
    assert _counts() == before


def test_a_corrupt_line_is_named(cli, backup_file, tmp_path):
    bad = _rewrite(
        backup_file,
        tmp_path / "bad.jsonl.gz",
        lambda lines: lines[:5] + ['{"table": "audits", "row": \n'] + lines[6:],
    )
    _empty_database()

    result = cli("restore", str(bad))

    assert result.exit_code == 1
    assert "line 6: not valid JSON" in result.output
    assert not any(_counts().values())


def test_a_backup_of_another_schema_revision_is_refused(cli, backup_file, tmp_path):
    def other_revision(lines):
        header = json.loads(lines[0]) | {"alembic_revision": "9999_future"}
        return [json.dumps(header) + "\n", *lines[1:]]

    other = _rewrite(backup_file, tmp_path / "other.jsonl.gz", other_revision)
    _empty_database()

    result = cli("restore", str(other))

    assert result.exit_code == 1
    assert "9999_future" in result.output and "flask db upgrade" in result.output
    assert not any(_counts().values())


def test_an_unknown_format_version_is_refused(cli, backup_file, tmp_path):
    def future(lines):
        return [json.dumps(json.loads(lines[0]) | {"version": 99}) + "\n", *lines[1:]]

    other = _rewrite(backup_file, tmp_path / "future.jsonl.gz", future)
    _empty_database()

    result = cli("restore", str(other))

    assert result.exit_code == 1
    assert "unknown backup format version 99" in result.output
    assert not any(_counts().values())


def test_a_file_missing_rows_at_the_end_is_refused(cli, backup_file, tmp_path):
    short = _rewrite(backup_file, tmp_path / "short.jsonl.gz", lambda lines: lines[:-3])
    _empty_database()

    result = cli("restore", str(short))

    assert result.exit_code == 1
    assert "ends early" in result.output
    assert not any(_counts().values())
