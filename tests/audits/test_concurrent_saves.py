"""Fifty people saving the same audit at the same moment, all from the same (soon stale)
version, through a real server (gunicorn, 2 workers, on 127.0.0.1) and the real pages:
exactly one save wins, every other gets the conflict page with what they typed, nothing is
silently lost and the version only goes up."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Answer, Audit, ChangeLogEntry, Role
from tests.audits.factory import make_audit
from tests.audits.filling import page_version
from tests.audits.test_audit_form import first_text_question
from tests.helpers import CSRF_RE, PASSWORD
from tests.support.live_server import gunicorn_serving

CLIENTS = 50


@pytest.fixture
def server(app):
    """gunicorn serving the app on the test database; yields its base URL."""
    with gunicorn_serving(app) as base:
        yield base


class Browser:
    """A client with its own cookie jar that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar() if jar is None else jar
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_fifty_saves_from_one_stale_version_exactly_one_wins(server, make_user, loaded_templates):
    auditor = make_user(Role.AUDITOR, username="many.tabs")
    audit = make_audit("cin_plan", auditor=auditor)
    section, text_q = first_text_question(audit)
    path = f"/audits/{audit.id}/sections/{section['key']}"
    field = f"q__{text_q['key']}"
    get_settings()
    db.session.commit()  # everything the server needs is stored; hold no lock

    signer = Browser(server)
    _, page = signer.request("/sign-in")
    token = CSRF_RE.search(page).group(1)
    status, _ = signer.request(
        "/sign-in", {"csrf_token": token, "username": "many.tabs", "password": PASSWORD}
    )
    assert status == 302
    # Fifty tabs of the same signed-in browser, each with the page open at the same version.
    forms = []
    for i in range(CLIENTS):
        status, html = signer.request(path)
        assert status == 200
        forms.append(
            {
                "csrf_token": CSRF_RE.search(html).group(1),
                "lock_version": page_version(html),
                field: f"Tab {i}",
            }
        )
    assert len({f["lock_version"] for f in forms}) == 1
    start = int(forms[0]["lock_version"])

    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def save(i: int) -> None:
        barrier.wait(timeout=60)
        status, body = signer.request(path, forms[i])
        with lock:
            results.append((i, status, body))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == CLIENTS, "a save never answered"

    winners = [i for i, status, _ in results if status == 302]
    assert len(winners) == 1, sorted(status for _, status, _ in results)
    losers = [(i, body) for i, status, body in results if status == 409]
    assert len(losers) == CLIENTS - 1
    for i, body in losers:  # each loser is told, and sees what they typed
        assert "Someone else has changed this audit" in body
        assert re.search(rf"Tab {i}\b", body)

    db.session.expire_all()
    assert db.session.get(Audit, audit.id).lock_version == start + 1
    stored = db.session.scalar(
        select(Answer.value_text).where(
            Answer.audit_id == audit.id, Answer.question_key == text_q["key"]
        )
    )
    assert stored == f"Tab {winners[0]}"
    saves = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "audit",
            ChangeLogEntry.entity_id == str(audit.id),
            ChangeLogEntry.action == "section_saved",
        )
    ).all()
    assert len(saves) == 1 and saves[0].changes["fields"][field] == [None, stored]

    # A late stale save changes nothing: the version never goes back.
    db.session.commit()
    assert signer.request(path, forms[0] | {field: "Late"})[0] == 409
    db.session.expire_all()
    assert db.session.get(Audit, audit.id).lock_version == start + 1
