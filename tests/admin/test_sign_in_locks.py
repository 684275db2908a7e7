"""Administrators see the sign-in locks holding now and clear them (issue 14, item 4): the
"Sign-in locks" page lists accounts locked for browsers they have not signed in on, browsers
locked, and addresses slowed down or locked, each with its failures and when it ends; Clear
releases one (counting starts again after it), and every lock and clear is in the security
log, the clear also in the change log, naming the administrator."""

import re
from datetime import timedelta

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Role
from qa_app.rules.uk_time import uk_datetime
from tests.auth.clock import Clock
from tests.auth.guessing import WRONG, addresses, attempt, events, fail, known_browser
from tests.bad_input.support import page_text
from tests.helpers import csrf_token

LOCKS = "/admin/sign-in-locks"


def _clear(admin, page: str = LOCKS, **fields):
    return admin.post(f"{LOCKS}/clear", data={"csrf_token": csrf_token(admin, page), **fields})


def test_an_administrator_sees_an_account_locked_for_new_browsers_and_clears_it(
    app, client, client_as, make_user, monkeypatch
):
    make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    clock = Clock(monkeypatch)
    for ip in addresses(10):
        fail(client, "lead", ip=ip)
    ends = uk_datetime(clock.now + timedelta(minutes=15), seconds=True)

    page = page_text(admin.get(LOCKS))
    assert f"lead, from browsers it has not signed in on 10 {ends}" in page
    assert "No address is slowed down or locked." in page
    assert "Sign-in locks" in page_text(admin.get("/admin/users"))  # in the menu

    response = _clear(admin, kind="account", account="lead")
    assert response.status_code == 302 and response.headers["Location"] == LOCKS
    after = page_text(admin.get(LOCKS))
    assert "Sign-in lock cleared: lead, from browsers it has not signed in on" in after
    assert "No account is locked." in after

    [cleared] = events("sign_in_lock_cleared")
    assert (cleared.user_id, cleared.username, cleared.ip_address) == (admin.user.id, "lead", None)
    assert cleared.detail == (
        f"lead, from browsers it has not signed in on cleared by {admin.user.username} "
        "(from 127.0.0.1), 10 failures counted"
    )
    [entry] = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "sign_in_lock")
    ).all()
    assert (entry.user_id, entry.entity_id, entry.action) == (admin.user.id, "lead", "cleared")

    # The owner on a new browser gets in; counting starts again from the clear.
    assert attempt(app.test_client(), "lead", ip="192.0.2.10").status_code == 302
    clock.advance(1)
    for ip in addresses(9, prefix="198.51.101"):
        fail(client, "lead", ip=ip)
    assert attempt(app.test_client(), "lead", ip="192.0.2.11").status_code == 302
    fail(client, "lead", ip="198.51.101.10")
    assert attempt(app.test_client(), "lead", ip="192.0.2.12").status_code == 429
    assert len(events("sign_in_locked")) == 2


def test_addresses_slowed_down_or_locked_are_listed_and_cleared(
    app, client, client_as, make_user, monkeypatch
):
    monkeypatch.setitem(app.config, "QA_SIGN_IN_MAX_FAILURES_PER_IP", 4)
    make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    Clock(monkeypatch)
    fail(client, "lead", times=3, ip="203.0.113.8")  # back-off for lead from this address
    for name in ("alice", "bob", "carol", "dan"):
        fail(client, name, ip="203.0.113.9")  # 4 accounts: the address is locked

    page = page_text(admin.get(LOCKS))
    when = r"\d+ \w+ \d{4} at \d\d:\d\d:\d\d"  # UK time
    assert re.search(rf"lead from 203\.0\.113\.8 \(back-off\) 3 {when} Clear", page)
    assert re.search(rf"203\.0\.113\.9, for every account 4 {when} Clear", page)
    assert "No account is locked." in page

    assert attempt(client, "lead", ip="203.0.113.9").status_code == 429
    assert _clear(admin, kind="address", address="203.0.113.9").status_code == 302
    assert attempt(client, "erin", WRONG, ip="203.0.113.9").status_code == 200

    assert attempt(client, "lead", ip="203.0.113.8").status_code == 429
    cleared = _clear(admin, kind="back-off", account="lead", address="203.0.113.8")
    assert cleared.status_code == 302
    assert attempt(client, "lead", ip="203.0.113.8").status_code == 302
    assert [(e.username, e.ip_address) for e in events("sign_in_lock_cleared")] == [
        (None, "203.0.113.9"),
        ("lead", "203.0.113.8"),
    ]


def test_a_locked_browser_is_listed_and_cleared(app, client_as, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    browser = known_browser(app, "lead")
    admin = client_as(Role.ADMIN)
    clock = Clock(monkeypatch)
    for wait in (0, 0, 0, 1, 2):
        clock.advance(wait)
        fail(browser, "lead")
    assert attempt(browser, "lead").status_code == 429

    page = page_text(admin.get(LOCKS))
    [device] = {e.device_id for e in events("sign_in_failed")}
    assert f"lead on browser {device[:8]} 5" in page
    html = admin.get(LOCKS).get_data(as_text=True)
    assert f'name="device" value="{device}"' in html

    assert _clear(admin, kind="device", account="lead", device=device).status_code == 302
    clock.advance(1)
    assert attempt(browser, "lead").status_code == 302


def test_the_account_page_shows_its_locks_and_clears_them(
    app, client, client_as, make_user, monkeypatch
):
    target = make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    Clock(monkeypatch)
    for ip in addresses(10):
        fail(client, "lead", ip=ip)
    page = f"/admin/users/{target.id}"
    text = page_text(admin.get(page))
    assert "Sign-in is held back after failed attempts:" in text
    assert "lead, from browsers it has not signed in on: 10 failures, until" in text

    response = _clear(admin, page, kind="account", account="lead", user_id=str(target.id))
    assert response.status_code == 302 and response.headers["Location"] == page
    assert "Sign-in is held back" not in page_text(admin.get(page))
    assert attempt(app.test_client(), "lead", ip="192.0.2.10").status_code == 302


def test_the_security_log_shows_locks_and_clears(client, client_as, make_user, monkeypatch):
    make_user(Role.AUDITOR, username="lead")
    admin = client_as(Role.ADMIN)
    Clock(monkeypatch)
    for ip in addresses(10):
        fail(client, "lead", ip=ip)
    fail(client, "other", times=3, ip="203.0.113.1")
    _clear(admin, kind="account", account="lead")
    text = page_text(admin.get("/admin/security-log"))
    assert "sign in locked lead 198.51.100.10 – lead, from browsers it has not signed in on" in (
        text
    )
    cleared = "lead, from browsers it has not signed in on cleared by " + admin.user.username
    assert f"sign in lock cleared lead – – {cleared}" in text
    assert "sign in backed off other 203.0.113.1 – other from 203.0.113.1 (back-off) began" in text


def test_a_clear_needs_its_token_and_a_lock_it_knows(client_as):
    admin = client_as(Role.ADMIN)
    no_token = admin.post(f"{LOCKS}/clear", data={"kind": "account", "account": "lead"})
    assert no_token.status_code == 400
    assert _clear(admin, kind="everything", account="lead").status_code == 400
    assert _clear(admin, kind="account").status_code == 400  # which account?
    assert _clear(admin, kind="address", account="lead").status_code == 400
    assert events("sign_in_lock_cleared") == []


def test_only_administrators_see_or_clear_locks(client_as):
    lead = client_as(Role.QA_LEAD)
    assert lead.get(LOCKS).status_code == 403
    response = lead.post(
        f"{LOCKS}/clear",
        data={"csrf_token": csrf_token(lead), "kind": "account", "account": "lead"},
    )
    assert response.status_code == 403
    assert events("sign_in_lock_cleared") == []
