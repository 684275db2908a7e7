"""Council sign-ins that must fail, against a real provider: a replayed or foreign state, an
error sent back by the provider, a tampered ID token, a token meant for another app, an expired
token, and a provider that is down. Each shows the sign-in page with a plain message and no
detail, and the detail is in the security log. Tampering is done to the HTTP answer the app
receives from the provider's token endpoint, never to our checks."""

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import select

from qa_app.auth import sso_client, sso_routes
from qa_app.extensions import db
from qa_app.models import SecurityEvent, User
from tests.auth.sso import APP, callback_for, start
from tests.helpers import csrf_token
from tests.support import oidc
from tests.support.visible_text import visible_text

TECHNICAL = ("Error", "token", "signature", "aud", "state", "nonce", "127.0.0.1")


def _refusals() -> list[str]:
    return list(
        db.session.scalars(select(SecurityEvent.detail).where(SecurityEvent.event == "sso_refused"))
    )


def _plain(response, message: str) -> None:
    page = visible_text(response.get_data(as_text=True))
    assert message in page
    for word in TECHNICAL:
        assert word not in page.replace(message, ""), word


def _no_account() -> None:
    assert db.session.scalar(select(User)) is None


def _change_token_response(monkeypatch, change) -> None:
    """The app's next answers from the provider's token endpoint pass through `change`."""
    send = HTTPAdapter.send

    def changed(self, request, **kwargs):
        response = send(self, request, **kwargs)
        if request.method == "POST" and urlsplit(request.url).path == "/token":
            body = response.json()
            body["id_token"] = change(body["id_token"])
            response._content = json.dumps(body).encode()
        return response

    monkeypatch.setattr(HTTPAdapter, "send", changed)


def test_the_same_callback_twice_is_refused(app, use_sso, oidc_provider):
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "amy-sub")
    assert client.get(callback).status_code == 302
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    again = client.get(callback)  # the state was used once and is gone
    assert again.status_code == 400
    _plain(again, sso_routes.DID_NOT_WORK)
    elsewhere = app.test_client().get(callback)  # another browser: not its state
    assert elsewhere.status_code == 400
    refusals = _refusals()
    assert len(refusals) == 2 and all("state" in r for r in refusals)


def _csrf(client) -> str:
    return csrf_token(client, "/")


def test_a_changed_state_is_refused(app, use_sso, oidc_provider):
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "amy-sub")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    response = client.get(callback.replace(state, "x" + state[1:]))
    assert response.status_code == 400
    assert "state" in _refusals()[0]
    _no_account()


def test_an_error_from_the_provider(app, use_sso):
    client = app.test_client()
    start(client)
    response = client.get("/sign-in/council/callback?error=access_denied&error_description=no")
    assert response.status_code == 400
    _plain(response, sso_routes.DID_NOT_WORK)
    assert _refusals() == ["provider returned access_denied: no"]


def test_a_tampered_id_token_is_refused(app, use_sso, oidc_provider, monkeypatch):
    def flip_a_signature_byte(token: str) -> str:
        head, body, signature = token.split(".")
        raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
        raw[10] ^= 0x01
        return f"{head}.{body}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"

    _change_token_response(monkeypatch, flip_a_signature_byte)
    client = app.test_client()
    response = client.get(callback_for(client, oidc_provider, "amy-sub"))
    assert response.status_code == 400
    _plain(response, sso_routes.DID_NOT_WORK)
    assert "BadSignatureError" in _refusals()[0]
    _no_account()


def test_a_tampered_claim_is_refused(app, use_sso, oidc_provider, monkeypatch):
    """Claims changed under a valid signature (groups widened): the signature no longer fits."""

    def widen_groups(token: str) -> str:
        head, body, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["groups"] = ["g-admins"]
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{head}.{body}.{signature}"

    _change_token_response(monkeypatch, widen_groups)
    client = app.test_client()
    assert client.get(callback_for(client, oidc_provider, "amy-sub")).status_code == 400
    _no_account()


def test_a_token_meant_for_another_app_is_refused(app, use_sso, oidc_provider, monkeypatch):
    client = app.test_client()
    authorize = start(client)
    nonce = parse_qs(urlsplit(authorize).query)["nonce"][0]
    theirs = oidc.other_apps_id_token(oidc_provider, "amy-sub", nonce)
    _change_token_response(monkeypatch, lambda _ours: theirs)
    back = oidc.through_provider(authorize, oidc_provider.issuer, "amy-sub")
    response = client.get(back.removeprefix(APP))
    assert response.status_code == 400
    _plain(response, sso_routes.DID_NOT_WORK)
    assert "aud" in _refusals()[0]
    _no_account()


def test_an_expired_token_is_refused(app, use_sso, oidc_provider, monkeypatch):
    """The provider's ID tokens last an hour: an hour and the leeway later, ours is stale."""
    late = 3600 + app.config["QA_OIDC_LEEWAY_SECONDS"] + 5
    monkeypatch.setattr(sso_client, "clock", lambda: time.time() + late)
    client = app.test_client()
    response = client.get(callback_for(client, oidc_provider, "amy-sub"))
    assert response.status_code == 400
    assert "ExpiredTokenError" in _refusals()[0]
    _no_account()


def test_a_token_within_the_leeway_is_accepted(app, use_sso, oidc_provider, monkeypatch):
    early = app.config["QA_OIDC_LEEWAY_SECONDS"] - 10  # our clock a little behind the provider's
    monkeypatch.setattr(sso_client, "clock", lambda: time.time() - early)
    client = app.test_client()
    assert client.get(callback_for(client, oidc_provider, "amy-sub")).status_code == 302


def test_a_provider_that_is_down(app, use_sso):
    use_sso(QA_OIDC_ISSUER=f"http://127.0.0.1:{oidc.free_port()}")
    response = app.test_client().get("/sign-in/council")
    assert response.status_code == 200
    _plain(response, sso_routes.UNAVAILABLE)
    assert 'id="username"' in response.get_data(as_text=True)  # the password form is still there
    assert "provider unreachable" in _refusals()[0]


def test_a_provider_that_goes_down_during_the_sign_in(app, use_sso, oidc_provider, monkeypatch):
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "amy-sub")

    def down(self, request, **kwargs):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(HTTPAdapter, "send", down)
    response = client.get(callback)
    assert response.status_code == 200
    _plain(response, sso_routes.UNAVAILABLE)
    assert "token endpoint" in _refusals()[0]


@pytest.mark.parametrize("path", ["/sign-in/council", "/sign-in/council/callback?code=x&state=y"])
def test_council_sign_in_when_it_is_not_set_up(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"


def test_clicking_the_button_again_and_again_keeps_the_cookie_small(app, use_sso, oidc_provider):
    client = app.test_client()
    for _ in range(6):
        start(client)
    with client.session_transaction() as session:
        pending = [key for key in session if key.startswith("_state_council_")]
    assert len(pending) == sso_routes.PENDING_KEPT
    # the newest still signs in
    back = oidc.through_provider(start(client), oidc_provider.issuer, "amy-sub")
    assert client.get(back.removeprefix(APP)).status_code == 302


def test_an_answer_from_another_issuer_is_refused(app, use_sso, oidc_provider):
    """RFC 9207: the provider names itself in its answer; another name is a mix-up."""
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "amy-sub")
    assert "iss=" in callback
    query = parse_qs(urlsplit(callback).query)
    forged = f"/sign-in/council/callback?code={query['code'][0]}&state={query['state'][0]}"
    response = client.get(forged + "&iss=https%3A%2F%2Fattacker.example")
    assert response.status_code == 400
    assert "mix-up" in _refusals()[0]


def test_a_discovery_document_naming_another_issuer_is_refused(app, use_sso, monkeypatch):
    send = HTTPAdapter.send

    def other_issuer(self, request, **kwargs):
        response = send(self, request, **kwargs)
        if request.url.endswith("/.well-known/openid-configuration"):
            body = response.json() | {"issuer": "https://attacker.example"}
            response._content = json.dumps(body).encode()
        return response

    use_sso(QA_OIDC_TIMEOUT_SECONDS=4)  # a new client: the document is fetched again
    monkeypatch.setattr(HTTPAdapter, "send", other_issuer)
    response = app.test_client().get("/sign-in/council")
    assert response.status_code == 400
    assert "attacker.example" in _refusals()[0]
