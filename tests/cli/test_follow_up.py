"""`flask qa cycle follow-up ORIGINAL --months 6`: the plan printed (who is followed up, who is
not and why), nothing stored with --dry-run, the cycle created otherwise, refusals named."""

from sqlalchemy import func, select

from qa_app.cli.commands import qa
from qa_app.data import follow_up
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle
from tests.cycles.cycle_factory import make_team
from tests.data.follow_up_factory import audited, make_original


def test_follow_up_from_the_command_line(app, loaded_templates):
    north = make_team("North")
    original = make_original()
    audited(original, "100001", north, "some")
    audited(original, "100002", north, None, done=False)
    runner = app.test_cli_runner()
    args = ["cycle", "follow-up", "CIN plans, Q1 2026", "--months", "6"]
    dry = runner.invoke(qa, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 October 2026 to 31 December 2026" in dry.output
    assert "1 child to audit again (1 audit)" in dry.output
    assert "Not followed up: 100002: its audit in CIN plans, Q1 2026 was not completed" in (
        dry.output
    )
    assert db.session.scalar(select(func.count()).select_from(AuditCycle)) == 1
    made = runner.invoke(qa, args)
    assert made.exit_code == 0, made.output
    assert "Created the cycle 'CIN plans, Q1 2026: follow-up after 6 months'." in made.output
    (cycle,) = follow_up.follow_ups_of(original)
    assert (
        db.session.scalar(select(func.count()).select_from(Audit).where(Audit.cycle_id == cycle.id))
        == 1
    )
    again = runner.invoke(qa, args)
    assert again.exit_code == 1 and "already a cycle" in again.output
    bad = runner.invoke(qa, ["cycle", "follow-up", "CIN plans, Q1 2026", "--months", "40"])
    assert bad.exit_code == 1 and "--months: Enter a number of months from 1 to 36" in bad.output
    missing = runner.invoke(qa, ["cycle", "follow-up", "No such cycle", "--months", "6"])
    assert missing.exit_code == 2 and "no audit cycle called 'No such cycle'" in missing.output


def test_a_follow_up_cannot_be_made_as_an_ordinary_cycle(app, loaded_templates):
    args = ["cycle", "create", "--name", "Made by hand", "--kind", "follow_up"]
    args += ["--start", "2026-01-01", "--end", "2026-01-31", "--template", "cin_plan"]
    result = app.test_cli_runner().invoke(qa, args)
    assert result.exit_code == 1 and "--kind: write one of:" in result.output
    assert "follow_up" not in result.output.split("--kind: write one of:")[1].splitlines()[0]
