"""Every form that checks a password or a code again is behind the sign-in throttle (issue 14,
item 5): changing the password ("current password"), new recovery codes, turning two-step
sign-in off, and the code that confirms setting it up. (Signing in and its second step are in
test_throttling.py, test_lockout_as_a_weapon.py and test_mfa.py.)

Proves, for each: 12 wrong in a row check 3 and refuse the rest with 429 and the wait; 12
wrong, each after waiting as told, check 5 (the browser's own limit) and then refuse for 15
minutes; each failure is logged as a failure of the account naming the form; after the wait
the right password works; failures there and at sign-in count together."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from qa_app.data import users
from qa_app.extensions import db
from qa_app.models import Role, SecurityEvent
from tests.auth.clock import Clock
from tests.auth.guessing import WRONG, attempt, events
from tests.helpers import PASSWORD, csrf_token
from tests.support.write_scenarios_auth_mfa import enrolled


@dataclass(frozen=True)
class Form:
    name: str  # the key in sign_in_throttle.FORMS
    page: str
    url: str
    field: str
    event: str
    detail: str
    extra: dict
    enrol: bool = True  # set up two-step sign-in first


FORMS = [
    Form(
        "change_password",
        "/account",
        "/account",
        "current_password",
        "password_check_failed",
        "change password: current password",
        {"new_password": "a-new-password-123", "confirm_password": "a-new-password-123"},
        enrol=False,
    ),
    Form(
        "new_recovery_codes",
        "/account/two-step",
        "/account/two-step/recovery-codes",
        "codes-password",
        "password_check_failed",
        "new recovery codes: password",
        {},
    ),
    Form(
        "turn_off_two_step",
        "/account/two-step",
        "/account/two-step/turn-off",
        "off-password",
        "password_check_failed",
        "turn off two-step sign-in: password",
        {},
    ),
    Form(
        "set_up_second_step",
        "/account/two-step",
        "/account/two-step",
        "code",
        "mfa_failed",
        "set up two-step sign-in: code",
        {},
        enrol=False,
    ),
]


def _post(client, form: Form, secret: str):
    data = {"csrf_token": csrf_token(client, form.page), form.field: secret, **form.extra}
    return client.post(form.url, data=data)


def _wrong(form: Form) -> str:
    return "999999" if form.field == "code" else WRONG


def _me(client_as, form: Form):
    me = client_as(Role.AUDITOR)
    if form.enrol:
        enrolled(me.user)
    return me


@pytest.fixture
def hasher_calls(monkeypatch):
    """How many times a password was checked."""
    calls = []
    real = users._hasher

    class Counting:
        def verify(self, *args):
            calls.append(1)
            return real.verify(*args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(users, "_hasher", Counting())
    return calls


def _failures(event: str) -> int:
    return db.session.scalar(select(func.count()).where(SecurityEvent.event == event))


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_twelve_wrong_in_a_row_check_three(client_as, form, monkeypatch, hasher_calls):
    me = _me(client_as, form)
    Clock(monkeypatch)
    hasher_calls.clear()
    statuses = []
    for _ in range(12):
        response = _post(me, form, _wrong(form))
        statuses.append(response.status_code)
    assert statuses == [200] * 3 + [429] * 9
    assert "Too many failed attempts. Wait 1 second before trying again." in (
        response.get_data(as_text=True)
    )
    assert response.headers["Retry-After"] == "1"
    assert _failures(form.event) == 3
    if form.field != "code":
        assert len(hasher_calls) == 3
    failed = events(form.event)
    assert {(e.user_id, e.detail) for e in failed} == {(me.user.id, form.detail)}
    assert all(e.device_id for e in failed)  # the signed-in browser has its device cookie
    assert len(events("sign_in_throttled")) == 9


@pytest.mark.parametrize("form", FORMS[:3], ids=lambda f: f.name)
def test_waiting_as_told_gives_five_guesses_then_fifteen_minutes(client_as, form, monkeypatch):
    me = _me(client_as, form)
    clock = Clock(monkeypatch)
    checked = 0
    for _ in range(12):
        response = _post(me, form, WRONG)
        if response.status_code == 200:
            checked += 1
        else:
            assert response.status_code == 429
            if checked < 5:
                clock.advance(int(response.headers["Retry-After"]))
    assert checked == 5
    assert "Too many failed attempts from this browser. Try again in 15 minutes" in (
        response.get_data(as_text=True)
    )
    clock.advance(minutes=15)
    right = _post(me, form, PASSWORD)
    assert right.status_code in (200, 302) and "Too many" not in right.get_data(as_text=True)
    assert _failures(form.event) == 5


def test_without_the_device_cookie_the_forms_count_against_the_account(
    client_as, monkeypatch, hasher_calls
):
    me = client_as(Role.AUDITOR)
    me.delete_cookie("practice_qa_device")
    Clock(monkeypatch)
    form = FORMS[0]
    statuses = [_post(me, form, WRONG).status_code for _ in range(12)]
    assert statuses == [200] * 3 + [429] * 9
    assert {e.device_id for e in events(form.event)} == {None}
    assert [e.detail for e in events("sign_in_backed_off")] == [
        f"{me.user.username} from 127.0.0.1 (back-off) began: 1 second before the next attempt, "
        "doubling with each failure, up to 15 minutes"
    ]


def test_failures_on_a_form_and_at_sign_in_count_together(client_as, monkeypatch):
    me = client_as(Role.AUDITOR)
    Clock(monkeypatch)
    for _ in range(3):
        assert _post(me, FORMS[0], WRONG).status_code == 200
    me.post("/sign-out", data={"csrf_token": csrf_token(me, "/account")})
    refused = attempt(me, me.user.username)  # the same browser, signing in again
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"


def test_the_right_current_password_still_changes_it(client_as, monkeypatch):
    me = client_as(Role.AUDITOR)
    Clock(monkeypatch)
    assert _post(me, FORMS[0], WRONG).status_code == 200
    assert _post(me, FORMS[0], PASSWORD).status_code == 302
