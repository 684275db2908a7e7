"""The `flask --app qa_app qa …` commands, run through Flask's CLI test runner."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from sqlalchemy import func, select

from qa_app.data import organisation, users
from qa_app.demo.seed import DEMO_PASSWORD
from qa_app.extensions import db
from qa_app.models import (
    AuditTemplate,
    ChangeLogEntry,
    Locality,
    Role,
    Scale,
    Team,
    TemplateVersion,
    Theme,
    User,
)

SHIPPED = (
    "cin_plan",
    "cp_plan_visits",
    "icpc_reports",
    "observe_meeting",
    "shadow_practitioner",
    "single_assessment",
)
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def _run(*args: str, input: str | None = None):
        return runner.invoke(args=["qa", *args], input=input)

    return _run


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "audit_templates"
    shutil.copytree(REPO / "audit_templates", target)
    return target


def _break(directory: Path) -> tuple[Path, int]:
    """Give cin_plan.yaml a question of an unknown type; (file, line of the bad type)."""
    path = directory / "cin_plan.yaml"
    lines = path.read_text().splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "type: date")
    lines[line - 1] = lines[line - 1].replace("type: date", "type: calendar")
    path.write_text("".join(lines))
    return path, line


# --- create-user --------------------------------------------------------------------------


def test_create_user_with_two_roles_reads_the_password_from_stdin(cli):
    result = cli(
        "create-user",
        "j.bloggs",
        "--role",
        "auditor",
        "--role",
        "moderator",
        "--name",
        "Jo Bloggs",
        input="a-long-password-1\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created j.bloggs (Auditor, Moderator)" in result.output
    user = users.find_by_username("j.bloggs")
    assert user.roles == {Role.AUDITOR, Role.MODERATOR}
    assert user.display_name == "Jo Bloggs"
    assert user.password_hash.startswith("$argon2")
    assert users.authenticate("j.bloggs", "a-long-password-1") == user


def test_create_user_without_a_name_uses_the_username(cli):
    result = cli("create-user", "qa.officer", "--role", "auditor", input="a-long-password-1\n")
    assert result.exit_code == 0, result.output
    assert users.find_by_username("qa.officer").display_name == "qa.officer"


def test_create_user_puts_the_account_in_the_named_teams_whatever_the_case(cli):
    organisation.save_team("Safeguarding North", None, True, actor=None)
    organisation.save_team("MASH", None, True, actor=None)

    result = cli(
        "create-user",
        "worker",
        "--role",
        "auditor",
        "--team",
        "safeguarding north",
        "--team",
        "MASH",
        input="a-long-password-1\n",
    )

    assert result.exit_code == 0, result.output
    assert sorted(t.name for t in users.find_by_username("worker").teams) == [
        "MASH",
        "Safeguarding North",
    ]


def test_create_user_naming_a_team_twice_puts_it_in_the_team_once(cli):
    organisation.save_team("MASH", None, True, actor=None)

    result = cli(
        "create-user",
        "worker",
        "--role",
        "auditor",
        "--team",
        "MASH",
        "--team",
        "mash",
        input="a-long-password-1\n",
    )

    assert result.exit_code == 0, result.output
    assert [t.name for t in users.find_by_username("worker").teams] == ["MASH"]


def test_create_user_short_password_fails_with_the_reason_and_stores_nothing(cli):
    result = cli("create-user", "j.bloggs", "--role", "auditor", input="short-pw\n")

    assert result.exit_code != 0
    assert "Password must be at least 12 characters" in result.output
    assert users.find_by_username("j.bloggs") is None
    assert _count(User) == 0


def test_create_user_unknown_team_fails_and_stores_nothing(cli):
    organisation.save_team("MASH", None, True, actor=None)

    result = cli(
        "create-user",
        "j.bloggs",
        "--role",
        "auditor",
        "--team",
        "Atlantis",
        input="a-long-password-1\n",
    )

    assert result.exit_code != 0
    assert "no such team: Atlantis" in result.output
    assert _count(User) == 0


def test_create_user_duplicate_username_fails(cli, make_user):
    make_user(Role.AUDITOR, username="j.bloggs")
    result = cli("create-user", "J.BLOGGS", "--role", "auditor", input="a-long-password-1\n")
    assert result.exit_code != 0
    assert "already taken" in result.output
    assert _count(User) == 1


def test_create_user_unknown_role_is_refused(cli):
    result = cli("create-user", "j.bloggs", "--role", "superuser", input="a-long-password-1\n")
    assert result.exit_code == 2
    assert "superuser" in result.output
    assert _count(User) == 0


def test_create_user_records_the_creation_in_the_change_log(cli):
    cli("create-user", "j.bloggs", "--role", "admin", input="a-long-password-1\n")
    user = users.find_by_username("j.bloggs")
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "user", ChangeLogEntry.entity_id == str(user.id)
        )
    )
    assert entry.action == "created"
    assert "a-long-password-1" not in str(entry.changes)


# --- templates validate -------------------------------------------------------------------


def test_validate_the_shipped_templates_says_ok(cli):
    result = cli("templates", "validate")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 6 templates")
    assert _count(TemplateVersion) == 0  # validating stores nothing


def test_validate_a_directory_given_by_path(cli, tmp_path):
    result = cli("templates", "validate", str(_copy(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "OK: 6 templates" in result.output


def test_validate_a_broken_copy_exits_1_with_file_and_line_for_each_problem(cli, tmp_path):
    directory = _copy(tmp_path)
    path, line = _break(directory)

    result = cli("templates", "validate", str(directory))

    assert result.exit_code == 1
    problems = [PROBLEM_LINE.match(x) for x in result.stdout.splitlines()]
    assert problems and all(problems), result.stdout
    assert {(Path(p["file"]), int(p["line"])) for p in problems} == {(path, line)}
    assert "calendar" in problems[0]["message"]
    assert "1 problem found" in result.stderr
    assert "OK:" not in result.output


def test_validate_a_single_file_outside_audit_templates_uses_their_vocabulary(cli):
    result = cli("templates", "validate", str(REPO / "docs" / "example_template.yaml"))

    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 1 template, 2 scales")


def test_validate_a_single_broken_file_reports_its_line(cli, tmp_path):
    directory = _copy(tmp_path)
    path, line = _break(directory)

    result = cli("templates", "validate", str(path))

    assert result.exit_code == 1
    [problem] = [PROBLEM_LINE.match(x) for x in result.stdout.splitlines()]
    assert (Path(problem["file"]), int(problem["line"])) == (path, line)


def test_validate_a_single_file_is_checked_against_audit_templates_vocabulary(cli, tmp_path):
    """As docs/templates.md says: a single file, wherever it is kept, is checked against the
    scales and themes in audit_templates/, even if a scales.yaml sits beside it."""
    directory = _copy(tmp_path)
    scales = directory / "scales.yaml"
    scales.write_text(
        scales.read_text()
        + (
            "\n  - key: two_point\n    name: Met / not met\n    levels:\n"
            "      - {key: met, label: Met}\n      - {key: not_met, label: Not met}\n"
        )
    )
    cin = directory / "cin_plan.yaml"
    cin.write_text(cin.read_text().replace("scale: ofsted4\n", "scale: two_point\n", 1))

    as_file = cli("templates", "validate", str(cin))
    as_directory = cli("templates", "validate", str(directory))

    assert as_file.exit_code == 1
    assert "scale 'two_point' does not exist" in as_file.stdout
    assert as_directory.exit_code == 0, as_directory.output
    assert "OK: 6 templates, 3 scales" in as_directory.output


def test_validate_a_missing_path_is_a_usage_error(cli, tmp_path):
    result = cli("templates", "validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


# --- templates load -----------------------------------------------------------------------


def test_load_twice_stores_each_template_once_and_then_says_unchanged(cli):
    first = cli("templates", "load")

    assert first.exit_code == 0, first.output
    for key in SHIPPED:
        assert f"{key}: created, version 1" in first.output
    counts = (
        _count(TemplateVersion),
        _count(AuditTemplate),
        _count(Scale),
        _count(Theme),
        _count(ChangeLogEntry),
    )
    assert counts[:2] == (6, 6)

    second = cli("templates", "load")

    assert second.exit_code == 0, second.output
    assert sorted(second.output.splitlines()) == sorted(
        f"{key}: unchanged (version 1)" for key in SHIPPED
    )
    assert (
        _count(TemplateVersion),
        _count(AuditTemplate),
        _count(Scale),
        _count(Theme),
        _count(ChangeLogEntry),
    ) == counts


def test_load_a_changed_copy_makes_a_new_version(cli, tmp_path):
    cli("templates", "load")
    directory = _copy(tmp_path)
    cin = directory / "cin_plan.yaml"
    cin.write_text(
        cin.read_text().replace("name: Child in need plan\n", "name: Child in need plan audit\n", 1)
    )

    result = cli("templates", "load", str(directory))

    assert result.exit_code == 0, result.output
    assert "cin_plan: new version 2" in result.output
    assert "icpc_reports: unchanged (version 1)" in result.output
    assert _count(TemplateVersion) == 7


def test_load_a_directory_with_a_broken_file_stores_nothing_and_exits_1(cli, tmp_path):
    directory = _copy(tmp_path)
    path, line = _break(directory)

    result = cli("templates", "load", str(directory))

    assert result.exit_code == 1
    assert f"{path}:{line}: " in result.stdout
    assert "Nothing was loaded" in result.stderr
    for model in (TemplateVersion, AuditTemplate, Scale, Theme, ChangeLogEntry):
        assert _count(model) == 0, model.__name__


def test_load_a_broken_copy_after_a_good_load_changes_nothing(cli, tmp_path):
    cli("templates", "load")
    counts = (_count(TemplateVersion), _count(ChangeLogEntry))
    directory = _copy(tmp_path)
    _break(directory)
    (directory / "icpc_reports.yaml").write_text(
        (directory / "icpc_reports.yaml")
        .read_text()
        .replace("text: Comment\n", "text: Any comment\n")
    )

    result = cli("templates", "load", str(directory))

    assert result.exit_code == 1
    assert (_count(TemplateVersion), _count(ChangeLogEntry)) == counts


# --- seed-demo ----------------------------------------------------------------------------

DEMO_ACCOUNTS = {"admin", "qa.lead", "moderator", "auditor", "senior.manager", "board.viewer"}


def test_seed_demo_creates_the_six_demo_accounts_and_teams(cli):
    result = cli("seed-demo", "--if-empty")

    assert result.exit_code == 0, result.output
    assert "Demo data created" in result.output
    assert set(db.session.scalars(select(User.username))) == DEMO_ACCOUNTS
    assert users.find_by_username("admin").roles == {Role.ADMIN}
    assert users.find_by_username("board.viewer").roles == {Role.BOARD_VIEWER}
    assert [t.name for t in users.find_by_username("auditor").teams] == ["Safeguarding North"]
    assert users.authenticate("qa.lead", DEMO_PASSWORD) is not None
    assert _count(Locality) == 3
    assert _count(Team) == 8
    assert organisation.get_settings().council_name == "Exampleshire County Council"


def test_seed_demo_if_empty_a_second_time_changes_nothing(cli):
    cli("seed-demo", "--if-empty")
    counts = [_count(m) for m in (User, Team, Locality, ChangeLogEntry)]
    hashes = dict(db.session.execute(select(User.username, User.password_hash)).all())

    result = cli("seed-demo", "--if-empty")

    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert [_count(m) for m in (User, Team, Locality, ChangeLogEntry)] == counts
    assert dict(db.session.execute(select(User.username, User.password_hash)).all()) == hashes


def test_seed_demo_if_empty_does_nothing_when_a_real_account_exists(cli, make_user):
    make_user(Role.ADMIN, username="real.admin")
    result = cli("seed-demo", "--if-empty")
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    assert set(db.session.scalars(select(User.username))) == {"real.admin"}
    assert _count(Team) == 0


def test_seed_demo_without_if_empty_adds_what_is_missing_only(cli):
    cli("seed-demo")
    counts = [_count(m) for m in (User, Team, Locality)]
    result = cli("seed-demo")
    assert result.exit_code == 0, result.output
    assert [_count(m) for m in (User, Team, Locality)] == counts


def test_seed_demo_reuses_a_team_or_locality_that_differs_only_in_case(cli, make_user):
    organisation.save_locality("north", actor=None)
    organisation.save_team("mash", None, True, actor=None)
    make_user(Role.ADMIN, username="real.admin")

    result = cli("seed-demo")

    assert result.exit_code == 0, result.output
    assert (
        db.session.scalar(select(func.count(Team.id)).where(func.lower(Team.name) == "mash")) == 1
    )
    assert (
        db.session.scalar(
            select(func.count(Locality.id)).where(func.lower(Locality.name) == "north")
        )
        == 1
    )
    assert _count(Team) == 8
    assert _count(Locality) == 3


def test_seed_demo_on_an_install_with_accounts_keeps_its_council_name(cli, make_user):
    admin = make_user(Role.ADMIN, username="real.admin")
    organisation.update_settings(
        council_name="Northshire County Council",
        service_name="Audit Hub",
        case_reference_pattern="[0-9]{6}",
        case_reference_hint="6 digits",
        small_number_threshold=5,
        actor=admin,
    )

    result = cli("seed-demo")

    assert result.exit_code == 0, result.output
    settings = organisation.get_settings()
    assert (settings.council_name, settings.service_name) == (
        "Northshire County Council",
        "Audit Hub",
    )
    assert "auditor" in set(db.session.scalars(select(User.username)))


def test_load_records_who_loaded_each_version(cli, make_user):
    lead = make_user(Role.QA_LEAD, username="lead.loader")
    result = cli("templates", "load", "--user", "lead.loader")
    assert result.exit_code == 0, result.output
    versions = db.session.scalars(select(TemplateVersion)).all()
    assert {v.created_by_id for v in versions} == {lead.id}
    logs = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "version_created")
    ).all()
    assert {entry.user_id for entry in logs} == {lead.id}


def test_load_without_a_user_records_the_command_line_as_the_source(cli):
    assert cli("templates", "load").exit_code == 0
    logs = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "version_created")
    ).all()
    assert logs and all(e.changes["loaded_by"].startswith("command line (") for e in logs)


def test_load_as_an_unknown_user_is_refused_and_stores_nothing(cli):
    result = cli("templates", "load", "--user", "nobody")
    assert result.exit_code != 0 and "no such account: nobody" in result.output
    assert db.session.scalar(select(func.count(TemplateVersion.id))) == 0
