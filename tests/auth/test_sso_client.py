"""Single sign-on's settings: off without an issuer; every setting that cannot work stops the
app being built, naming the setting (and, for the mapping file, the file and line)."""

import pytest

from qa_app import create_app
from qa_app.auth import sso_client
from qa_app.auth.sso_client import SsoConfigError
from tests.auth.sso import MAPPING

GOOD = {
    "QA_OIDC_ISSUER": "https://login.example/tenant/v2.0/",
    "QA_OIDC_CLIENT_ID": "client",
    "QA_OIDC_CLIENT_SECRET": "secret",
}


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING)
    return str(path)


def test_off_without_an_issuer():
    assert sso_client.settings({}) is None
    assert sso_client.build({"QA_OIDC_CLIENT_ID": "x"}) is None


def test_the_defaults(mapping):
    chosen = sso_client.settings({**GOOD, "QA_OIDC_MAPPING": mapping})
    assert chosen is not None
    assert chosen.issuer == "https://login.example/tenant/v2.0"
    assert chosen.scopes == "openid profile email"
    assert chosen.button_text == "Sign in with your council account"
    assert chosen.create_accounts is True
    assert (chosen.timeout, chosen.leeway) == (5, 60)
    local = sso_client.local_sign_in({})
    assert not local.break_glass_only and local.allows("anyone")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"QA_OIDC_CLIENT_ID": ""}, "QA_OIDC_CLIENT_ID"),
        ({"QA_OIDC_CLIENT_SECRET": " "}, "QA_OIDC_CLIENT_SECRET"),
        ({"QA_OIDC_MAPPING": ""}, "QA_OIDC_MAPPING"),
        ({"QA_OIDC_ISSUER": "login.example"}, "QA_OIDC_ISSUER"),
        ({"QA_OIDC_SCOPES": "profile email"}, "QA_OIDC_SCOPES"),
        ({"QA_OIDC_ACCOUNTS": "sometimes"}, "QA_OIDC_ACCOUNTS"),
    ],
)
def test_a_setting_that_cannot_work_is_named(mapping, change, named):
    with pytest.raises(SsoConfigError, match=named):
        sso_client.build({**GOOD, "QA_OIDC_MAPPING": mapping, **change})


def test_a_missing_mapping_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(SsoConfigError) as raised:
        sso_client.build({**GOOD, "QA_OIDC_MAPPING": str(missing)})
    assert "QA_OIDC_MAPPING" in str(raised.value)
    assert f"{missing}:1: the file cannot be read" in str(raised.value)


def test_break_glass_with_nobody_named():
    with pytest.raises(SsoConfigError, match="QA_BREAK_GLASS_USERS"):
        sso_client.local_sign_in({"QA_LOCAL_SIGN_IN": "break-glass"})
    with pytest.raises(SsoConfigError, match="QA_LOCAL_SIGN_IN"):
        sso_client.local_sign_in({"QA_LOCAL_SIGN_IN": "none"})
    local = sso_client.local_sign_in(
        {"QA_LOCAL_SIGN_IN": "Break-Glass", "QA_BREAK_GLASS_USERS": " Admin.One ,admin.two,"}
    )
    assert local.break_glass == {"admin.one", "admin.two"}
    assert local.allows("ADMIN.ONE") and not local.allows("auditor")


def test_create_app_stops_on_a_bad_mapping_file(tmp_path):
    bad = tmp_path / "mapping.yaml"
    bad.write_text("groups:\n  - id: g1\n    roles: [auditor, chief]\n")
    with pytest.raises(SsoConfigError) as raised:
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                **GOOD,
                "QA_OIDC_MAPPING": str(bad),
            }
        )
    assert f"{bad}:3: unknown role 'chief'" in str(raised.value)


def test_create_app_never_asks_the_provider(tmp_path, mapping):
    """The provider is not reachable at this address; the app is built all the same."""
    built = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
            **GOOD,
            "QA_OIDC_ISSUER": "http://127.0.0.1:9",
            "QA_OIDC_MAPPING": mapping,
        }
    )
    assert built.extensions["qa_sso"][1] is not None
