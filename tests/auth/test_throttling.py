"""Repeated failed sign-ins are throttled per username and per IP address (ASVS 2.2.1),
counted from the security log; refusals are logged and never check the password."""

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from qa_app.data import users
from qa_app.extensions import db
from qa_app.models import Role, SecurityEvent
from tests.helpers import PASSWORD, csrf_token, sign_in

MESSAGE = (
    "Too many failed attempts. Try again in 15 minutes, "
    "or ask an administrator to reset your password."
)


def _attempt(client, username: str, password: str, ip: str = "127.0.0.1"):
    token = csrf_token(client, "/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def _fail(client, username: str, times: int = 5, ip: str = "127.0.0.1") -> None:
    for _ in range(times):
        response = _attempt(client, username, "not-the-password", ip)
        assert response.status_code == 200
        assert "The username or password is not right" in response.get_data(as_text=True)


def _events(name: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == name)))


def _move_failures_back(by: timedelta) -> None:
    for event in _events("sign_in_failed"):
        event.at -= by
    db.session.commit()


def test_five_failures_then_the_right_password_is_refused_and_logged(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    _fail(client, "lead")

    response = sign_in(client, "lead")

    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert MESSAGE in html
    assert 'name="username"' in html  # the normal sign-in page
    assert client.get("/").status_code == 302  # not signed in
    [event] = _events("sign_in_throttled")
    assert (event.username, event.ip_address) == ("lead", "127.0.0.1")


def test_four_failures_do_not_throttle(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    _fail(client, "lead", times=4)
    assert sign_in(client, "lead").status_code == 302


def test_other_spellings_of_the_username_count_together(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    for spelling in ("lead", "LEAD", "Lead ", " lead", "lEaD"):
        _fail(client, spelling, times=1)
    assert sign_in(client, "lead").status_code == 429


def test_an_unknown_username_is_throttled_the_same_way(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    _fail(client, "lead")
    _fail(client, "nobody")

    known = sign_in(client, "lead")
    unknown = sign_in(client, "nobody")

    assert known.status_code == unknown.status_code == 429
    assert MESSAGE in known.get_data(as_text=True)
    assert MESSAGE in unknown.get_data(as_text=True)


def test_other_usernames_are_not_throttled(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    make_user(Role.AUDITOR, username="other")
    _fail(client, "lead")
    assert sign_in(client, "other").status_code == 302


def test_after_the_window_the_right_password_works(client, make_user):
    make_user(Role.AUDITOR, username="lead")
    _fail(client, "lead")
    assert sign_in(client, "lead").status_code == 429

    _move_failures_back(timedelta(minutes=15, seconds=1))

    assert sign_in(client, "lead").status_code == 302


def test_wait_shown_is_until_the_oldest_counted_failure_leaves_the_window(client, make_user):
    user = make_user(Role.AUDITOR, username="lead")
    user.password_changed_at -= timedelta(hours=1)  # failures before it would not count
    _fail(client, "lead")
    _move_failures_back(timedelta(minutes=14))

    response = sign_in(client, "lead")

    assert response.status_code == 429
    assert "Try again in 1 minute, or ask" in response.get_data(as_text=True)


def test_an_administrator_setting_a_new_password_clears_the_lockout(
    app, client, client_as, make_user
):
    target = make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    _fail(client, "lead")
    assert sign_in(client, "lead").status_code == 429

    token = csrf_token(admin, f"/admin/users/{target.id}/password")
    response = admin.post(
        f"/admin/users/{target.id}/password",
        data={"csrf_token": token, "password": "a-brand-new-password-42"},
    )
    assert response.status_code == 302

    assert sign_in(client, "lead", "a-brand-new-password-42").status_code == 302


def test_per_ip_limit_stops_spraying_many_usernames(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "QA_SIGN_IN_MAX_FAILURES_PER_IP", 3)
    make_user(Role.AUDITOR, username="lead")
    for name in ("alice", "bob", "carol"):
        _fail(client, name, times=1, ip="10.0.0.9")

    refused = _attempt(client, "lead", PASSWORD, ip="10.0.0.9")
    assert refused.status_code == 429
    assert MESSAGE in refused.get_data(as_text=True)
    [event] = _events("sign_in_throttled")
    assert (event.username, event.ip_address, event.detail) == ("lead", "10.0.0.9", "ip limit")

    assert _attempt(client, "lead", PASSWORD, ip="10.0.0.10").status_code == 302


def test_a_throttled_attempt_does_not_check_the_password(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    _fail(client, "lead")

    def _must_not_verify(*args, **kwargs):
        raise AssertionError("the password hasher was called for a throttled attempt")

    monkeypatch.setattr(users, "_hasher", SimpleNamespace(verify=_must_not_verify))
    assert sign_in(client, "lead").status_code == 429
    assert len(_events("sign_in_failed")) == 5  # the refusal is not itself a failure
