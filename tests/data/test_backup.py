"""`qa backup FILE` / `qa restore FILE`: a restored database gives the same rows, the same
findings and the same text in every report the product makes (the cycle report as PDF and
XLSX, a cycle's audits export, the board report as PDF and Word, the practice-week report for
both tiers of reader, the improvement plan as PDF and XLSX), both as stored and as drafted
again from the restored data; bad files and mismatched databases are refused whole."""

import gzip
import json
import stat
import time
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, insert, select, text, update

from qa_app.data import cycle_export, improvement, quick_wins
from qa_app.data.backup import FORMAT, VERSION
from qa_app.demo.synthetic import generate
from qa_app.documents.practice_week_pdf import practice_week_pdf
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.models import (
    Answer,
    Audit,
    AuditCycle,
    Base,
    Case,
    ChangeLogEntry,
    ImprovementPlan,
    PracticeWeek,
    Report,
    Role,
    Team,
)
from qa_app.services import board_reports, report_drafting
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import practice_week_report as week_report
from qa_app.services.improvement_exports import plan_pdf_bytes, plan_xlsx_bytes
from qa_app.services.practice_week_figures import live_figures
from qa_app.services.report_documents import pdf_bytes, xlsx_bytes
from tests.documents import board_data
from tests.practice_weeks.findings_factory import (
    add_activity,
    add_audit,
    add_quick_win,
    area,
    make_week,
)

END = date(2025, 6, 30)
PERIOD = Filters(date_from=date(2024, 7, 1), date_to=END)
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
BOARD_TODAY = date(2026, 10, 20)  # board_data's period is April to September 2026
AGENCY = "Children's Services"


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


def _pdf(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _docx(data: bytes) -> list[str]:
    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return parts


def _xlsx(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _snapshot(report_id: int) -> dict:
    sql_null = select(func.count()).where(Answer.value_choices.is_(None))
    return {
        "counts": _counts(),
        "sql_null_choices": db.session.scalar(sql_null),  # SQL NULL, not JSON null
        "findings": compute_findings(PERIOD, now=NOW),
        "pdf": _pdf(pdf_bytes(db.session.get(Report, report_id))),
    }


def _undated(value):
    """Figures drafted again, without the clock time they were drafted at."""
    if isinstance(value, dict):
        return {k: _undated(v) for k, v in value.items() if k != "generated_at"}
    if isinstance(value, list):
        return [_undated(v) for v in value]
    return value


def _every_report(ids: dict) -> dict[str, object]:
    """The text (or cell values) of every report and export, rendered from the stored versions
    and drafted again from the data, by name."""
    cycle_report = db.session.get(Report, ids["cycle_report"])
    board = db.session.get(Report, ids["board_report"])
    out = {
        "cycle report pdf": _pdf(pdf_bytes(cycle_report)),
        "cycle report xlsx": _xlsx(xlsx_bytes(cycle_report)),
        "cycle report drafted again": _undated(
            report_drafting.build_content(PERIOD, "internal", cycle=None)
        ),
        "cycle audits export": cycle_export.build(ids["cycle"]),
        "board report pdf": _pdf(board_reports.pdf_bytes(board)),
        "board report docx": _docx(board_reports.docx_bytes(board)),
        "board report drafted again": _undated(
            board_reports.build_content(AGENCY, board_data.FROM, board_data.TO, today=BOARD_TODAY)
        ),
    }
    for name in ("published", "draft"):
        week = db.session.get(PracticeWeek, ids[f"{name} week"])
        out[f"{name} practice week figures from the data"] = live_figures(week, now=NOW)
        for tier in ("internal", "partnership"):
            view = week_report.report_view(week, audience=tier)
            pdf = practice_week_pdf(view, organisation="Example Council")
            out[f"{name} practice week {tier} pdf"] = _pdf(pdf)
    for n, plan_id in enumerate(ids["plans"], start=1):
        plan = db.session.get(ImprovementPlan, plan_id)
        out[f"improvement plan {n} pdf"] = _pdf(plan_pdf_bytes(plan, END))
        out[f"improvement plan {n} xlsx"] = _xlsx(plan_xlsx_bytes(plan, END))
    return out


@pytest.fixture
def realistic(loaded_templates, make_user) -> int:
    """Synthetic audits, a published internal report; returns the report's id."""
    generate(40, seed=7, end=END, months=12)
    lead = make_user(Role.QA_LEAD)
    report = report_drafting.draft(cycle=None, filters=PERIOD, audience="internal", actor=None)
    report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    return report.id


def _practice_week(lead, owner, plan) -> PracticeWeek:
    """Six audits, three activities, headlines, two quick wins (one made an improvement
    action), findings published (figures frozen)."""
    week = make_week("October 2026", date(2026, 10, 5), managers=[owner])
    for i, voice in enumerate(["strength"] * 5 + ["development"], start=1):
        marks = {"voice_of_child": voice, "timeliness": "development" if i % 2 else "strength"}
        add_audit(week, marks, reference=f"B{i:07d}")
    add_activity(week, "observe_meeting", focus=area(week, 1), marks={"voice_of_child": "strength"})
    add_activity(week, "shadow", focus=area(week, 1), marks={"voice_of_child": "development"})
    add_activity(week, "conversation", focus=area(week, 2))
    area(week, 1).headlines = "Children at risk are triaged quickly\nEarly help waits too long"
    week.themes_summary = "The voice of the child is heard in most audits"
    db.session.commit()
    first = add_quick_win(week, 1, "Rename the single assessment", owner, date(2026, 11, 30))
    add_quick_win(week, 2, "Deprivation of liberty training", None, date(2027, 1, 31))
    quick_wins.quick_win_to_action(first, plan, actor=lead, today=date(2026, 10, 12))
    week_drafting.publish(week, based_on=week.lock_version, actor=lead, now=NOW)
    return week


@pytest.fixture
def every_report(realistic, make_user) -> dict:
    """On top of `realistic`: the board report's data set (tests/documents/board_data.py, with
    its unpublished practice week and its plan) and a published board report; a published
    practice week; and an improvement plan with a priority and themed, started actions whose
    impact is measured on the synthetic audits, one with a progress note. Returns the ids."""
    lead = make_user(Role.QA_LEAD, username="qa.lead.backup")
    owner = make_user(Role.SENIOR_MANAGER, username="senior.manager.a")
    data = board_data.build(owner)
    # compute_findings fails (pandas merge of object and int64 team ids) when teams exist but
    # no completed audit in the period has one: one of board_data's cases joins a synthetic team.
    team_id = db.session.scalar(select(Team.id).order_by(Team.id).limit(1))
    db.session.execute(
        update(Case).where(Case.case_reference == "QZ00001X").values(team_id=team_id)
    )
    board = board_reports.draft(
        agency=AGENCY,
        date_from=board_data.FROM,
        date_to=board_data.TO,
        actor=lead,
        today=BOARD_TODAY,
    )
    report_drafting.publish(board, based_on=board.lock_version, actor=lead)
    plan = improvement.save_plan(
        None, title="Improvement plan 2024-25", starts_on=PERIOD.date_from, ends_on=END, actor=lead
    )
    week = _practice_week(lead, owner, plan)
    priority = improvement.save_priority(plan, None, title="Quality of assessments", actor=lead)
    for number, theme in enumerate(("voice_of_child", "management_oversight"), start=1):
        action = improvement.create_action(
            plan,
            actor=lead,
            today=date(2025, 1, 1),
            description=f"Action {number} on {theme.replace('_', ' ')}",
            priority=priority if number == 1 else None,
            owner=owner,
            due_date=date(2025, 3, 31 - number),
            status="on_track",
            started_on=date(2025, 1, number),
            themes=[theme],
            source_kind="audit_cycle",
        )
    improvement.add_update(action, note="Workshops held with two teams", actor=owner, today=END)
    busiest_cycle = (
        select(AuditCycle.id)
        .join(Audit, Audit.cycle_id == AuditCycle.id)
        .group_by(AuditCycle.id)
        .order_by(func.count().desc(), AuditCycle.id)
        .limit(1)
    )
    return {
        "cycle_report": realistic,
        "cycle": db.session.scalar(busiest_cycle),
        "board_report": board.id,
        "published week": week.id,
        "draft week": data["week"].id,
        "plans": [data["plan"].id, plan.id],
    }


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


def test_restore_gives_identical_text_for_every_report(cli, tmp_path, every_report, monkeypatch):
    # A draft's figures are "as at" the moment they are read: hold the clock, or a minute that
    # turns between the two readings makes them differ.
    monkeypatch.setattr("qa_app.services.practice_week_figures.utcnow", lambda: NOW)
    before = _every_report(every_report)
    # Each output really holds its report (not an empty page that would trivially match).
    assert "16 assessments were audited" in " ".join(before["board report pdf"].split())
    assert any("16 assessments were audited" in line for line in before["board report docx"])
    assert "Early help waits too long" in before["published practice week internal pdf"]
    assert "Practice week June 2026" in before["draft practice week internal pdf"]
    assert "Workshops held with two teams" in " ".join(before["improvement plan 2 pdf"].split())
    header, *actions = before["improvement plan 2 xlsx"]["Actions"]
    impacts = [dict(zip(header, row, strict=True))["Impact"] for row in actions]
    assert len(actions) == 3  # the quick win made an action, and the two themed actions
    assert sum(" points." in impact for impact in impacts) == 2  # measured on synthetic audits
    assert len(before["cycle audits export"]) > 1 and before["cycle report xlsx"]
    counts = _counts()
    path = tmp_path / "qa.jsonl.gz"
    assert cli("backup", str(path)).exit_code == 0

    _empty_database()
    assert not any(_counts().values())
    result = cli("restore", str(path))

    assert result.exit_code == 0, result.output
    assert _counts() == counts  # the backup's own change-log entry is not in the file
    after = _every_report(every_report)
    assert after.keys() == before.keys()
    for name, output in before.items():
        assert after[name] == output, name


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


def test_a_lone_surrogate_in_a_json_column_is_backed_up_and_restored_as_it_was(
    cli, tmp_path, realistic
):
    """Text stored before the input rule may hold one, which UTF-8 cannot encode: the backup
    writes it escaped rather than failing, and the restore gives the row back unchanged."""
    report = db.session.scalars(select(Report)).first()
    report.key_findings = {"strengths": ["Seen alone \ud800 twice \U0001f600"]}
    db.session.commit()
    path = tmp_path / "surrogate.jsonl.gz"
    result = cli("backup", str(path))
    assert result.exit_code == 0, result.output
    _empty_database()
    result = cli("restore", str(path))
    assert result.exit_code == 0, result.output
    restored = db.session.get(Report, report.id)
    assert restored.key_findings == {"strengths": ["Seen alone \ud800 twice \U0001f600"]}
