"""Every write route leaves a change-log row naming who made the change.

PRODUCT.md: "every change to an audit, grade, template or action is recorded with who and
when". This walks the URL map for every rule accepting POST, PATCH, PUT or DELETE (web pages
and the /api/v1 JSON API) and, for each, makes one valid write through the real route (a form
post with its CSRF token, or an API call with a bearer token) and checks that it succeeded and
added ChangeLogEntry rows carrying the acting account's id. The scenarios (set-up and the write
itself) are in tests/support/write_scenarios.py; a new write route fails the completeness test below
until it has one there, or an entry in EXEMPT saying why it needs none.

Signing in and out are not changes to the service's records: they go to the security log
(SecurityEvent), which their own tests at the end check instead."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Role, SecurityEvent
from tests.helpers import csrf_token, sign_in
from tests.support.write_scenarios import SCENARIOS, Ctx

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

# Write routes with no scenario, and why.
EXEMPT = {
    # Signing in and out record a SecurityEvent (signed_in / sign_in_failed / signed_out), not
    # a change-log row: they change no audit, grade, template, action or account. Checked by
    # test_sign_in_is_recorded_in_the_security_log and test_sign_out_... below.
    "auth.sign_in",
    "auth.sign_out",
    # The second step of two-step sign-in records mfa_succeeded / mfa_failed /
    # recovery_code_used / signed_in in the security log (and marks the code's step or the
    # recovery code used), like signing in: no change-log row. tests/auth/test_mfa.py checks it.
    "auth.second_step",
    # Marking one's own notifications read (opening one, or all at once) changes only one's
    # own in-app list, not a record of the service: no change-log row, as reading a page
    # leaves none. tests/notifications/test_pages.py checks that only one's own are marked.
    "notifications.open_notification",
    "notifications.mark_all_read",
    # Pure reads that accept POST: none at present. (admin.settings also takes the "check a
    # case reference" form by POST, which is a read, but the same endpoint saves the settings,
    # so it has a scenario; test_checking_a_case_reference_writes_nothing covers the read.)
}


def write_rules(app) -> set[tuple[str, str]]:
    """(endpoint, rule) of every URL rule accepting a method that writes."""
    return {(r.endpoint, r.rule) for r in app.url_map.iter_rules() if r.methods & WRITE_METHODS}


def change_log_count() -> int:
    return db.session.scalar(select(func.count(ChangeLogEntry.id)))


def last_change_log_id() -> int:
    return db.session.scalar(select(func.max(ChangeLogEntry.id))) or 0


# ---- completeness -----------------------------------------------------------------------


def test_every_write_route_has_a_scenario_or_a_reason(app):
    rules = write_rules(app)
    covered = {(s.endpoint, s.rule) for s in SCENARIOS.values()}
    missing = {(e, r) for e, r in rules if e not in EXEMPT} - covered
    assert not missing, (
        f"write routes with no scenario in tests/support/write_scenarios.py: {missing}"
    )
    assert not covered - rules, f"scenarios for rules the app does not have: {covered - rules}"
    endpoints = {e for e, _ in rules}
    assert EXEMPT <= endpoints, f"exemptions for routes that do not write: {EXEMPT - endpoints}"
    assert not EXEMPT & {s.endpoint for s in SCENARIOS.values()}


# ---- one write through each route -------------------------------------------------------


@pytest.fixture
def ctx(request, app, client_as, make_user) -> Ctx:
    return Ctx(app=app, client_as=client_as, make_user=make_user, request=request)


def _param(key: str, bug: str | None):
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bug}")] if bug else []
    return pytest.param(key, id=key, marks=marks)


@pytest.mark.parametrize("key", [_param(key, s.bug) for key, s in SCENARIOS.items()])
def test_a_write_is_recorded_with_who_made_it(app, ctx, key):
    scenario = SCENARIOS[key]
    write = scenario.setup(ctx)
    rule, _ = app.url_map.bind("localhost").match(
        urlsplit(write.url).path, method=write.method, return_rule=True
    )
    assert (rule.endpoint, rule.rule) == (scenario.endpoint, scenario.rule), "wrong route"

    count, last_id = change_log_count(), last_change_log_id()
    response = write.send()

    assert response.status_code in write.expect, (
        f"{write.method} {write.url} answered {response.status_code}: "
        + response.get_data(as_text=True)[:1500]
    )
    db.session.expire_all()
    new = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.id > last_id)).all()
    assert change_log_count() > count, f"{write.method} {write.url} left no change-log row"
    who = {(e.entity_type, e.action): e.user_id for e in new}
    assert any(e.user_id == write.actor_id for e in new), (
        f"no change-log row names the acting account (id {write.actor_id}): {who}"
    )
    assert all(e.user_id == write.actor_id for e in new), (
        f"change-log rows written by this request name someone else, or nobody: {who}"
    )


def test_checking_a_case_reference_writes_nothing(client_as):
    """The settings page's second form posts to the same address but only reads."""
    admin = client_as(Role.ADMIN)
    token = csrf_token(admin, "/admin/settings")
    count = change_log_count()
    response = admin.post(
        "/admin/settings",
        data={
            "csrf_token": token,
            "check-case_reference": "1234567",
            "check-submit": "Check",
        },
    )
    assert response.status_code == 200
    assert "is a valid case reference" in response.get_data(as_text=True)
    assert change_log_count() == count


# ---- signing in and out: the security log -----------------------------------------------


def _security_events(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(SecurityEvent.event)
            .where(SecurityEvent.user_id == user_id)
            .order_by(SecurityEvent.id)
        )
    )


def test_sign_in_is_recorded_in_the_security_log(client, make_user):
    user = make_user(Role.AUDITOR)
    count = change_log_count()
    refused = sign_in(client, user.username, password="not-the-password-at-all")
    assert refused.status_code == 200
    failed = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.event == "sign_in_failed")
    ).one()
    assert failed.username == user.username
    assert sign_in(client, user.username).status_code == 302
    assert _security_events(user.id) == ["signed_in"]
    assert change_log_count() == count


def test_sign_out_is_recorded_in_the_security_log(client_as):
    auditor = client_as(Role.AUDITOR)
    token = csrf_token(auditor)
    count = change_log_count()
    response = auditor.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert _security_events(auditor.user.id) == ["signed_in", "signed_out"]
    assert change_log_count() == count
