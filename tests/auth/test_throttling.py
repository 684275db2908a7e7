"""Failed sign-ins are throttled by account and address together (ASVS 5.0 V6.3, NIST SP 800-63B
5.2.2), counted from the security log, with the clock held by the test (tests/auth/clock.py).

Proves: after 3 failures from one address for one account each further attempt waits 2^(n-3)
seconds, stated on the page and in Retry-After, up to the 15-minute window; a refused attempt
checks nothing and is logged; spellings of a username and unknown usernames count alike; an
address is locked for every account at 50 failures; after the wait, or a new password, the
right password works again. Locks by account, and what a stranger cannot do to the real
owner, are in test_lockout_as_a_weapon.py."""

from types import SimpleNamespace

from qa_app.data import users
from qa_app.data.sign_in_throttle import Limits
from qa_app.models import Role
from tests.auth.clock import Clock
from tests.auth.guessing import WRONG, attempt, events, fail
from tests.helpers import csrf_token


def _refused(response, wait: str, seconds: int | None = None) -> None:
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert wait in html, html
    assert 'name="username"' in html  # the normal sign-in page, the message on the field
    if seconds is not None:
        assert response.headers["Retry-After"] == str(seconds)


def test_three_failures_then_the_next_attempt_waits_a_second_stated_and_logged(
    client, make_user, monkeypatch
):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    fail(client, "lead", times=3)

    response = attempt(client, "lead")

    _refused(response, "Too many failed attempts. Wait 1 second before trying again.", 1)
    assert client.get("/").status_code == 302  # not signed in
    [event] = events("sign_in_throttled")
    assert (event.username, event.ip_address) == ("lead", "127.0.0.1")
    assert event.detail == "sign in: password (back-off)"
    [began] = events("sign_in_backed_off")
    assert began.detail.startswith("lead from 127.0.0.1 (back-off) began: 1 second")


def test_two_failures_do_not_slow_anyone_down(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    fail(client, "lead", times=2)
    assert attempt(client, "lead").status_code == 302


def test_the_wait_doubles_with_each_failure_and_the_right_password_works_after_it(
    client, make_user, monkeypatch
):
    make_user(Role.AUDITOR, username="lead")
    clock = Clock(monkeypatch)
    fail(client, "lead", times=3)
    for failures in range(3, 9):
        wait = 2 ** (failures - 3)
        _refused(attempt(client, "lead"), f"Wait {wait} second", wait)
        clock.advance(wait - 0.5)
        _refused(attempt(client, "lead"), "Wait 1 second", 1)  # half a second left
        clock.advance(0.5)
        if failures < 8:
            fail(client, "lead")
    assert attempt(client, "lead").status_code == 302


def test_the_wait_grows_to_the_window_and_no_further(app):
    delays = [Limits.from_config(app.config).delay(n).total_seconds() for n in range(1, 16)]
    assert delays == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


def test_a_long_wait_is_stated_in_minutes(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "QA_SIGN_IN_MAX_FAILURES", 100)  # no lock by account
    make_user(Role.AUDITOR, username="lead")
    clock = Clock(monkeypatch)
    for failures in range(1, 10):
        fail(client, "lead")
        clock.advance(Limits.from_config(app.config).delay(failures).total_seconds())
    clock.advance(-64)  # straight after the 9th failure: 64 seconds to wait
    _refused(
        attempt(client, "lead"),
        "Wait 64 seconds before trying again, or ask an administrator to clear the lock.",
        64,
    )


def test_other_spellings_of_the_username_count_together(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    for spelling in ("lead", "LEAD", " Lead "):
        fail(client, spelling)
    _refused(attempt(client, "lEaD"), "Wait 1 second")


def test_an_unknown_username_is_throttled_the_same_way(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    fail(client, "lead", times=3)
    fail(client, "nobody", times=3)

    known, unknown = attempt(client, "lead"), attempt(client, "nobody")

    assert known.status_code == unknown.status_code == 429
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"] == "1"
    assert [e.username for e in events("sign_in_throttled")] == ["lead", "nobody"]


def test_other_usernames_from_the_same_address_are_not_slowed(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    make_user(Role.AUDITOR, username="other")
    Clock(monkeypatch)
    fail(client, "lead", times=3)
    assert attempt(client, "other").status_code == 302


def test_the_same_username_from_another_address_is_not_slowed(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    fail(client, "lead", times=3, ip="203.0.113.7")
    assert attempt(client, "lead", ip="192.0.2.10").status_code == 302


def test_after_the_window_the_failures_no_longer_count(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    clock = Clock(monkeypatch)
    fail(client, "lead", times=3)
    clock.advance(minutes=15, seconds=1)
    fail(client, "lead", times=2)  # two more within the window: still no wait
    assert attempt(client, "lead").status_code == 302


def test_an_administrator_setting_a_new_password_clears_the_wait(
    client, client_as, make_user, monkeypatch
):
    target = make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    clock = Clock(monkeypatch)
    fail(client, "lead", times=3)
    assert attempt(client, "lead").status_code == 429

    token = csrf_token(admin, f"/admin/users/{target.id}/password")
    response = admin.post(
        f"/admin/users/{target.id}/password",
        data={"csrf_token": token, "password": "a-brand-new-password-42"},
    )
    assert response.status_code == 302
    clock.catch_up()  # the change is stamped with the real time

    assert attempt(client, "lead", "a-brand-new-password-42").status_code == 302


def test_per_address_limit_stops_spraying_many_usernames(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "QA_SIGN_IN_MAX_FAILURES_PER_IP", 3)
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    for name in ("alice", "bob", "carol"):
        fail(client, name, ip="10.0.0.9")

    refused = attempt(client, "lead", ip="10.0.0.9")
    _refused(
        refused,
        "Too many failed attempts from your network. Try again in 15 minutes, "
        "or ask an administrator to clear the lock.",
        15 * 60,
    )
    [event] = events("sign_in_throttled")
    assert (event.username, event.ip_address) == ("lead", "10.0.0.9")
    assert event.detail == "sign in: password (address)"
    [locked] = events("sign_in_locked")
    assert (locked.username, locked.ip_address) == (None, "10.0.0.9")
    assert locked.detail.startswith("10.0.0.9, for every account until ")
    assert locked.detail.endswith(" UTC (3 failures in 15 minutes)")

    assert attempt(client, "lead", ip="10.0.0.10").status_code == 302


def test_a_throttled_attempt_does_not_check_the_password(client, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    Clock(monkeypatch)
    fail(client, "lead", times=3)

    def _must_not_verify(*args, **kwargs):
        raise AssertionError("the password hasher was called for a throttled attempt")

    monkeypatch.setattr(users, "_hasher", SimpleNamespace(verify=_must_not_verify))
    for _ in range(10):
        assert attempt(client, "lead", WRONG).status_code == 429
    assert len(events("sign_in_failed")) == 3  # refusals are not failures
    assert len(events("sign_in_throttled")) == 10
