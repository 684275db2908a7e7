"""Teams and localities from a file: on the command line (tests/cli/test_setup.py) and the
web (tests/admin/test_setup_routes.py) share this check."""

from sqlalchemy import select

from qa_app.cli.commands import qa
from qa_app.data.changelog import entries_for
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.imports.teams import check_teams_file
from qa_app.models import Locality, Team

GOOD = b"team,locality,active\nMASH,Central,yes\nAssessment North,North,\nOld team,,no\n"


def _teams():
    return {
        (t.name, t.locality.name if t.locality else None, t.active)
        for t in db.session.scalars(select(Team))
    }


def test_the_plan_names_new_localities_and_teams_and_what_already_is(app):
    save_team("MASH", None, True, actor=None)
    plan = check_teams_file("teams.csv", GOOD)
    assert plan.problems == []
    assert [(r.action, r.label) for r in plan.rows] == [
        ("create", "Locality Central"),
        ("create", "Locality North"),
        ("update", "Team MASH"),
        ("create", "Team Assessment North (North)"),
        ("create", "Team Old team"),
    ]
    assert plan.rows[2].changes == "locality: none to Central"


def test_the_command_stores_the_file_once_and_a_second_load_changes_nothing(app, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes(GOOD)
    runner = app.test_cli_runner()
    dry = runner.invoke(qa, ["setup", "teams", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "5 new" in dry.output and "Dry run: nothing was stored." in dry.output
    assert _teams() == set()
    first = runner.invoke(qa, ["setup", "teams", str(path)])
    assert first.exit_code == 0, first.output
    assert "teams.csv: 5 new, 0 changed, 0 already as in the file." in first.output
    assert _teams() == {
        ("MASH", "Central", True),
        ("Assessment North", "North", True),
        ("Old team", None, False),
    }
    mash = db.session.scalar(select(Team).where(Team.name == "MASH"))
    (entry,) = entries_for("team", mash.id)
    assert entry.changes["file"] == "teams.csv"
    assert entry.changes["by"].startswith("command line (")
    again = runner.invoke(qa, ["setup", "teams", str(path)])
    assert again.exit_code == 0, again.output
    assert "0 new, 0 changed, 3 already as in the file" in again.output
    assert len(db.session.scalars(select(Locality)).all()) == 2


def test_a_bad_file_stores_nothing_names_row_and_column_and_echoes_no_text(app, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team,locality,active\nMASH,Central,maybe Jane Smith\n,North,\nMASH,,\n")
    result = app.test_cli_runner().invoke(qa, ["setup", "teams", str(path)])
    assert result.exit_code == 1
    assert "teams, row 2, column 'active': write yes or no (blank: yes)" in result.output
    assert "teams, row 3, column 'team': Enter the team's name" in result.output
    assert "teams, row 4, column 'team': this team is on the file twice (also row 2)" in (
        result.output
    )
    assert "Jane" not in result.output
    assert "Nothing was stored." in result.output
    assert _teams() == set() and db.session.scalars(select(Locality)).all() == []


def test_an_unknown_column_is_named(app):
    plan = check_teams_file("teams.csv", b"team,colour\nMASH,red\n")
    assert [str(p) for p in plan.problems] == [
        "teams, row 1, column 'colour': unknown column (expected: team, locality, active)"
    ]


def test_a_file_without_the_locality_or_active_column_leaves_them_as_stored(app):
    save_team("MASH", None, True, actor=None)
    plan = check_teams_file("teams.csv", b"team,locality\nMASH,Central\n")
    from qa_app.data.organisation import store_teams

    store_teams([r.data for r in plan.rows], actor=None, origin={})
    assert check_teams_file("teams.csv", b"team\nMASH\n").rows[0].action == "unchanged"
    plan = check_teams_file("teams.csv", b"team,active\nMASH,no\n")
    assert plan.rows[0].changes == "active: yes to no"
    store_teams([r.data for r in plan.rows], actor=None, origin={})
    assert _teams() == {("MASH", "Central", False)}
    blank = check_teams_file("teams.csv", b"team,locality,active\nMASH,,no\n")
    assert blank.rows[0].changes == "locality: Central to none"
