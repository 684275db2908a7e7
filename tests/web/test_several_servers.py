"""Several app servers sharing one database (docs/deployment.md, "Several app servers"): two
gunicorn servers on the test database (SQLite, or PostgreSQL as CI runs it) with the same
secret key, and one browser whose requests a load balancer would spread between them. A
session started on one works on the other, a form from one saves through the other, signing
out on one ends the session on both, and failed sign-ins are counted across both."""

import pytest
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.data.security_log import log_event
from qa_app.data.sign_in_throttle import FAILED
from qa_app.extensions import db
from qa_app.models import Answer, Role
from tests.audits.factory import make_audit
from tests.audits.filling import page_version
from tests.audits.test_audit_form import first_text_question
from tests.audits.test_concurrent_saves import Browser
from tests.helpers import CSRF_RE, PASSWORD
from tests.support.live_server import gunicorn_serving


@pytest.fixture
def servers(app):
    with gunicorn_serving(app, workers=1) as first, gunicorn_serving(app, workers=1) as second:
        yield first, second


def _sign_in(browser: Browser, username: str, password: str = PASSWORD) -> int:
    _, page = browser.request("/sign-in")
    token = CSRF_RE.search(page).group(1)
    status, _ = browser.request(
        "/sign-in", {"csrf_token": token, "username": username, "password": password}
    )
    return status


def test_a_session_started_on_one_server_works_on_the_other(servers, make_user, loaded_templates):
    first, second = servers
    auditor = make_user(Role.AUDITOR, username="two.servers")
    audit = make_audit("cin_plan", auditor=auditor)
    section, question = first_text_question(audit)
    path = f"/audits/{audit.id}/sections/{section['key']}"
    get_settings()
    db.session.commit()  # everything the servers need is stored; hold no lock

    on_first = Browser(first)
    on_second = Browser(second, jar=on_first.jar)  # the same browser, the other server
    assert _sign_in(on_first, "two.servers") == 302
    status, page = on_second.request("/account")
    assert status == 200 and "two.servers" in page

    # The page comes from one server, the save goes to the other (its CSRF token and lock
    # version included): saved.
    status, page = on_first.request(path)
    assert status == 200
    form = {
        "csrf_token": CSRF_RE.search(page).group(1),
        "lock_version": page_version(page),
        "action": "later",
        f"q__{question['key']}": "Typed on one server, saved through the other",
    }
    status, _ = on_second.request(path, form)
    assert status == 302
    db.session.rollback()
    stored = db.session.scalars(
        select(Answer.value_text).where(
            Answer.audit_id == audit.id, Answer.question_key == question["key"]
        )
    ).one()
    db.session.rollback()
    assert stored == "Typed on one server, saved through the other"

    # Signing out on one server ends the session on both.
    _, page = on_first.request("/account")
    status, _ = on_second.request("/sign-out", {"csrf_token": CSRF_RE.search(page).group(1)})
    assert status == 302
    for browser in (on_first, on_second):
        status, _ = browser.request("/account")
        assert status == 302


def test_failed_sign_ins_are_counted_across_servers(app, servers, make_user):
    """Eight failures already logged from other addresses, then one wrong password through
    each server: the tenth locks the account for new browsers, on either server."""
    first, second = servers
    make_user(Role.AUDITOR, username="guessed.at")
    limit = app.config["QA_SIGN_IN_MAX_FAILURES"]
    for n in range(limit - 2):
        log_event(FAILED, username="guessed.at", ip=f"198.51.100.{n}", commit=False)
    db.session.commit()
    browsers = [Browser(first), Browser(second)]
    for browser in browsers:
        assert _sign_in(browser, "guessed.at", "not-the-password") == 200
    for browser in browsers:  # the right password is now refused on either server
        assert _sign_in(browser, "guessed.at") == 429
