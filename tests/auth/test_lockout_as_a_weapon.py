"""A stranger cannot lock the real owner out (issue 14, item 4; OWASP device cookies).

What holds, with the defaults (back-off after 3 failures per account and address; 10 failures
from browsers without the account's device cookie lock the account for such browsers; 5 from
one known browser lock that browser; 50 from one address lock the address):

- The owner on a browser they have signed in on before (it carries the device cookie) signs in
  at once, however many wrong passwords strangers sent, from one address or from many.
- The owner on a new browser from their own address is not slowed at all while strangers stay
  under the account's limit (their back-off is per address). Once strangers reach it, the
  account is locked for new browsers until the window passes or an administrator clears it; a
  known browser still gets in.
- Strangers from one address get 3 guesses, then waits: 50 tries check only 3 passwords.
- Known browsers' failures count against that browser only, never the account's limit.
"""

import re

from qa_app.auth import device_cookie
from qa_app.models import Role
from tests.auth.clock import Clock
from tests.auth.guessing import WRONG, addresses, attempt, events, fail, known_browser
from tests.helpers import PASSWORD, csrf_token

OWNER_IP = "192.0.2.10"
ACCOUNT_LOCKED = (
    "Too many failed attempts for this account from browsers it has not signed in on before. "
    "Try again in 15 minutes from a browser you have signed in on before, or ask an "
    "administrator to clear the lock."
)


def _setup(app, make_user, monkeypatch):
    """The real administrator, a browser they have used, and the test's clock."""
    make_user(Role.ADMIN, username="admin")
    browser = known_browser(app, "admin", ip=OWNER_IP)
    return browser, Clock(monkeypatch)


def test_five_wrong_passwords_from_anywhere_slow_nobody_else(app, client, make_user, monkeypatch):
    _, _ = _setup(app, make_user, monkeypatch)
    for ip in addresses(5):
        fail(client, "admin", ip=ip)
    new_browser = app.test_client()
    assert attempt(new_browser, "admin", ip=OWNER_IP).status_code == 302
    assert events("sign_in_throttled") == []


def test_fifty_wrong_passwords_from_one_address_check_three_and_the_owner_gets_in(
    app, client, make_user, monkeypatch
):
    browser, _ = _setup(app, make_user, monkeypatch)
    statuses = [attempt(client, "admin", WRONG, ip="203.0.113.66").status_code for _ in range(50)]
    assert statuses == [200] * 3 + [429] * 47
    assert len(events("sign_in_failed")) == 3
    # The owner's known browser, and a new browser from their own address: straight in.
    assert attempt(browser, "admin", ip=OWNER_IP).status_code == 302
    assert attempt(app.test_client(), "admin", ip=OWNER_IP).status_code == 302


def test_ten_wrong_passwords_from_many_addresses_lock_new_browsers_only(
    app, client, make_user, monkeypatch
):
    browser, clock = _setup(app, make_user, monkeypatch)
    for ip in addresses(10):
        fail(client, "admin", ip=ip)

    # The lock began with the 10th failure and is logged, saying until when.
    [locked] = events("sign_in_locked")
    assert locked.username == "admin" and locked.ip_address == "198.51.100.10"
    assert re.fullmatch(
        r"admin, from browsers it has not signed in on until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC "
        r"\(10 failures in 15 minutes\)",
        locked.detail,
    )
    # A stranger from a new address, and the owner on a new browser, are refused unchecked.
    stranger = attempt(client, "admin", WRONG, ip="198.51.100.99")
    assert stranger.status_code == 429 and ACCOUNT_LOCKED in stranger.get_data(as_text=True)
    new_browser = attempt(app.test_client(), "admin", ip=OWNER_IP)
    assert new_browser.status_code == 429
    assert new_browser.headers["Retry-After"] == str(15 * 60)
    assert len(events("sign_in_failed")) == 10
    # The owner's known browser gets in, from anywhere.
    assert attempt(browser, "admin", ip="192.0.2.200").status_code == 302
    # The lock ends when the oldest counted failure leaves the window.
    clock.advance(minutes=15, seconds=1)
    assert attempt(app.test_client(), "admin", ip=OWNER_IP).status_code == 302


def test_fifty_wrong_passwords_from_fifty_addresses_check_ten(app, client, make_user, monkeypatch):
    browser, clock = _setup(app, make_user, monkeypatch)
    statuses = []
    for ip in addresses(50):
        statuses.append(attempt(client, "admin", WRONG, ip=ip).status_code)
        clock.advance(10)
    assert statuses == [200] * 10 + [429] * 40
    assert len(events("sign_in_locked")) == 1
    assert attempt(browser, "admin", ip=OWNER_IP).status_code == 302


def test_a_stranger_keeping_it_locked_all_day_never_stops_a_known_browser(
    app, client, make_user, monkeypatch
):
    """Twelve guesses every quarter of an hour, from new addresses each time, for two hours:
    the owner on their own browser signs in every time; the stranger gets 10 checked each
    quarter."""
    browser, clock = _setup(app, make_user, monkeypatch)
    for quarter in range(8):
        for ip in addresses(12, prefix=f"10.{quarter}.0"):
            attempt(client, "admin", WRONG, ip=ip)
        assert attempt(browser, "admin", ip=OWNER_IP).status_code == 302
        _sign_out(browser)
        clock.advance(minutes=15, seconds=1)
    assert len(events("sign_in_failed")) == 10 * 8


def _sign_out(browser) -> None:
    response = browser.post("/sign-out", data={"csrf_token": csrf_token(browser, "/account")})
    assert response.status_code == 302


def _device_id(browser) -> str:
    """The device id in the browser's cookie, read with the app's own key."""
    cookie = browser.get_cookie(device_cookie.NAME)
    assert cookie is not None
    return device_cookie._serializer().loads(cookie.value)["d"]


def test_a_known_browser_has_its_own_small_limit(app, client, make_user, monkeypatch):
    browser, clock = _setup(app, make_user, monkeypatch)
    device = _device_id(browser)
    fail(browser, "admin", times=3, ip=OWNER_IP)
    slowed = attempt(browser, "admin", ip=OWNER_IP)
    assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "1"
    clock.advance(1)
    fail(browser, "admin", ip=OWNER_IP)
    clock.advance(2)
    fail(browser, "admin", ip=OWNER_IP)
    locked = attempt(browser, "admin", ip=OWNER_IP)
    assert locked.status_code == 429
    assert (
        "Too many failed attempts from this browser. Try again in 15 minutes, or ask an "
        "administrator to clear the lock." in locked.get_data(as_text=True)
    )
    # Every failure names the browser; none counts against the account or the address.
    failed = events("sign_in_failed")
    assert [e.device_id for e in failed] == [device] * 5
    [lock] = events("sign_in_locked")
    assert lock.device_id == device and lock.detail.startswith(f"admin on browser {device[:8]}")
    assert attempt(app.test_client(), "admin", ip=OWNER_IP).status_code == 302


def test_the_device_cookie_is_for_one_account_and_cannot_be_forged(
    app, client, make_user, monkeypatch
):
    """A stranger with an account of their own has a device cookie, but not for `admin`; a
    cookie they make up is not signed: both count as new browsers."""
    make_user(Role.ADMIN, username="admin")
    make_user(Role.AUDITOR, username="stranger")
    own = known_browser(app, "stranger", ip="203.0.113.5")
    Clock(monkeypatch)
    for ip in addresses(5):
        fail(own, "admin", ip=ip)
    forged = app.test_client()
    forged.set_cookie(device_cookie.NAME, own.get_cookie(device_cookie.NAME).value + "x")
    for ip in addresses(5, prefix="198.51.101"):
        fail(forged, "admin", ip=ip)
    assert all(e.device_id is None for e in events("sign_in_failed"))
    assert attempt(own, "admin", ip="198.51.102.1").status_code == 429  # locked for new browsers


def test_the_device_cookie_is_httponly_lax_names_nobody_and_is_never_logged(app, make_user):
    make_user(Role.AUDITOR, username="lead")
    browser = app.test_client()
    response = attempt(browser, "lead")
    [header] = [
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(device_cookie.NAME)
    ]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert f"Max-Age={180 * 24 * 60 * 60}" in header
    assert "Secure" not in header  # plain HTTP on 127.0.0.1, as the session cookie
    value = browser.get_cookie(device_cookie.NAME).value
    held = device_cookie._serializer().loads(value)
    assert "lead" not in repr(held).lower()  # the account is a keyed hash
    [signed_in] = events("signed_in")
    assert signed_in.device_id == held["d"]
    assert value not in repr([(e.detail, e.device_id) for e in events("signed_in")])


def test_the_device_cookie_is_secure_over_https(app, make_user):
    make_user(Role.AUDITOR, username="lead")
    browser = app.test_client()
    token_page = browser.get("/sign-in", base_url="https://localhost")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page.get_data(as_text=True))
    response = browser.post(
        "/sign-in",
        base_url="https://localhost",
        data={"csrf_token": token.group(1), "username": "lead", "password": PASSWORD},
        headers={"Referer": "https://localhost/sign-in"},  # checked over HTTPS
    )
    assert response.status_code == 302
    [header] = [
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(device_cookie.NAME)
    ]
    assert "Secure" in header


def test_one_browser_is_known_to_several_accounts(app, make_user, monkeypatch):
    """A shared desk: both people who signed in on it keep it as a known browser."""
    make_user(Role.AUDITOR, username="first")
    make_user(Role.AUDITOR, username="second")
    desk = known_browser(app, "first")
    assert attempt(desk, "second").status_code == 302
    _sign_out(desk)
    Clock(monkeypatch)
    stranger = app.test_client()
    for name in ("first", "second"):
        for ip in addresses(10):
            fail(stranger, name, ip=ip)
    assert attempt(desk, "first").status_code == 302
    _sign_out(desk)
    assert attempt(desk, "second").status_code == 302
