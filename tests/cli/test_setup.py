"""`flask qa setup cycles FILE` and `flask qa cycle create`."""

import pytest
from sqlalchemy import select

from qa_app.cli.commands import qa
from qa_app.data.changelog import entries_for
from qa_app.extensions import db
from qa_app.models import AuditCycle

CYCLES = (
    "name,kind,start,end,due,templates,moderation_share\n"
    "CIN plans Q3,themed,2026-10-01,2026-12-31,2027-01-15,cin_plan,20\n"
    "Monthly January,Monthly audit programme,01/01/2027,31/01/2027,,single_assessment;cin_plan,\n"
)


def _cycles():
    return {
        c.name: (c.kind, c.period_start.isoformat(), sorted(t.key for t in c.templates))
        for c in db.session.scalars(select(AuditCycle))
    }


def test_cycles_from_a_file_are_made_once(app, loaded_templates, tmp_path):
    path = tmp_path / "cycles.csv"
    path.write_text(CYCLES)
    runner = app.test_cli_runner()
    first = runner.invoke(qa, ["setup", "cycles", str(path)])
    assert first.exit_code == 0, first.output
    assert "cycles.csv: 2 new, 0 changed, 0 already as in the file." in first.output
    assert _cycles() == {
        "CIN plans Q3": ("themed", "2026-10-01", ["cin_plan"]),
        "Monthly January": ("monthly", "2027-01-01", ["cin_plan", "single_assessment"]),
    }
    again = runner.invoke(qa, ["setup", "cycles", str(path)])
    assert "0 new, 0 changed, 2 already as in the file" in again.output
    changed = CYCLES.replace(",20\n", ",30\n")
    path.write_text(changed)
    third = runner.invoke(qa, ["setup", "cycles", str(path)])
    assert "Changed: row 2: Cycle CIN plans Q3 (moderation share: 20 to 30)" in third.output
    cycle = db.session.scalar(select(AuditCycle).where(AuditCycle.name == "CIN plans Q3"))
    assert cycle.moderation_share == 30
    actions = [e.action for e in entries_for("cycle", cycle.id)]
    assert actions.count("set_up") == 2 and "updated" in actions


def test_a_bad_cycles_file_is_refused_whole(app, loaded_templates, tmp_path):
    path = tmp_path / "cycles.csv"
    path.write_text(
        "name,kind,start,end,templates\n"
        "Good one,themed,2026-10-01,2026-12-31,cin_plan\n"
        "Jane Smith cycle,weekly,2026-12-31,2026-10-01,jane_smith\n"
    )
    result = app.test_cli_runner().invoke(qa, ["setup", "cycles", str(path)])
    assert result.exit_code == 1
    assert "row 3, column 'kind': write one of: monthly, themed" in result.output
    assert "row 3, column 'end': the end of the period must be on or after its start" in (
        result.output
    )
    assert "row 3, column 'templates': 1 of the templates named is not" in result.output
    assert "jane_smith" not in result.output
    assert _cycles() == {}


def test_cycle_create_makes_one_cycle_and_names_the_option_that_is_wrong(app, loaded_templates):
    runner = app.test_cli_runner()
    args = ["cycle", "create", "--name", "CP visits", "--kind", "themed"]
    args += ["--start", "2026-11-01", "--end", "2026-11-30", "--template", "cin_plan"]
    made = runner.invoke(qa, args)
    assert made.exit_code == 0, made.output
    assert _cycles() == {"CP visits": ("themed", "2026-11-01", ["cin_plan"])}
    cycle = db.session.scalar(select(AuditCycle))
    by = [e.changes.get("by", "") for e in entries_for("cycle", cycle.id)]
    assert any(b.startswith("command line (") for b in by)
    again = runner.invoke(qa, args)
    assert again.exit_code == 1
    assert "--name: there is already a cycle with this name" in again.output
    bad = runner.invoke(
        qa,
        ["cycle", "create", "--name", "X", "--kind", "yearly", "--start", "soon"]
        + ["--end", "2026-11-30", "--template", "nope"],
    )
    assert bad.exit_code == 1
    assert "--kind: write one of" in bad.output
    assert "--start: not a date" in bad.output
    assert "--template: 1 of the templates named is not" in bad.output


def test_a_cycles_file_without_the_optional_columns_leaves_them_as_stored(
    app, loaded_templates, tmp_path
):
    path = tmp_path / "cycles.csv"
    path.write_text(
        "name,kind,start,end,due,templates,moderation_share,description\n"
        "CIN plans Q3,themed,2026-10-01,2026-12-31,2027-01-15,cin_plan,20,Plans\n"
    )
    runner = app.test_cli_runner()
    assert runner.invoke(qa, ["setup", "cycles", str(path)]).exit_code == 0
    path.write_text(
        "name,kind,start,end,templates\nCIN plans Q3,themed,2026-10-01,2027-01-31,cin_plan\n"
    )
    result = runner.invoke(qa, ["setup", "cycles", str(path)])
    assert result.exit_code == 0, result.output
    assert "(period end: 31 December 2026 to 31 January 2027)" in result.output
    cycle = db.session.scalar(select(AuditCycle))
    assert (cycle.moderation_share, cycle.description) == (20, "Plans")
    assert cycle.due_date.isoformat() == "2027-01-15"


@pytest.mark.parametrize(
    "start, end, due, option, message",
    [
        ("0001-01-01", "2026-11-30", "", "start", "enter a date from 1990 to 2100"),
        ("2026-11-01", "9999-12-31", "", "end", "enter a date from 1990 to 2100"),
        ("2026-11-01", "2026-11-30", "2026-10-01", "due", "the due date must be on or after"),
    ],
)
def test_cycle_dates_the_web_form_refuses_are_refused_by_the_command_and_the_file(
    app, loaded_templates, tmp_path, start, end, due, option, message
):
    runner = app.test_cli_runner()
    args = ["cycle", "create", "--name", "CP", "--kind", "themed", "--start", start]
    args += ["--end", end, "--template", "cin_plan"] + (["--due", due] if due else [])
    made = runner.invoke(qa, args)
    assert made.exit_code == 1 and f"--{option}: {message}" in made.output
    path = tmp_path / "cycles.csv"
    path.write_text(f"name,kind,start,end,due,templates\nCP,themed,{start},{end},{due},cin_plan\n")
    result = runner.invoke(qa, ["setup", "cycles", str(path)])
    assert result.exit_code == 1 and f"row 2, column '{option}': {message}" in result.output
    assert _cycles() == {}


def test_a_changed_kind_reads_as_its_label(app, loaded_templates, tmp_path):
    path = tmp_path / "cycles.csv"
    path.write_text(
        "name,kind,start,end,templates\nQ3,practice_week,2026-10-01,2026-12-31,cin_plan\n"
    )
    runner = app.test_cli_runner()
    assert runner.invoke(qa, ["setup", "cycles", str(path)]).exit_code == 0
    path.write_text("name,kind,start,end,templates\nQ3,monthly,2026-10-01,2026-12-31,cin_plan\n")
    result = runner.invoke(qa, ["setup", "cycles", str(path), "--dry-run"])
    assert "(kind: Practice week to Monthly audit programme)" in result.output
