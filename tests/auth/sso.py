"""Single sign-on tests' shared fixtures and steps: the real provider (tests/support/oidc.py)
started once for the module, the app pointed at it with a mapping file, and a council sign-in
driven through it with the Flask test client on our side and requests on the provider's."""

from pathlib import Path

import pytest

from qa_app.data.organisation import save_locality, save_team
from tests.support import oidc

APP = "http://localhost"
MAPPING = """\
claim: groups
groups:
  - id: g-auditors
    name: QA team auditors
    roles: [auditor]
    teams: [Assessment Team 1]
  - id: g-leads
    roles: [qa_lead, moderator]
  - id: g-admins
    roles: [admin]
"""


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    provider = oidc.start(
        tmp_path_factory.mktemp("oidc"),
        [f"{APP}/sign-in/council/callback"],
        [f"{APP}/sign-in"],
    )
    yield provider
    provider.stop()


def settings_for(provider_issuer: str, mapping: Path, **more) -> dict:
    return {
        "QA_OIDC_ISSUER": provider_issuer,
        "QA_OIDC_CLIENT_ID": oidc.CLIENT_ID,
        "QA_OIDC_CLIENT_SECRET": oidc.CLIENT_SECRET,
        "QA_OIDC_MAPPING": str(mapping),
        "QA_OIDC_ACCOUNTS": "create",
        "QA_LOCAL_SIGN_IN": "all",
        "QA_BREAK_GLASS_USERS": "",
        **more,
    }


@pytest.fixture
def use_sso(app, oidc_provider, monkeypatch, tmp_path):
    """use_sso(**settings): the app signs in through the test provider (with these settings
    changed); the provider knows amy (auditors), lee (QA leads) and nobody (no mapped group)."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING)
    oidc_provider.set_accounts(
        {
            "amy-sub": oidc.account("amy", ["g-auditors", "unmapped-group"], name="Amy Auditor"),
            "lee-sub": oidc.account("lee", ["g-leads"]),
            "nobody-sub": oidc.account("nobody", ["some-other-group"]),
        }
    )
    team = save_team("Assessment Team 1", save_locality("North", actor=None), True, actor=None)

    def _use(**more):
        for key, value in settings_for(oidc_provider.issuer, mapping, **more).items():
            monkeypatch.setitem(app.config, key, value)
        return team

    _use()
    return _use


def start(client, next_url: str | None = None) -> str:
    """The provider's authorization address our button sends the browser to."""
    response = client.get("/sign-in/council" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def callback_for(client, provider, login: str, next_url: str | None = None) -> str:
    """The callback address (path and query) the provider sends `login` back to."""
    back = oidc.through_provider(start(client, next_url), provider.issuer, login)
    assert back.startswith(f"{APP}/sign-in/council/callback?"), back
    return back.removeprefix(APP)


def council_sign_in(client, provider, login: str, next_url: str | None = None):
    return client.get(callback_for(client, provider, login, next_url))
