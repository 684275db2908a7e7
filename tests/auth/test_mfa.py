"""Two-step sign-in (ASVS 6.5 / 6.6 level 2): TOTP codes from an authenticator app and one-time
recovery codes; off by default, required for roles by an administrator, reset by one.

Proves: signing in is unchanged when nobody uses it; enrolling shows a secret and QR code and
then 10 recovery codes once (stored only as salted hashes); after the password an enrolled
account is not signed in until the second step; a code is never accepted twice; a recovery code
works once; the pending step lapses after 5 minutes; wrong codes are throttled and logged, and
count with wrong passwords against the account (tests/auth/test_guessing_forms.py has the other
forms that check a password or a code); a role that must use it is sent to enrol before
anything else and cannot turn it off; an administrator can require it for roles and reset
someone's enrolment."""

import re
import time

import pyotp
from sqlalchemy import select

from qa_app.data import mfa
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, RecoveryCode, Role, SecurityEvent, UserSession
from tests.auth.clock import Clock
from tests.auth.guessing import attempt, fail
from tests.helpers import PASSWORD, csrf_token, sign_in
from tests.support.write_scenarios_auth_mfa import enrolled


def _code(user, steps: int = 0) -> str:
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps)


def _events(name: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == name)))


def _post_code(client, code: str, url: str = "/sign-in/code"):
    return client.post(url, data={"csrf_token": csrf_token(client, url), "code": code})


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _require(*roles: Role) -> None:
    get_settings().mfa_required_roles = [r.value for r in roles]
    db.session.commit()


# ---- off by default -----------------------------------------------------------------------


def test_with_nobody_enrolled_and_no_role_required_sign_in_is_one_step(client, make_user):
    user = make_user(Role.AUDITOR)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in(client)
    assert [e.event for e in db.session.scalars(select(SecurityEvent))] == ["signed_in"]


# ---- enrolling ----------------------------------------------------------------------------


def test_enrolling_shows_a_qr_code_then_ten_recovery_codes_once_stored_as_hashes(client_as):
    me = client_as(Role.AUDITOR)
    page = me.get("/account/two-step")
    html = page.get_data(as_text=True)
    db.session.refresh(me.user)
    secret = me.user.totp_secret
    assert secret and me.user.mfa_enabled_at is None
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in html
    qr = re.search(r'<img class="app-qr-code" src="([^"]+)"', html).group(1)
    assert qr.startswith("data:image/svg+xml")  # img-src allows data:, no inline style needed
    uri = mfa.provisioning_uri(me.user)
    assert uri.startswith("otpauth://totp/Practice%20QA:") and "issuer=Practice%20QA" in uri

    wrong = _post_code(me, "000000" if _code(me.user) != "000000" else "111111", page.request.path)
    assert "The code is not right" in wrong.get_data(as_text=True)
    done = _post_code(me, _code(me.user), "/account/two-step")
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{5}(?:-[a-z2-7]{5}){3})</li>", done.get_data(as_text=True))
    assert len(codes) == 10 == len(set(codes))

    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == me.user.id)
    ).all()
    assert len(stored) == 10
    assert all(h.startswith("sha256$") and not any(c in h for c in codes) for h in stored)
    assert len({h.split("$")[1] for h in stored}) == 10  # a salt per code
    db.session.refresh(me.user)
    assert me.user.mfa_enabled_at is not None
    assert "Two-step sign-in is on" in me.get("/account/two-step").get_data(as_text=True)
    assert [e.user_id for e in _events("mfa_enabled")] == [me.user.id]
    assert (
        db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.action == "two_step_enabled")
        )
        .one()
        .user_id
        == me.user.id
    )


def test_a_code_one_step_either_side_is_accepted_two_steps_away_is_not(make_user):
    user = make_user(Role.AUDITOR)
    mfa.begin_enrolment(user)
    totp, now = pyotp.TOTP(user.totp_secret), time.time()
    assert not mfa._claim_totp(user, totp.at(now - 60), now=now)
    assert not mfa._claim_totp(user, totp.at(now + 60), now=now)
    assert mfa._claim_totp(user, totp.at(now - 30), now=now)
    assert mfa._claim_totp(user, totp.at(now + 30), now=now)
    assert not mfa._claim_totp(user, totp.at(now), now=now)  # before the last accepted step


# ---- the second step ----------------------------------------------------------------------


def test_an_enrolled_account_is_not_signed_in_until_the_second_step(client, make_user):
    user = make_user(Role.AUDITOR)
    enrolled(user)
    response = sign_in(client, user.username)
    assert response.headers["Location"] == "/sign-in/code"
    assert not _signed_in(client)
    assert db.session.scalars(select(UserSession)).all() == []
    assert client.get("/sign-in/code").status_code == 200

    done = _post_code(client, _code(user, 1))
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert _signed_in(client)
    assert [e.detail for e in _events("mfa_succeeded")] == ["totp"]
    assert len(_events("signed_in")) == 1


def test_the_second_step_keeps_where_the_person_was_going(client, make_user):
    user = make_user(Role.AUDITOR)
    enrolled(user)
    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in?next=/account",
        data={"csrf_token": token, "username": user.username, "password": PASSWORD},
    )
    assert _post_code(client, _code(user, 1)).headers["Location"] == "/account"


def test_a_replayed_code_is_refused(app, make_user):
    user = make_user(Role.AUDITOR)
    enrolled(user)  # used the previous step's code
    code = _code(user)
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.username)
    assert _post_code(first, code).status_code == 302
    sign_in(second, user.username)
    refused = _post_code(second, code)
    assert refused.status_code == 200
    assert "The code is not right" in refused.get_data(as_text=True)
    assert not _signed_in(second)
    assert len(_events("mfa_failed")) == 1


def test_a_recovery_code_works_once(app, make_user):
    user = make_user(Role.AUDITOR)
    codes = enrolled(user)
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.username)
    assert _post_code(first, codes[3].upper().replace("-", " ")).status_code == 302
    [used] = _events("recovery_code_used")
    assert used.detail == "9 left"
    sign_in(second, user.username)
    refused = _post_code(second, codes[3])
    assert "The code is not right" in refused.get_data(as_text=True)
    assert not _signed_in(second)
    assert [e.detail for e in _events("mfa_succeeded")] == ["recovery_code"]


def test_new_recovery_codes_replace_the_old_ones(client_as):
    me = client_as(Role.AUDITOR)
    old = enrolled(me.user)
    wrong = me.post(
        "/account/two-step/recovery-codes",
        data={"csrf_token": csrf_token(me, "/account/two-step"), "codes-password": "nope"},
    )
    assert "Your password is not right" in wrong.get_data(as_text=True)
    response = me.post(
        "/account/two-step/recovery-codes",
        data={"csrf_token": csrf_token(me, "/account/two-step"), "codes-password": PASSWORD},
    )
    new = re.findall(r"<li>([a-z2-7-]{23})</li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert not mfa._claim_recovery_code(me.user, old[0])
    assert mfa._claim_recovery_code(me.user, new[0])


def test_the_pending_second_step_expires_after_five_minutes(client, make_user):
    user = make_user(Role.AUDITOR)
    enrolled(user)
    sign_in(client, user.username)
    with client.session_transaction() as session:
        pending = session["mfa_pending"]
        session["mfa_pending"] = {**pending, "at": pending["at"] - 5 * 60 - 1}
    response = client.get("/sign-in/code")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    with client.session_transaction() as session:
        assert "mfa_pending" not in session
    refused = client.post("/sign-in/code", data={"code": _code(user, 1)})
    assert refused.status_code in (302, 400)  # no pending step (and no form token)
    assert not _signed_in(client)


def test_wrong_codes_are_throttled_like_wrong_passwords(client, make_user, monkeypatch):
    user = make_user(Role.AUDITOR)
    enrolled(user)
    sign_in(client, user.username)
    clock = Clock(monkeypatch)
    right = _code(user, 1)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(3):
        assert "The code is not right" in _post_code(client, wrong).get_data(as_text=True)
    throttled = _post_code(client, right)
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert "Too many failed attempts. Wait 1 second" in throttled.get_data(as_text=True)
    assert not _signed_in(client)
    failed = _events("mfa_failed")
    assert [(e.user_id, e.username, e.detail) for e in failed] == [
        (user.id, user.username, "sign in: two-step code")
    ] * 3
    assert [e.detail for e in _events("sign_in_throttled")] == ["sign in: two-step code (back-off)"]
    # The throttled attempt did not use up the code: after the wait it works.
    db.session.refresh(user)
    assert user.totp_last_step < int(time.time() // 30) + 1
    clock.advance(1)
    assert _post_code(client, right).status_code == 302


def test_wrong_codes_and_wrong_passwords_count_together_for_the_account(
    app, client, make_user, monkeypatch
):
    """Ten failures of the account, passwords from some addresses and codes from others, lock it
    for browsers it has not signed in on."""
    user = make_user(Role.AUDITOR)
    enrolled(user)
    Clock(monkeypatch)
    for n in range(5):
        fail(client, user.username, ip=f"198.51.100.{n}")
    for n in range(5):
        browser = app.test_client()
        assert attempt(browser, user.username, ip=f"203.0.113.{n}").status_code == 302
        wrong = browser.post(
            "/sign-in/code",
            data={"csrf_token": csrf_token(browser, "/sign-in/code"), "code": "000000"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
        assert wrong.status_code == 200
    refused = attempt(app.test_client(), user.username, ip="192.0.2.1")
    assert refused.status_code == 429
    assert "for this account from browsers it has not signed in on" in refused.get_data(
        as_text=True
    )


# ---- roles that must use it ---------------------------------------------------------------


def test_a_required_role_must_enrol_before_reaching_anything(client, make_user):
    _require(Role.MODERATOR)
    user = make_user(Role.MODERATOR)
    response = sign_in(client, user.username)
    assert response.headers["Location"] == "/sign-in/set-up"
    for url in ("/", "/account", "/account/two-step"):
        assert client.get(url).headers["Location"].startswith("/sign-in")
    page = client.get("/sign-in/set-up")
    assert "Your role must use two-step sign-in" in page.get_data(as_text=True)
    done = _post_code(client, _code(user), "/sign-in/set-up")
    assert done.status_code == 200
    assert len(re.findall(r"<li>[a-z2-7-]{23}</li>", done.get_data(as_text=True))) == 10
    assert _signed_in(client)
    assert [e.event for e in db.session.scalars(select(SecurityEvent))] == [
        "mfa_enabled",
        "signed_in",
    ]


def test_someone_signed_in_when_their_role_becomes_required_sets_it_up_at_the_next_page(
    client_as,
):
    me = client_as(Role.AUDITOR)
    page = "/audits/mine"
    token = csrf_token(me, "/account")
    assert me.get(page).status_code == 200
    _require(Role.AUDITOR)
    response = me.get(page)
    assert response.headers["Location"] == "/account/two-step"
    landing = me.get("/account/two-step").get_data(as_text=True)
    assert "Your role must now use two-step sign-in" in landing
    # A form already open still saves: a POST is let through, nothing typed is lost.
    wrong = me.post(
        "/account",
        data={"csrf_token": token, "current_password": "not-it", "new_password": "x" * 20},
    )
    assert wrong.status_code == 200 and "<title>Error: Your account" in wrong.get_data(
        as_text=True
    )  # the form was handled (and refused), not sent elsewhere
    # Signing out is allowed; so is setting it up, after which everything opens again.
    assert _post_code(me, _code(me.user), "/account/two-step").status_code == 200
    assert mfa.is_enabled(me.user)
    assert me.get(page).status_code == 200


def test_a_required_role_cannot_turn_it_off(client_as):
    me = client_as(Role.MODERATOR)
    enrolled(me.user)
    _require(Role.MODERATOR)
    page = me.get("/account/two-step").get_data(as_text=True)
    assert "you cannot turn it off" in page
    response = me.post(
        "/account/two-step/turn-off",
        data={"csrf_token": csrf_token(me, "/account/two-step"), "off-password": PASSWORD},
    )
    assert response.status_code == 302
    assert mfa.is_enabled(me.user) and _events("mfa_disabled") == []


def test_turning_it_off_needs_the_password(client_as):
    me = client_as(Role.AUDITOR)
    enrolled(me.user)
    url, token = "/account/two-step/turn-off", csrf_token(me, "/account/two-step")
    wrong = me.post(url, data={"csrf_token": token, "off-password": "not-my-password"})
    assert "Your password is not right" in wrong.get_data(as_text=True)
    assert mfa.is_enabled(me.user)
    assert me.post(url, data={"csrf_token": token, "off-password": PASSWORD}).status_code == 302
    db.session.refresh(me.user)
    assert not mfa.is_enabled(me.user) and me.user.totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert len(_events("mfa_disabled")) == 1


# ---- administrators -----------------------------------------------------------------------


def test_an_administrator_requires_it_for_roles_in_the_settings(client_as):
    admin = client_as(Role.ADMIN)
    data = {
        "csrf_token": csrf_token(admin, "/admin/settings"),
        "council_name": "Example Council",
        "service_name": "Practice QA",
        "case_reference_pattern": "[0-9]{6,10}",
        "case_reference_hint": "The case number",
        "small_number_threshold": "5",
        "mfa_required_roles": [Role.MODERATOR.value, Role.QA_LEAD.value],
        "submit": "Save settings",
    }
    assert admin.post("/admin/settings", data=data).status_code == 302
    db.session.expire_all()
    assert sorted(get_settings().mfa_required_roles) == ["moderator", "qa_lead"]
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "org_settings")
    ).one()
    assert entry.changes["mfa_required_roles"] == [[], ["moderator", "qa_lead"]]
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'value="qa_lead"[^>]*checked', page)


def test_an_administrator_resets_the_enrolment_of_someone_who_lost_their_phone(
    app, client_as, make_user
):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR)
    enrolled(target)
    person = app.test_client()
    sign_in(person, target.username)
    assert _post_code(person, _code(target, 1)).status_code == 302
    page = admin.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Reset two-step sign-in" in page
    response = admin.post(
        f"/admin/users/{target.id}/reset-two-step",
        data={"csrf_token": csrf_token(admin, f"/admin/users/{target.id}")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not mfa.is_enabled(target) and target.totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert not _signed_in(person)  # their sessions are signed out
    [event] = _events("mfa_reset")
    assert (event.user_id, event.detail) == (admin.user.id, f"for {target.username}")
    assert (
        db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "two_step_reset"))
        .one()
        .user_id
        == admin.user.id
    )
    # Their role does not require it: the next sign-in is one step again.
    assert sign_in(person, target.username).headers["Location"] == "/"
