"""Council sign-in beside local accounts: the sign-in page offers the council's button first;
QA_LOCAL_SIGN_IN=break-glass keeps passwords for the named administrators only (who still get
in while the provider is down, and keep the app's own second step); signing out ends the
session here and sends a council sign-in on to the provider's end-session address."""

from urllib.parse import parse_qs, urlsplit

import requests
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Role, SecurityEvent, UserSession
from tests.auth.sso import APP, council_sign_in
from tests.helpers import csrf_token, sign_in
from tests.support import oidc
from tests.support.visible_text import visible_text

WRONG = "The username or password is not right"


def _refused_locally() -> list[str]:
    return list(
        db.session.scalars(
            select(SecurityEvent.detail).where(SecurityEvent.event == "local_sign_in_refused")
        )
    )


def test_the_sign_in_page_offers_the_council_first(app, use_sso):
    html = app.test_client().get("/sign-in").get_data(as_text=True)
    text = visible_text(html)
    assert text.index("Sign in with your council account") < text.index(
        "Sign in with a Practice QA password"
    )
    assert 'href="/sign-in/council"' in html
    assert "govuk-button--start" in html
    assert "emergency administrator" not in text


def test_the_sign_in_page_without_single_sign_on(app):
    text = visible_text(app.test_client().get("/sign-in").get_data(as_text=True))
    assert "council account" not in text
    assert "Sign in with a Practice QA password" not in text


def test_break_glass_only_the_named_administrator_signs_in_with_a_password(app, use_sso, make_user):
    use_sso(
        QA_OIDC_ISSUER=f"http://127.0.0.1:{oidc.free_port()}",  # the provider is down
        QA_LOCAL_SIGN_IN="break-glass",
        QA_BREAK_GLASS_USERS="Emergency.Admin, someone.else",
    )
    make_user(Role.ADMIN, username="emergency.admin")
    make_user(Role.ADMIN, username="other.admin")
    make_user(Role.AUDITOR, username="someone.else")  # listed, but not an administrator
    page = visible_text(app.test_client().get("/sign-in").get_data(as_text=True))
    assert "only for the named emergency administrator accounts" in page
    assert app.test_client().get("/sign-in/council").status_code == 200  # provider down
    client = app.test_client()
    response = sign_in(client, "emergency.admin")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    for username in ("other.admin", "someone.else"):
        response = sign_in(app.test_client(), username)
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)  # as for a wrong password
    assert ["break-glass accounts" in r for r in _refused_locally()] == [True, False]
    assert "administrator role" in _refused_locally()[1]


def test_a_break_glass_administrator_keeps_the_apps_second_step(app, use_sso, make_user):
    use_sso(QA_LOCAL_SIGN_IN="break-glass", QA_BREAK_GLASS_USERS="emergency.admin")
    make_user(Role.ADMIN, username="emergency.admin")
    get_settings().mfa_required_roles = ["admin"]
    db.session.commit()
    response = sign_in(app.test_client(), "emergency.admin")
    assert response.headers["Location"] == "/sign-in/set-up"


def test_signing_out_ends_the_providers_session_too(app, use_sso, oidc_provider):
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    where = urlsplit(response.headers["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{oidc_provider.issuer}/session/end"
    query = parse_qs(where.query)
    assert query["post_logout_redirect_uri"] == [f"{APP}/sign-in"]
    assert query["id_token_hint"][0].count(".") == 2
    assert db.session.scalar(select(UserSession.end_reason)) == "signed_out"
    assert client.get("/").status_code == 302
    # the provider accepts the hint and the address to come back to (else its error page)
    page = requests.get(response.headers["Location"], timeout=10)
    assert page.status_code == 200
    assert "<title>Error" not in page.text


def test_signing_out_when_the_provider_is_down(app, use_sso, oidc_provider, monkeypatch):
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    use_sso(QA_OIDC_ISSUER=f"http://127.0.0.1:{oidc.free_port()}")
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/").status_code == 302


def test_a_local_account_signs_out_locally(app, use_sso, client_as):
    client = client_as(Role.AUDITOR)
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert response.headers["Location"] == "/sign-in"


def test_a_token_too_long_for_the_cookie_signs_out_by_client_id(
    app, use_sso, oidc_provider, monkeypatch
):
    from qa_app.auth import sso_routes

    monkeypatch.setattr(sso_routes, "ID_TOKEN_KEPT_UP_TO", 10)
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert "id_token_hint" not in query
    assert query["client_id"] == [oidc.CLIENT_ID]
    assert requests.get(response.headers["Location"], timeout=10).status_code == 200


def test_a_council_accounts_page_has_no_password_or_two_step_forms(app, use_sso, oidc_provider):
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    text = visible_text(client.get("/account").get_data(as_text=True))
    assert "You sign in with your council account" in text
    assert "Change your password" not in text
    assert "Two-step sign-in" not in text


def test_a_council_account_is_not_offered_the_apps_second_step(app, use_sso, oidc_provider):
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    response = client.get("/account/two-step")
    assert response.headers["Location"] == "/account"
