"""Delivery by SMTP to a real server on 127.0.0.1 (aiosmtpd): an urgent concern arrives once,
with no case free text and a link into the app; a relay that is down is tried again later
with back-off and nothing is lost; a refused address fails for good, visibly; two schedulers
at once send each message once; a kind turned off is never sent, an urgent one always is."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from qa_app.data import notifications
from qa_app.data.concerns import raise_concern
from qa_app.data.notifications import Draft, write
from qa_app.data.organisation import get_settings, save_team
from qa_app.extensions import db
from qa_app.models import EmailState, Notification, Role, User, UserRole
from qa_app.rules.uk_time import LONDON, BankHolidays, uk_today
from qa_app.services.notifications import channels
from qa_app.services.notifications.rounds import Deliverer, Summary, run_round
from qa_app.web.messages import messages_for
from tests.audits.factory import make_audit
from tests.services.notifications.servers import smtp_config, smtp_server
from tests.support.live_server import free_port

FREE_TEXT = "Kelly-Ann said her stepfather hit her with a belt"
CALENDAR = BankHolidays([])  # weekends only: the dates below need no bank-holiday list


def _round(app, config, *, now=None, clock=None):
    deliverer = Deliverer(config, channels.from_config(config), messages_for(app))
    kwargs = {"now": now} if now else {}
    if clock:
        kwargs["clock"] = clock
    return run_round(config, CALENDAR, deliverer, **kwargs)


@pytest.fixture
def concern_case(make_user, loaded_templates):
    """An audit on a case of the team "MASH" with its auditor, a QA lead and a team member
    (all with email addresses)."""
    team = save_team("MASH", None, True, actor=None)
    lead = make_user(Role.QA_LEAD, username="lead")
    manager = make_user(Role.AUDITOR, username="team.manager", teams=[team])
    auditor = make_user(Role.AUDITOR, username="the.auditor")
    for user in (lead, manager, auditor):
        user.email = f"{user.username}@council.example"
    db.session.commit()
    audit = make_audit("single_assessment", auditor=auditor, team=team, reference="55501234")
    return {"audit": audit, "lead": lead, "manager": manager, "auditor": auditor}


def _text(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def _state(user_id: int, kind: str) -> Notification:
    db.session.expire_all()
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ).one()


def test_an_urgent_concern_arrives_once_with_a_link_and_no_case_free_text(app, concern_case):
    c = concern_case
    concern = raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    with smtp_server() as (port, inbox):
        config = smtp_config(app, port)
        first = _round(app, config)
        second = _round(app, config)
    assert (first.sent, second.sent) == (2, 0)
    for who in ("lead", "manager"):
        [message] = inbox.by_recipient(f"{c[who].username}@council.example")
        body = _text(message)
        assert message["Subject"].startswith("Urgent concern on case 55501234: respond by ")
        assert message["From"] == "practice-qa@council.example"
        assert (
            message["Message-ID"]
            == f"<notification-{_state(c[who].id, 'concern_raised').id}@council.example>"
        )
        assert f"https://qa.council.example/concerns/{concern.id}\n" in body
        assert "Emails about urgent concerns cannot be turned off." in body
        for word in ("Kelly", "stepfather", "belt"):
            assert word not in body and word not in message["Subject"]
        assert _state(c[who].id, "concern_raised").email_state == EmailState.SENT
    assert inbox.by_recipient("the.auditor@council.example") == []  # who raised it knows


def test_the_concern_and_its_notifications_are_stored_together(concern_case):
    """Written in the concern's own transaction: no window in which the concern exists and
    its urgent message does not."""
    c = concern_case
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    db.session.rollback()  # nothing left uncommitted by raise_concern
    rows = db.session.scalars(select(Notification).where(Notification.kind == "concern_raised"))
    assert {n.user_id for n in rows} == {c["lead"].id, c["manager"].id}


def test_a_relay_that_is_down_is_tried_again_later_and_nothing_is_lost(app, concern_case):
    c = concern_case
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    port = free_port()  # nothing listens here yet
    config = smtp_config(app, port)
    start = datetime.now(UTC)

    down = _round(app, config, clock=lambda: start)
    assert (down.sent, down.retrying, down.failed) == (0, 2, 0)
    row = _state(c["lead"].id, "concern_raised")
    assert row.email_state == EmailState.PENDING and row.email_attempts == 1
    assert f"Could not reach the mail relay 127.0.0.1:{port}" in row.email_note
    assert row.email_next_at == start.replace(microsecond=start.microsecond) + timedelta(seconds=60)

    again = _round(app, config, clock=lambda: start + timedelta(seconds=61))
    assert again.retrying == 2
    row = _state(c["lead"].id, "concern_raised")
    assert row.email_attempts == 2
    assert row.email_next_at == start + timedelta(seconds=61 + 120)  # the wait doubles

    too_soon = _round(app, config, clock=lambda: start + timedelta(seconds=100))
    assert (too_soon.sent, too_soon.retrying) == (0, 0)  # not yet time: not tried

    with smtp_server(port=port) as (_, inbox):
        up = _round(app, config, clock=lambda: start + timedelta(seconds=200))
    assert up.sent == 2
    assert len(inbox.parsed()) == 2
    assert _state(c["lead"].id, "concern_raised").email_state == EmailState.SENT


def test_an_address_the_relay_refuses_fails_for_good_and_shows_why(app, concern_case):
    c = concern_case
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    with smtp_server(refuse={"lead@council.example"}) as (port, inbox):
        summary = _round(app, smtp_config(app, port))
    assert (summary.sent, summary.failed) == (1, 1)
    row = _state(c["lead"].id, "concern_raised")
    assert row.email_state == EmailState.FAILED
    assert row.email_note == "The mail relay refused the address (550)"
    assert [m["To"] for m in inbox.parsed()] == ["team.manager@council.example"]


def test_after_the_last_attempt_an_email_is_failed_not_lost(app, concern_case):
    c = concern_case
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    config = smtp_config(app, free_port(), QA_MAIL_MAX_ATTEMPTS=2, QA_MAIL_RETRY_SECONDS=1)
    start = datetime.now(UTC)
    _round(app, config, clock=lambda: start)
    last = _round(app, config, clock=lambda: start + timedelta(seconds=5))
    assert last.failed == 2
    row = _state(c["lead"].id, "concern_raised")
    assert (row.email_state, row.email_attempts) == (EmailState.FAILED, 2)
    # still in the person's list, and the QA lead can send it again
    assert notifications.unread_count(c["lead"]) == 1
    assert notifications.retry_failed(actor=c["lead"]) == 2
    with smtp_server(port=config["QA_SMTP_PORT"]) as (_, inbox):
        assert _round(app, config).sent == 2
    assert len(inbox.parsed()) == 2


def test_a_kind_turned_off_is_never_sent_and_an_urgent_one_always_is(app, concern_case):
    from qa_app.data.cycle_assignment import assign

    c = concern_case
    lead, manager = c["lead"], c["manager"]
    changed = notifications.save_modes(
        manager,
        {"audit_assigned": "off", "concern_raised": "off", "concern_escalated": "app"},
        actor=manager,
    )
    assert changed == {"audit_assigned": ["email", "off"]}  # the urgent kinds did not change
    with pytest.raises(ValueError, match="always by email at once"):
        db.session.add(
            notifications.NotificationPreference(
                user_id=manager.id, kind="concern_raised", mode="off"
            )
        )
    db.session.rollback()

    audit = make_audit("cin_plan", reference="55509999")
    assign(audit, manager, override=False, actor=lead)
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    with smtp_server() as (port, inbox):
        _round(app, smtp_config(app, port))
    kinds = set(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == manager.id))
    )
    assert kinds == {"concern_raised"}  # no row at all for what they turned off
    [message] = inbox.by_recipient("team.manager@council.example")
    assert message["Subject"].startswith("Urgent concern")


def test_in_the_app_only_and_no_address_are_not_emailed_and_say_why(app, concern_case):
    from qa_app.data.cycle_assignment import assign

    c = concern_case
    notifications.save_modes(c["manager"], {"audit_assigned": "app"}, actor=c["manager"])
    c["lead"].email = None
    db.session.commit()
    assign(
        make_audit("cin_plan", reference="55508888"), c["manager"], override=False, actor=c["lead"]
    )
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    with smtp_server() as (port, inbox):
        summary = _round(app, smtp_config(app, port))
    assert summary.sent == 1  # the team manager's urgent concern
    assigned = _state(c["manager"].id, "audit_assigned")
    assert (assigned.email_state, assigned.email_note) == (
        EmailState.NOT_SENT,
        "In the app only (their choice)",
    )
    no_address = _state(c["lead"].id, "concern_raised")
    assert no_address.email_state == EmailState.NOT_SENT
    assert no_address.email_note.startswith("No email address on the account")
    assert [m["To"] for m in inbox.parsed()] == ["team.manager@council.example"]


def test_with_no_channel_nothing_is_mailed_and_everything_stays_in_the_app(app, concern_case):
    c = concern_case
    raise_concern(c["audit"], FREE_TEXT, actor=c["auditor"], calendar=CALENDAR)
    summary = _round(app, {**app.config, "QA_MAIL_CHANNEL": "none"})
    assert (summary.sent, summary.not_sent) == (0, 2)
    row = _state(c["lead"].id, "concern_raised")
    assert row.email_state == EmailState.NOT_SENT and "QA_MAIL_CHANNEL" in row.email_note
    assert notifications.unread_count(c["lead"]) == 1


def test_a_daily_digest_gathers_what_waited_for_it(app, concern_case):
    c = concern_case
    auditor = c["auditor"]
    notifications.save_modes(auditor, {"audit_assigned": "daily"}, actor=auditor)
    write(
        Draft(
            auditor.id,
            "audit_assigned",
            f"t:{n}",
            f"/audits/{n}",
            {"count": 1, "cycle": None, "due_date": None, "case_reference": f"6660000{n}"},
        )
        for n in (1, 2)
    )
    db.session.commit()
    # 06:30 tomorrow in London: before QA_DIGEST_HOUR (7); then 08:30
    early = datetime.combine(uk_today() + timedelta(days=1), time(6, 30), tzinfo=LONDON)
    with smtp_server() as (port, inbox):
        config = smtp_config(app, port)
        assert _round(app, config, now=early, clock=lambda: early).digests == 0
        later = early + timedelta(hours=2)
        assert _round(app, config, now=later, clock=lambda: later).digests == 1
        assert _round(app, config, now=later, clock=lambda: later).digests == 0
    [message] = inbox.parsed()
    assert message["Subject"] == "Your daily digest: 2 notifications"
    body = _text(message)
    assert "- Audit to do: case 66600001\n  https://qa.council.example/audits/1" in body
    assert "- Audit to do: case 66600002" in body
    states = set(
        db.session.scalars(
            select(Notification.email_state).where(Notification.kind == "audit_assigned")
        )
    )
    assert states == {EmailState.IN_DIGEST}


# ---- two schedulers at once --------------------------------------------------------------


def _many_pending(count: int) -> list[int]:
    users = []
    for n in range(count // 4):
        user = User(
            username=f"bulk{n}",
            display_name=f"Bulk {n}",
            email=f"bulk{n}@council.example",
            password_hash="x",
            role_rows=[UserRole(role=Role.AUDITOR.value)],
        )
        db.session.add(user)
        users.append(user)
    db.session.flush()
    write(
        Draft(
            users[n % len(users)].id,
            "audit_assigned",
            f"bulk:{n}",
            f"/audits/{n}",
            {"count": 3, "cycle": None, "due_date": None},
        )
        for n in range(count)
    )
    get_settings()  # the settings row exists, as in a migrated database
    db.session.commit()
    ids = list(db.session.scalars(select(Notification.id)))
    db.session.commit()  # hold no lock (SQLite): the schedulers run in other sessions
    return ids


def test_two_schedulers_at_once_send_each_message_exactly_once(app):
    ids = _many_pending(80)
    errors, summaries = [], []
    with smtp_server(delay=0.005) as (port, inbox):
        config = smtp_config(app, port, QA_MAIL_BATCH=7)
        start = threading.Barrier(2)

        def scheduler():
            try:
                with app.app_context():  # its own database session, as another server's
                    deliverer = Deliverer(config, channels.from_config(config), messages_for(app))
                    start.wait(timeout=30)
                    summary = Summary()
                    deliverer.deliver(summary)
                    summaries.append(summary)
                    db.session.remove()
            except Exception as error:  # reported below, not lost in the thread
                errors.append(error)

        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert not errors, errors
    assert sum(s.sent for s in summaries) == len(ids)
    assert all(s.sent for s in summaries), "both schedulers took part"
    sent_ids = sorted(
        int(m["Message-ID"].removeprefix("<notification-").split("@")[0]) for m in inbox.parsed()
    )
    assert sent_ids == sorted(ids)  # every message once: none twice, none missing
    db.session.expire_all()
    assert db.session.scalar(
        select(func.count()).where(Notification.email_state == EmailState.SENT)
    ) == len(ids)
    workers = set(db.session.scalars(select(Notification.claimed_by)))
    assert workers == {None}  # leases released


def test_a_lease_left_by_a_scheduler_that_died_is_taken_over_after_it_runs_out(app):
    """A scheduler claimed rows and died: another takes them once the lease has run out
    (never before), and sends them. This is the at-least-once point docs/deployment.md
    describes."""
    from qa_app.data.notification_outbox import claim

    ids = _many_pending(4)
    now = datetime.now(UTC)
    claimed = claim("dead-scheduler", now=now, lease_seconds=300, limit=10)
    assert sorted(c.id for c in claimed) == sorted(ids)
    with smtp_server() as (port, inbox):
        config = smtp_config(app, port)
        assert _round(app, config, clock=lambda: now + timedelta(seconds=200)).sent == 0
        assert _round(app, config, clock=lambda: now + timedelta(seconds=301)).sent == 4
    assert len(inbox.parsed()) == 4
