"""Delivery through GOV.UK Notify's official client (notifications-python-client) to a local
HTTP server on 127.0.0.1 that checks the request as Notify would: the path, the JSON body
(template_id, email_address, personalisation, reference) and the Authorization header, a
bearer JWT signed with the key's secret (HS256) whose issuer is the service id. Notify's
refusals are sorted into "try again" (429, 5xx, unreachable) and "failed" (400, 403)."""

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import select

from qa_app.data.notifications import Draft, write
from qa_app.extensions import db
from qa_app.models import EmailState, Notification, Role
from qa_app.rules.uk_time import BankHolidays
from qa_app.services.notifications import channels
from qa_app.services.notifications.rounds import Deliverer, run_round
from qa_app.web.messages import messages_for
from tests.services.notifications.servers import notify_server
from tests.support.live_server import free_port

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"practice_qa_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """requests honours proxy variables: the local server must be reached directly."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def _config(app, base_url: str) -> dict:
    return {
        **app.config,
        "QA_MAIL_CHANNEL": "notify",
        "QA_NOTIFY_API_KEY": API_KEY,
        "QA_NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
        "QA_NOTIFY_BASE_URL": base_url,
        "QA_SMTP_TIMEOUT": 5,
        "QA_BASE_URL": "https://qa.council.example",
    }


def _round(app, config, **kwargs):
    deliverer = Deliverer(config, channels.from_config(config), messages_for(app))
    return run_round(config, BankHolidays([]), deliverer, **kwargs)


@pytest.fixture
def waiting(make_user):
    """One urgent notification waiting for an auditor with an email address."""
    user = make_user(Role.AUDITOR, username="notify.me")
    user.email = "notify.me@council.example"
    db.session.commit()
    params = {
        "case_reference": "55501234",
        "respond_by": "2026-07-27T15:30:00+00:00",
        "working_days": 1,
    }
    write([Draft(user.id, "concern_raised", "k:notify", "/concerns/9", params)])
    db.session.commit()
    return db.session.scalars(select(Notification)).one().id


def _row(notification_id: int) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def test_notify_receives_the_request_its_official_client_sends(app, waiting):
    with notify_server() as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        summary = _round(app, _config(app, base))
    assert summary.sent == 1
    [request] = server.requests
    assert request["path"] == "/v2/notifications/email"
    body = request["json"]
    assert body["template_id"] == TEMPLATE_ID
    assert body["email_address"] == "notify.me@council.example"
    assert body["reference"] == f"notification-{waiting}"
    personalisation = body["personalisation"]
    assert personalisation["subject"] == (
        "Urgent concern on case 55501234: respond by 27 July 2026 at 16:30"
    )
    assert personalisation["link"] == "https://qa.council.example/concerns/9"
    assert "https://qa.council.example/concerns/9" in personalisation["body"]
    assert personalisation["body"].startswith("Dear Test notify.me,")

    scheme, token = request["headers"]["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 60
    assert request["headers"]["Content-type"] == "application/json"
    assert _row(waiting).email_state == EmailState.SENT


def test_a_request_notify_refuses_is_failed_with_its_reason(app, waiting):
    refusal = {
        "status_code": 400,
        "errors": [
            {
                "error": "BadRequestError",
                "message": "Can't send to this recipient using a team-only API key",
            }
        ],
    }
    with notify_server(status=400, answer=refusal) as server:
        summary = _round(app, _config(app, f"http://127.0.0.1:{server.server_address[1]}"))
    assert summary.failed == 1
    row = _row(waiting)
    assert row.email_state == EmailState.FAILED
    assert row.email_note == (
        "GOV.UK Notify answered 400: Can't send to this recipient using a team-only API key"
    )
    assert SECRET not in row.email_note


@pytest.mark.parametrize("status", [429, 500])
def test_notify_busy_or_broken_is_tried_again_later(app, waiting, status):
    answer = {"status_code": status, "errors": [{"error": "E", "message": "Try later"}]}
    start = datetime.now(UTC)
    with notify_server(status=status, answer=answer) as server:
        config = _config(app, f"http://127.0.0.1:{server.server_address[1]}")
        summary = _round(app, config, clock=lambda: start)
    assert summary.retrying == 1
    row = _row(waiting)
    assert (row.email_state, row.email_attempts) == (EmailState.PENDING, 1)
    assert row.email_next_at == start + timedelta(seconds=60)
    assert row.email_note.startswith(f"GOV.UK Notify answered {status}")
    with notify_server() as server:
        config = _config(app, f"http://127.0.0.1:{server.server_address[1]}")
        assert _round(app, config, clock=lambda: start + timedelta(seconds=61)).sent == 1
    assert len(server.requests) == 1


def test_notify_unreachable_is_tried_again_later(app, waiting):
    summary = _round(app, _config(app, f"http://127.0.0.1:{free_port()}"))
    assert summary.retrying == 1
    assert _row(waiting).email_note.startswith("GOV.UK Notify answered 503")


def test_a_notify_channel_without_its_key_is_refused_at_start(app):
    with pytest.raises(ValueError, match="QA_NOTIFY_API_KEY"):
        channels.from_config({**_config(app, "http://127.0.0.1:1"), "QA_NOTIFY_API_KEY": ""})
    with pytest.raises(ValueError, match="QA_MAIL_CHANNEL must be one of none, smtp, notify"):
        channels.from_config({**app.config, "QA_MAIL_CHANNEL": "pigeon"})
