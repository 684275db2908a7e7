"""Accounts from a file: checked whole, no passwords, no administrators unless allowed."""

from sqlalchemy import select

from qa_app.cli.commands import qa
from qa_app.data.organisation import save_team
from qa_app.data.users import authenticate, find_by_username
from qa_app.extensions import db
from qa_app.imports.accounts import check_accounts_file
from qa_app.models import Role, User

GOOD = (
    "username,display_name,email,roles,teams\n"
    "asmith,Alex Smith,alex@example.gov.uk,auditor,MASH\n"
    "blee,Bo Lee,,QA lead; moderator,\n"
)


def test_accounts_are_made_once_with_roles_and_teams_and_no_known_password(app, tmp_path):
    save_team("MASH", None, True, actor=None)
    path = tmp_path / "accounts.csv"
    path.write_text(GOOD)
    runner = app.test_cli_runner()
    first = runner.invoke(qa, ["setup", "accounts", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 new, 0 changed" in first.output
    assert "no password yet" in first.output
    alex = find_by_username("asmith")
    assert alex.roles == {Role.AUDITOR} and [t.name for t in alex.teams] == ["MASH"]
    assert find_by_username("blee").roles == {Role.QA_LEAD, Role.MODERATOR}
    assert authenticate("asmith", "") is None
    again = runner.invoke(qa, ["setup", "accounts", str(path)])
    assert "0 new, 0 changed, 2 already as in the file" in again.output


def test_unknown_roles_and_teams_and_the_administrator_role_are_refused(app):
    plan = check_accounts_file(
        "accounts.csv",
        b"username,display_name,roles,teams\n"
        b"x1,X One,wizard,\n"
        b"x2,X Two,auditor,Jane Smith's team\n"
        b"x3,X Three,admin,\n"
        b"bad name,X Four,auditor,\n",
    )
    assert [str(p) for p in plan.problems] == [
        "accounts, row 2, column 'roles': 1 unknown role (use admin, qa_lead, moderator, "
        "auditor, senior_manager, board_viewer)",
        "accounts, row 3, column 'teams': 1 team not set up (teams are set up under "
        "Administration, Teams and localities)",
        "accounts, row 4, column 'roles': a file does not make administrators: give this role "
        "under Accounts",
        "accounts, row 5, column 'username': use 1 to 80 letters, digits and . _ @ - (no spaces)",
    ]
    assert plan.rows == []
    allowed = check_accounts_file(
        "accounts.csv", b"username,display_name,roles\nx3,X Three,admin\n", allow_admin=True
    )
    assert allowed.problems == [] and allowed.rows[0].data["roles"] == ["admin"]


def test_a_file_never_takes_the_administrator_role_away(app, make_user, tmp_path):
    make_user(Role.ADMIN, Role.AUDITOR, username="boss")
    path = tmp_path / "accounts.csv"
    path.write_text("username,display_name,roles\nboss,The Boss,auditor\n")
    result = app.test_cli_runner().invoke(qa, ["setup", "accounts", str(path)])
    assert result.exit_code == 0, result.output
    boss = db.session.scalar(select(User).where(User.username == "boss"))
    assert Role.ADMIN in boss.roles and boss.display_name == "The Boss"


def test_a_file_without_the_email_or_teams_column_leaves_them_as_stored(app, tmp_path):
    save_team("MASH", None, True, actor=None)
    path = tmp_path / "accounts.csv"
    path.write_text(GOOD)
    runner = app.test_cli_runner()
    assert runner.invoke(qa, ["setup", "accounts", str(path)]).exit_code == 0
    path.write_text("username,display_name,roles\nasmith,Alex Smith,auditor; moderator\n")
    result = runner.invoke(qa, ["setup", "accounts", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed" in result.output
    assert "roles: Auditor to Auditor, Moderator" in result.output
    alex = find_by_username("asmith")
    assert alex.email == "alex@example.gov.uk" and [t.name for t in alex.teams] == ["MASH"]
    assert alex.roles == {Role.AUDITOR, Role.MODERATOR}
    path.write_text("username,display_name,roles,teams\nasmith,Alex Smith,auditor,\n")
    assert runner.invoke(qa, ["setup", "accounts", str(path)]).exit_code == 0
    alex = find_by_username("asmith")
    assert alex.teams == [] and alex.email == "alex@example.gov.uk"


def test_accounts_made_and_roles_changed_by_a_file_are_in_the_security_log(app, tmp_path):
    from qa_app.data.security_log import recent_events

    path = tmp_path / "accounts.csv"
    path.write_text("username,display_name,roles\nboss,Bo Ss,administrator\n")
    runner = app.test_cli_runner()
    made = runner.invoke(qa, ["setup", "accounts", str(path), "--allow-admin"])
    assert made.exit_code == 0, made.output
    path.write_text("username,display_name,roles\nboss,Bo Ss,administrator; auditor\n")
    assert runner.invoke(qa, ["setup", "accounts", str(path)]).exit_code == 0
    path.write_text("username,display_name,roles\nboss,Bo Ss Renamed,administrator; auditor\n")
    assert runner.invoke(qa, ["setup", "accounts", str(path)]).exit_code == 0
    events = [(e.event, e.detail) for e in reversed(recent_events())]
    assert [e for e, _ in events] == ["account_created", "account_changed"]
    assert events[0][1].startswith("created boss with roles admin from accounts.csv by ")
    assert events[1][1].startswith("changed boss: roles admin to admin, auditor from accounts")


def test_a_team_whose_name_holds_a_comma_is_named_whole_in_an_accounts_file(app):
    save_team("Assessment, North", None, True, actor=None)
    save_team("MASH", None, True, actor=None)
    rows = (
        "username,display_name,roles,teams\n"
        'asmith,Alex Smith,auditor,"Assessment, North; MASH"\n'
        'blee,Bo Lee,auditor,"MASH, Assessment, North"\n'
    )
    plan = check_accounts_file("accounts.csv", rows.encode())
    assert plan.problems == []
    assert [r.data["teams"] for r in plan.rows] == [
        ["Assessment, North", "MASH"],
        ["Assessment, North", "MASH"],
    ]
