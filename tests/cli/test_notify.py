"""`flask --app qa_app qa notify`: one round, or a round every --every seconds bounded by
--rounds; a summary line per round; a channel set up wrongly is refused before any round."""

from datetime import date

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import EmailState, Notification, Role
from tests.audits.factory import make_audit
from tests.services.notifications.servers import smtp_server


def test_one_round_writes_what_is_due_and_says_so(app, make_user, loaded_templates):
    auditor = make_user(Role.AUDITOR)
    make_audit("cin_plan", auditor=auditor, reference="40000001", due_date=date(2020, 1, 6))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["qa", "notify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Notifications: 1 written (audit_overdue 1), 0 digests,")
    assert "1 not emailed" in result.output  # QA_MAIL_CHANNEL is none by default
    row = db.session.scalars(select(Notification)).one()
    assert row.email_state == EmailState.NOT_SENT


def test_every_seconds_runs_the_rounds_asked_for_and_sends_by_smtp(app, make_user, monkeypatch):
    user = make_user(Role.AUDITOR)
    user.email = "cli@council.example"
    db.session.commit()
    from qa_app.data.notifications import Draft, write

    params = {"count": 2, "cycle": None, "due_date": None}
    write([Draft(user.id, "audit_assigned", "cli", "/audits/mine", params)])
    db.session.commit()
    with smtp_server() as (port, inbox):
        for key, value in {
            "QA_MAIL_CHANNEL": "smtp",
            "QA_SMTP_HOST": "127.0.0.1",
            "QA_SMTP_PORT": port,
            "QA_SMTP_TLS": "none",
            "QA_MAIL_FROM": "qa@council.example",
        }.items():
            monkeypatch.setitem(app.config, key, value)
        result = app.test_cli_runner().invoke(
            args=["qa", "notify", "--every", "1", "--rounds", "2"]
        )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert ", 1 sent," in lines[0] and ", 0 sent," in lines[1]
    assert [m["Subject"] for m in inbox.parsed()] == ["2 audits to do"]


def test_a_channel_set_up_wrongly_is_refused_before_any_round(app, monkeypatch):
    monkeypatch.setitem(app.config, "QA_MAIL_CHANNEL", "smtp")
    monkeypatch.setitem(app.config, "QA_SMTP_HOST", "")
    result = app.test_cli_runner().invoke(args=["qa", "notify"])
    assert result.exit_code == 2
    assert "QA_SMTP_HOST and QA_MAIL_FROM must be set" in result.output


def test_an_unknown_escalation_role_is_refused_before_any_round(app, monkeypatch):
    monkeypatch.setitem(app.config, "QA_CONCERN_ESCALATE_TO", "senior_manager, director")
    result = app.test_cli_runner().invoke(args=["qa", "notify"])
    assert result.exit_code == 2
    assert "QA_CONCERN_ESCALATE_TO names no role called director" in result.output
