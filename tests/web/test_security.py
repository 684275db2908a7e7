"""Security properties that hold on every route: the role x route matrix, CSRF on every POST,
the security headers, server-side sessions (replayed cookies refused, timeouts) and cookies."""

from datetime import timedelta

import pytest

from qa_app.models import Role, SecurityEvent, UserSession
from qa_app.web.security import content_security_policy
from tests.helpers import CSRF_RE, PASSWORD, csrf_token, sign_in
from tests.support.route_walk import (
    API,
    EXPECTED,
    OWNER,
    PUBLIC,
    Walk,
    build_samples,
    expected,
    header_problems,
    routes,
)


@pytest.fixture
def fixtures(make_user, loaded_templates):
    return build_samples(make_user)


def test_every_route_is_in_the_expected_table(app, fixtures):
    endpoints = {endpoint for endpoint, _, _ in routes(app, fixtures)}
    assert endpoints == set(EXPECTED), "add new routes to tests/support/route_walk.py EXPECTED"
    assert set(OWNER) <= endpoints, "OWNER names an endpoint that does not exist"


def test_every_view_declares_its_permission(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        assert hasattr(view, "permission"), f"{endpoint} has no @requires / @public"


def test_role_route_matrix(app, fixtures, client_as):
    """Each role opens exactly the pages PRODUCT.md gives it when the objects behind them are
    someone else's; everything else is 403. (The owner's walk: tests/web/test_route_owner.py.)"""
    walked = list(routes(app, fixtures))
    failures, visits = [], 0
    for role in Role:
        client = client_as(role)

        def sign_in_again(user=client.user):  # after the walk's own POST /sign-out
            again = app.test_client()
            assert sign_in(again, user.username).status_code == 302
            return again

        walk = Walk(client, {role}, role.value, sign_in_again=sign_in_again)
        for endpoint, method, url in walked:
            walk.check(endpoint, method, url, expected(endpoint, method))
        failures += walk.failures
        visits += walk.visits
    assert visits == len(walked) * len(Role)
    assert not failures, f"{len(failures)} surprises:\n" + "\n".join(failures)


def test_anonymous_is_sent_to_sign_in_for_every_protected_route(app, fixtures, client):
    failures = []
    for endpoint, method, url in routes(app, fixtures):
        if EXPECTED[endpoint] == PUBLIC:
            continue
        response = client.open(url, method=method)
        status, where = response.status_code, f"{method} {url}"
        if EXPECTED[endpoint] == API:
            wanted = 401
        elif method == "POST":
            wanted = 400  # refused: no CSRF token
        else:
            wanted = 302
            if "/sign-in" not in response.headers.get("Location", ""):
                failures.append(f"{where} -> not sent to sign in")
        if status != wanted:
            failures.append(f"{where} -> {status}, expected {wanted}")
        failures += [f"{where}: {p}" for p in header_problems(endpoint, response)]
    assert not failures, "\n".join(failures)


def test_permission_refusals_are_logged(client_as):
    client = client_as(Role.AUDITOR)
    assert client.get("/admin/users").status_code == 403
    from sqlalchemy import select

    from qa_app.extensions import db

    events = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.event == "permission_refused")
    ).all()
    assert [(e.username, e.detail) for e in events] == [(client.user.username, "/admin/users")]


def _web_writes(app, fixtures) -> list[tuple[str, str, str]]:
    """Every web route x method that changes something (the API takes no cookie, so no CSRF)."""
    return [(e, m, u) for e, m, u in routes(app, fixtures) if m != "GET" and EXPECTED[e] != API]


def test_every_post_route_refuses_a_missing_csrf_token(app, fixtures, client_as):
    """Missing, from another session, or sent in the wrong place: refused before the view runs,
    whoever is signed in (the owner of the sample objects too)."""
    writes = _web_writes(app, fixtures)
    assert len(writes) >= 70
    lead = client_as(Role.ADMIN, Role.QA_LEAD)
    owner = fixtures["_other_user"]
    owner_client = app.test_client()
    sign_in(owner_client, owner.username)
    strangers_token = csrf_token(client_as(Role.AUDITOR))
    own_token = csrf_token(lead)  # valid for this session, but sent in the URL: refused
    failures = []
    for endpoint, method, url in writes:
        for who, client, target, data in (
            ("lead, no token", lead, url, {}),
            ("lead, another session's token", lead, url, {"csrf_token": strangers_token}),
            ("lead, token in the query string", lead, f"{url}?csrf_token={own_token}", {}),
            ("owner, no token", owner_client, url, {}),
        ):
            response = client.open(target, method=method, data=data)
            body = response.get_data(as_text=True)
            if response.status_code != 400 or "Your form has expired" not in body:
                failures.append(f"{who}: {method} {url} ({endpoint}) -> {response.status_code}")
            failures += [f"{who}: {url}: {p}" for p in header_problems(endpoint, response)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_every_route(app, fixtures, client, client_as, signed_in):
    """Every route x method, allowed or refused: the headers are on every answer (pages,
    redirects, 400, 401, 403, downloads), not only on the pages that render."""
    c = client_as(Role.ADMIN, Role.QA_LEAD) if signed_in else client
    statuses, failures = set(), []
    for endpoint, method, url in routes(app, fixtures):
        response = c.open(url, method=method, data={})  # no CSRF token: sign-out stays in
        statuses.add(response.status_code)
        failures += [f"{method} {url}: {p}" for p in header_problems(endpoint, response)]
    assert not failures, "\n".join(failures)
    assert {200, 302, 400, 401} <= statuses
    if signed_in:
        assert 403 in statuses


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/audits/999999999", 404),
        ("GET", "/audits/99999999999999999999999", 404),
        ("PUT", "/", 405),
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", "/api/v1/audits/999999999", 401),
        ("DELETE", "/api/v1/audits", 405),  # routing answers before the token is read
    ],
)
def test_security_headers_on_error_answers(client_as, method, url, status):
    client = client_as(Role.QA_LEAD)
    response = client.open(url, method=method)
    assert response.status_code == status
    assert header_problems(None, response) == []


def test_security_headers_on_api_answers_with_a_token(app, make_user, loaded_templates):
    from tests.api.support import api_as

    api = api_as(app, make_user, Role.AUDITOR)
    answers = [
        api.get("/templates"),  # 200
        api.get("/findings"),  # 403
        api.get("/audits/999999999"),  # 404
        api.request("DELETE", "/audits"),  # 405
        api.post("/audits", {"case_reference": "x"}),  # 403
        api.request("GET", "/templates", headers={"Authorization": "Bearer wrong"}),  # 401
    ]
    assert [a.status_code for a in answers] == [200, 403, 404, 405, 403, 401]
    for answer in answers:
        assert header_problems(None, answer) == []


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


def test_forms_may_lead_to_the_councils_provider_and_nowhere_else(client, app, monkeypatch):
    """Signing out of a council sign-in redirects the form's answer to the provider, which
    browsers check against form-action: its origin is allowed when council sign-in is set up."""
    assert "form-action 'self';" in client.get("/sign-in").headers["Content-Security-Policy"]
    monkeypatch.setitem(app.config, "QA_OIDC_ISSUER", "https://login.example.org/tenant/v2.0")
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.org;" in policy
    assert content_security_policy("n", ["https://a.example"]).count("https://a.example") == 1


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


def _first_cookie(app, base: str) -> str:
    """The cookie a new browser is given on its first page at `base`."""
    return app.test_client().get("/sign-in", base_url=base).headers["Set-Cookie"]


def test_the_cookie_is_secure_whenever_the_app_is_not_served_on_loopback(app):
    """Plain HTTP under a real host name would carry the session in the clear: the cookie is
    marked Secure (so the browser withholds it there) unless the app is on 127.0.0.1,
    localhost or ::1, as `make run` serves it. QA_SECURE_COOKIES decides when it is set."""
    for base in ("http://qa.example.gov.uk", "http://10.1.2.3:8000", "https://127.0.0.1"):
        assert "Secure" in _first_cookie(app, base), base
    for base in ("http://127.0.0.1:5000", "http://localhost", "http://[::1]:5000"):
        assert "Secure" not in _first_cookie(app, base), base
    for setting in (True, False):
        app.config["SESSION_COOKIE_SECURE"] = setting
        try:
            for base in ("http://qa.example.gov.uk", "http://127.0.0.1"):
                assert ("Secure" in _first_cookie(app, base)) is setting, (setting, base)
        finally:
            app.config["SESSION_COOKIE_SECURE"] = None


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
