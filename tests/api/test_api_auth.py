"""Bearer tokens: made and revoked on the command line, refused when missing, unknown,
revoked or of a disabled account; the session cookie is never a credential; JSON errors and
the security headers on every answer."""

from datetime import timedelta

from sqlalchemy import func, select

from qa_app.api.tokens import create_token, token_hash
from qa_app.data.users import set_active
from qa_app.extensions import db
from qa_app.models import ApiToken, AuditCycle, Role, SecurityEvent
from tests.api.support import Api, api_as, error_of


def events(name: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == name)))


def test_create_token_prints_it_once_and_keeps_only_its_hash(app, make_user):
    user = make_user(Role.QA_LEAD, username="lead")
    result = app.test_cli_runner().invoke(
        args=["qa", "create-token", "lead", "--name", "nightly export"]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    row = db.session.scalars(select(ApiToken)).one()
    assert row.user_id == user.id and row.name == "nightly export"
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    assert Api(app, token).get("/templates").status_code == 200
    assert [e.username for e in events("api_token_created")] == ["lead"]


def test_create_token_refuses_unknown_and_disabled_accounts(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qa", "create-token", "nobody"])
    assert result.exit_code != 0 and "no such account" in result.output
    user = make_user(Role.AUDITOR, username="gone")
    set_active(user, False, actor=None)
    result = runner.invoke(args=["qa", "create-token", "gone"])
    assert result.exit_code != 0 and "disabled" in result.output
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_revoke_token_revokes_every_token_of_the_account(app, make_user):
    user = make_user(Role.QA_LEAD, username="lead")
    first, second = create_token(user, "a"), create_token(user, "b")
    other = api_as(app, make_user, Role.QA_LEAD)
    result = app.test_cli_runner().invoke(args=["qa", "revoke-token", "lead"])
    assert result.exit_code == 0 and "Revoked 2 API tokens of lead" in result.output
    for token in (first, second):
        response = Api(app, token).get("/templates")
        assert response.status_code == 401
    assert other.get("/templates").status_code == 200


def test_a_missing_token_is_401_with_a_bearer_challenge(app):
    response = Api(app).get("/templates")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error = error_of(response)
    assert "Bearer" in error["message"] and error["field"] is None and error["problems"] == []


def test_a_malformed_or_unknown_token_is_401_and_logged(app):
    api = Api(app)
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-real-token"):
        response = api.get("/audits", headers={"Authorization": header})
        assert response.status_code == 401, header
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert [e.detail for e in events("api_token_refused")] == ["/api/v1/audits"]


def test_a_disabled_accounts_token_is_refused(app, make_user):
    api = api_as(app, make_user, Role.QA_LEAD)
    assert api.get("/templates").status_code == 200
    set_active(api.user, False, actor=None)
    assert api.get("/templates").status_code == 401
    set_active(api.user, True, actor=None)
    assert api.get("/templates").status_code == 200


def test_the_session_cookie_is_not_a_credential(app, client_as, loaded_templates):
    browser = client_as(Role.QA_LEAD)  # signed in through the web form
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/templates").status_code == 401
    body = {
        "name": "Forged",
        "kind": "monthly",
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "templates": ["single_assessment"],
    }
    response = browser.post("/api/v1/cycles", json=body)  # no CSRF token, cookie only
    assert response.status_code == 401
    assert db.session.scalar(select(func.count(AuditCycle.id))) == 0


def test_api_answers_set_no_cookie_and_carry_the_security_headers(app, make_user):
    api = api_as(app, make_user, Role.QA_LEAD)
    for response in (api.get("/templates"), Api(app).get("/templates"), api.get("/nowhere")):
        h = response.headers
        assert "Set-Cookie" not in h
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["X-Frame-Options"] == "DENY"
        assert h["Cache-Control"] == "no-store"


def test_last_used_is_written_at_most_once_a_minute(app, make_user):
    api = api_as(app, make_user, Role.QA_LEAD)
    row = db.session.scalars(select(ApiToken)).one()
    assert row.last_used_at is None
    api.get("/templates")
    db.session.refresh(row)
    first = row.last_used_at
    assert first is not None
    api.get("/templates")
    db.session.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    api.get("/templates")
    db.session.refresh(row)
    assert row.last_used_at > first - timedelta(minutes=2)


def test_refusals_are_403_json_and_logged(app, make_user):
    api = api_as(app, make_user, Role.BOARD_VIEWER)
    response = api.get("/audits")
    assert response.status_code == 403
    assert error_of(response)["message"]
    assert [(e.username, e.detail) for e in events("permission_refused")] == [
        (api.user.username, "/api/v1/audits")
    ]


def test_unknown_addresses_and_methods_answer_in_json(app, make_user):
    api = api_as(app, make_user, Role.QA_LEAD)
    response = api.get("/no-such-thing")
    assert response.status_code == 404 and error_of(response)["message"] == "Not found"
    response = api.request("DELETE", "/audits")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    bare = api.client.get("/api/v1")
    assert bare.status_code == 404 and bare.mimetype == "application/json"
    assert api.get("/audits/999999").status_code == 404
    assert api.get("/templates/no_such_template").status_code == 404


def test_bodies_must_be_json_objects(app, make_user, loaded_templates):
    api = api_as(app, make_user, Role.QA_LEAD)
    response = api.client.post(
        "/api/v1/cycles",
        data="name=x",
        headers={"Authorization": f"Bearer {api.token}"},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415 and response.mimetype == "application/json"
    response = api.post("/cycles", ["not", "an", "object"])
    assert response.status_code == 400


def test_an_unexpected_error_is_a_json_500(app, make_user, monkeypatch, caplog):
    from qa_app.api import routes

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(routes.template_data, "list_templates", broken)
    api = api_as(app, make_user, Role.QA_LEAD)
    response = api.get("/templates", check=False)
    assert response.status_code == 500 and response.mimetype == "application/json"
    assert "boom" not in response.get_data(as_text=True)
    assert "Unhandled API error" in caplog.text
