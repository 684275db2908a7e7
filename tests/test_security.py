"""Security properties that hold on every route: the role x route matrix, CSRF on every POST,
the security headers, server-side sessions (replayed cookies refused, timeouts) and cookies."""

from datetime import timedelta

import pytest

from qa_app.models import Role, SecurityEvent, UserSession
from qa_app.security import content_security_policy
from tests.helpers import CSRF_RE, PASSWORD, csrf_token, sign_in
from tests.route_walk import API, EXPECTED, PUBLIC, build_samples, routes


@pytest.fixture
def fixtures(make_user, loaded_templates):
    return build_samples(make_user)


def test_every_route_is_in_the_expected_table(app, fixtures):
    endpoints = {endpoint for endpoint, _, _ in routes(app, fixtures)}
    assert endpoints == set(EXPECTED), "add new routes to tests/route_walk.py EXPECTED"


def test_every_view_declares_its_permission(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        assert hasattr(view, "permission"), f"{endpoint} has no @requires / @public"


def test_role_route_matrix(app, fixtures, client_as):
    """Each role opens exactly the pages PRODUCT.md gives it; everything else is 403."""
    clients = {role: client_as(role) for role in Role}
    failures = []
    for endpoint, method, url in routes(app, fixtures):
        allowed = EXPECTED[endpoint]
        if isinstance(allowed, dict):  # different roles for reading (GET) and writing
            allowed = allowed[method]
        for role, client in clients.items():
            if allowed == API:  # the session cookie is no credential for the API
                response = client.open(url, method=method, json={})
                if response.status_code != 401:
                    failures.append(f"{role.value} {method} {url} -> {response.status_code}")
                continue
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": csrf_token(client)})
            if allowed == PUBLIC or role in allowed:
                ok = response.status_code in (200, 302) or (
                    method == "POST" and response.status_code == 400
                )
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role.value} {method} {url} -> {response.status_code}")
            if endpoint == "auth.sign_out" and method == "POST":
                clients[role] = client_as(role)  # it signed out; start again
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_sign_in_for_every_protected_route(app, fixtures, client):
    for endpoint, method, url in routes(app, fixtures):
        if EXPECTED[endpoint] == PUBLIC:
            continue
        response = client.open(url, method=method)
        if EXPECTED[endpoint] == API:
            assert response.status_code == 401, f"{method} {url}"
            continue
        if method == "POST":
            assert response.status_code == 400, f"{method} {url}"  # refused: no CSRF token
        else:
            assert response.status_code == 302, f"{method} {url}"
            assert "/sign-in" in response.headers["Location"]


def test_permission_refusals_are_logged(client_as):
    client = client_as(Role.AUDITOR)
    assert client.get("/admin/users").status_code == 403
    from sqlalchemy import select

    from qa_app.extensions import db

    events = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.event == "permission_refused")
    ).all()
    assert [(e.username, e.detail) for e in events] == [(client.user.username, "/admin/users")]


def test_every_post_route_refuses_a_missing_csrf_token(app, fixtures, client_as):
    client = client_as(Role.ADMIN, Role.QA_LEAD)
    posts = [(e, u) for e, m, u in routes(app, fixtures) if m == "POST" and EXPECTED[e] != API]
    assert posts
    for endpoint, url in posts:
        response = client.post(url, data={})
        assert response.status_code == 400, endpoint
        assert "Your form has expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_every_route(app, fixtures, client, client_as, signed_in):
    c = client_as(Role.ADMIN, Role.QA_LEAD) if signed_in else client
    for endpoint, method, url in routes(app, fixtures):
        if method != "GET":
            continue
        response = c.get(url)
        h = response.headers
        csp = h["Content-Security-Policy"]
        for part in (
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "default-src 'self'",
        ):
            assert part in csp, (url, part)
        assert "'nonce-" in csp and "unsafe-inline" not in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["X-Frame-Options"] == "DENY"
        assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in h["Permissions-Policy"]
        if EXPECTED[endpoint] != PUBLIC or endpoint == "auth.sign_in":
            assert h["Cache-Control"] == "no-store", url


def test_nonce_differs_per_request_and_matches_the_page(client):
    first = client.get("/sign-in")
    second = client.get("/sign-in")
    nonce1 = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    nonce2 = second.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce1 != nonce2
    assert f'nonce="{nonce1}"' in first.get_data(as_text=True)


def test_csp_is_exactly_this():
    assert content_security_policy("abc") == (
        "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = client.get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_flags(client, make_user):
    make_user(Role.AUDITOR, username="cookie.person")
    response = sign_in(client, "cookie.person")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https_client = client.application.test_client()
    page = https_client.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    # over HTTPS the cookie is marked Secure (Flask-WTF also wants a same-origin Referer)
    response = https_client.post(
        "/sign-in",
        base_url="https://localhost",
        data={"csrf_token": token, "username": "cookie.person", "password": PASSWORD},
        headers={"Referer": "https://localhost/sign-in"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_sign_in_through_the_form_and_out(client, make_user):
    make_user(Role.QA_LEAD, username="lead")
    response = sign_in(client, "lead", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Signed in as Test lead" in body and "Sign out" in body
    response = client.post(
        "/sign-out", data={"csrf_token": csrf_token(client)}, follow_redirects=True
    )
    assert "You have signed out" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_logged(client, make_user):
    make_user(Role.QA_LEAD, username="lead")
    response = sign_in(client, "lead", password="not-the-password")
    assert response.status_code == 200
    assert "The username or password is not right" in response.get_data(as_text=True)
    from sqlalchemy import select

    from qa_app.extensions import db

    assert (
        db.session.scalar(select(SecurityEvent.event).where(SecurityEvent.username == "lead"))
        == "sign_in_failed"
    )


def test_sign_in_refuses_offsite_next(client, make_user):
    make_user(Role.AUDITOR, username="a")
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in?next=https://evil.example/",
        data={"csrf_token": token, "username": "a", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_replayed_cookie_after_sign_out_is_refused(app, client, make_user):
    make_user(Role.ADMIN, username="admin1")
    sign_in(client, "admin1")
    assert client.get("/admin/users").status_code == 200
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    attacker = app.test_client()
    attacker.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    response = attacker.get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_in_starts_a_new_session(app, client, make_user):
    make_user(Role.AUDITOR, username="fixation")
    client.get("/sign-in")
    before = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    sign_in(client, "fixation")
    after = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert before != after


def test_inactivity_timeout_ends_the_session(app, client, make_user):
    from qa_app.extensions import db

    make_user(Role.AUDITOR, username="idle")
    sign_in(client, "idle")
    assert client.get("/").status_code == 200
    row = db.session.scalars(db.select(UserSession)).one()
    row.last_seen_at -= timedelta(minutes=app.config["QA_SESSION_IDLE_MINUTES"] + 1)
    row.created_at -= timedelta(minutes=app.config["QA_SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.end_reason == "idle_timeout"


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    make_user(Role.AUDITOR, username="changer")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "changer")
    sign_in(phone, "changer")
    response = laptop.post(
        "/account",
        data={
            "csrf_token": csrf_token(laptop, "/account"),
            "current_password": PASSWORD,
            "new_password": "a-brand-new-password",
            "confirm_password": "a-brand-new-password",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_upload_limit_is_set(app):
    assert 0 < app.config["MAX_CONTENT_LENGTH"] <= 50 * 1024 * 1024
