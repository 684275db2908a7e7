"""`flask qa sso check`: the settings, the mapping file by file and line, the team names against
the database and the break-glass accounts; exit 1 on any problem."""

from qa_app.cli.commands import qa
from qa_app.data.organisation import save_locality, save_team
from qa_app.models import Role
from tests.auth.sso import MAPPING


def _check(app, monkeypatch, *args, **settings):
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return app.test_cli_runner().invoke(qa, ["sso", "check", *args])


def _sso_on(tmp_path, text: str = MAPPING) -> dict:
    path = tmp_path / "mapping.yaml"
    path.write_text(text)
    return {
        "QA_OIDC_ISSUER": "https://login.example/tenant/v2.0",
        "QA_OIDC_CLIENT_ID": "client",
        "QA_OIDC_CLIENT_SECRET": "secret",
        "QA_OIDC_MAPPING": str(path),
    }


def test_a_good_mapping(app, monkeypatch, tmp_path):
    save_team("Assessment Team 1", save_locality("North", actor=None), True, actor=None)
    result = _check(app, monkeypatch, **_sso_on(tmp_path))
    assert result.exit_code == 0, result.output
    assert "the groups claim; 3 groups:" in result.output
    assert "g-auditors (QA team auditors): roles auditor; teams Assessment Team 1" in result.output
    assert "g-leads: roles moderator, qa_lead" in result.output
    assert result.output.rstrip().endswith("No problems found.")


def test_a_team_no_team_has(app, monkeypatch, tmp_path):
    settings = _sso_on(tmp_path)
    result = _check(app, monkeypatch, **settings)
    assert result.exit_code == 1
    assert (
        f"{settings['QA_OIDC_MAPPING']}:3: no team is called 'Assessment Team 1'" in result.output
    )
    assert "1 problem found." in result.output


def test_a_file_with_problems_given_by_hand(app, monkeypatch, tmp_path):
    other = tmp_path / "new-mapping.yaml"
    other.write_text("groups:\n  - id: a\n    roles: [chief]\n  - id: a\n    roles: [auditor]\n")
    result = _check(app, monkeypatch, "--mapping", str(other))
    assert result.exit_code == 1
    assert f"{other}:3: unknown role 'chief'" in result.output
    assert f"{other}:4: the id 'a' is already mapped on line 2" in result.output
    assert "2 problems found." in result.output


def test_the_break_glass_accounts(app, monkeypatch, make_user):
    make_user(Role.ADMIN, username="emergency.admin")
    make_user(Role.AUDITOR, username="not.an.admin")
    result = _check(
        app,
        monkeypatch,
        QA_LOCAL_SIGN_IN="break-glass",
        QA_BREAK_GLASS_USERS="emergency.admin,not.an.admin,nobody",
    )
    assert result.exit_code == 1
    assert "Single sign-on is off" in result.output
    assert "QA_BREAK_GLASS_USERS: 'not.an.admin' does not hold the administrator role" in (
        result.output
    )
    assert "QA_BREAK_GLASS_USERS: there is no account 'nobody'" in result.output
    assert "emergency.admin'" not in result.output


def test_settings_that_cannot_work(app, monkeypatch, tmp_path):
    result = _check(app, monkeypatch, **{**_sso_on(tmp_path), "QA_OIDC_CLIENT_ID": ""})
    assert result.exit_code == 1
    assert "QA_OIDC_CLIENT_ID" in result.output
