"""A request's database work stops at QA_REQUEST_SECONDS, so it never outlives gunicorn's
worker timeout: the person gets the app's own 503 page (with every security header) instead of
a killed worker's bare 500; the API answers 503 in JSON. Work outside a request is not bounded.
The slow statement is real: a recursive count that runs for seconds on SQLite and PostgreSQL."""

import time

import pytest
from sqlalchemy import text

from qa_app.data import concerns
from qa_app.data import cycles as cycle_data
from qa_app.extensions import db
from qa_app.models import Role
from tests.api.support import api_as

# Counting to a billion: minutes of work on either database, unless interrupted.
SLOW = text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c"
)


@pytest.fixture
def short_budget(app):
    app.config["QA_REQUEST_SECONDS"] = 1
    yield
    app.config["QA_REQUEST_SECONDS"] = 20


def _slow(*_args, **_kwargs):
    return db.session.execute(SLOW).scalar()


def test_a_page_past_its_budget_gets_the_apps_own_503(client_as, short_budget, monkeypatch):
    lead = client_as(Role.QA_LEAD)
    monkeypatch.setattr(concerns, "visible_to", _slow)
    started = time.monotonic()
    response = lead.get("/")
    took = time.monotonic() - started
    assert response.status_code == 503
    assert "This is taking too long" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert took < 5, took
    monkeypatch.undo()
    assert lead.get("/").status_code == 200  # the next request starts its own clock


def test_the_api_answers_503_in_json(app, make_user, short_budget, monkeypatch):
    api = api_as(app, make_user, Role.QA_LEAD)
    monkeypatch.setattr(cycle_data, "list_cycles", _slow)
    response = api.get("/cycles")
    assert response.status_code == 503, response.get_json()
    assert "needed more work" in response.get_json()["error"]["message"]


def test_work_outside_a_request_is_not_bounded(app, short_budget):
    quick = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
        "SELECT count(*) FROM c"
    )
    assert db.session.execute(quick).scalar() == 300000
