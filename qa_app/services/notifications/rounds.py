"""One notification round, as `flask qa notify` runs it (every minute beside the web server,
or from cron or a systemd timer): find what has come due and write it to the outbox, gather
the digests whose hour has come, then deliver what is pending, a batch at a time, each batch
claimed under a lease so that several schedulers at once send each message once.

A batch goes over one connection. A batch whose lease is about to run out stops and gives its
untried rows back (another scheduler could otherwise take them while they are being sent).
Everything here takes the app's config, its calendar and a clock as arguments: no Flask."""

import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime

from qa_app.data import notification_outbox as outbox
from qa_app.data import notification_triggers as triggers
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import EmailState, utcnow
from qa_app.models.notifications import KINDS
from qa_app.rules.uk_time import BankHolidays, add_working_days, to_uk
from qa_app.services.notifications.channels import DeliveryError, NoChannel, Outgoing
from qa_app.services.notifications.messages import Messages

log = logging.getLogger(__name__)

NO_CHANNEL = "Email is not set up (QA_MAIL_CHANNEL is none): shown in the app only"
NO_ADDRESS = "No email address on the account: shown in the app only"
MAX_BATCHES = 10_000  # a round's bound: 10,000 batches of QA_MAIL_BATCH messages


@dataclass
class Summary:
    written: dict[str, int] = field(default_factory=dict)
    digests: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    not_sent: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        found = sum(self.written.values())
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.written.items()) if n)
        return (
            f"Notifications: {found} written{f' ({kinds})' if kinds else ''}, "
            f"{self.digests} digests, {self.sent} sent, {self.retrying} to try again, "
            f"{self.failed} failed, {self.not_sent} not emailed ({self.seconds:.2f} s)"
        )


def worker_name() -> str:
    """This scheduler, as named in the lease: host, process and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def find_due(config, calendar: BankHolidays, *, now: datetime) -> dict[str, int]:
    """The time-driven notifications: one set-based query per kind; commits."""
    today = to_uk(now).date()
    soon = to_uk(add_working_days(now, config["QA_REMINDER_WORKING_DAYS"], calendar)).date()
    written = {
        kind: triggers.due_audits(kind, today=today, soon_until=soon, calendar=calendar)
        for kind in ("audit_due_soon", "audit_overdue")
    }
    for kind in ("action_due_soon", "action_overdue"):
        written[kind] = triggers.due_actions(kind, today=today, soon_until=soon, calendar=calendar)
    roles = [r.strip() for r in config["QA_CONCERN_ESCALATE_TO"].split(",") if r.strip()]
    written["concern_escalated"] = triggers.escalate_concerns(now=now, roles=roles)
    db.session.commit()
    return written


def gather_digests(config, *, now: datetime) -> int:
    """Daily digests from the first round after QA_DIGEST_HOUR (UK) each day; weekly ones
    from the first round after that hour on Monday, once per ISO week."""
    local = to_uk(now)
    if local.hour < config["QA_DIGEST_HOUR"]:
        return 0
    count = outbox.write_digests(EmailState.DAILY_DIGEST, local.date().isoformat(), now=now)
    year, week, _ = local.isocalendar()
    count += outbox.write_digests(EmailState.WEEKLY_DIGEST, f"{year}-W{week:02d}", now=now)
    return count


class Deliverer:
    """Sends what is pending through `channel`, worded by `messages`."""

    def __init__(self, config, channel, messages: Messages, *, worker: str | None = None):
        self.config = config
        self.channel = channel
        self.messages = messages
        self.worker = worker or worker_name()
        self.base_url = config["QA_BASE_URL"]
        self.lease = int(config["QA_MAIL_LEASE_SECONDS"])

    def outgoing(self, row: outbox.Claimed, names: dict) -> Outgoing:
        message = self.messages.message(
            row.kind, row.params, due_at=row.due_at, items=row.items, base_url=self.base_url
        )
        url = self.base_url + row.link
        body = self.messages.email(
            message,
            name=row.display_name,
            url=url,
            preferences_url=f"{self.base_url}/account/notifications",
            urgent=KINDS[row.kind].urgent,
            **names,
        )
        assert row.email is not None  # rows without an address are set aside before (send)
        return Outgoing(row.id, row.email, message.subject, body, url)

    def batch(self, summary: Summary, *, clock=utcnow) -> bool:
        """Claim and send one batch; False when nothing was waiting."""
        # the council's names, read before the claim's transaction ends: nothing below holds a
        # transaction open (on SQLite, a write lock) while talking to the relay
        org = get_settings()
        names = {"service_name": org.service_name, "council_name": org.council_name}
        now = clock()
        rows = outbox.claim(
            self.worker, now=now, lease_seconds=self.lease, limit=self.config["QA_MAIL_BATCH"]
        )
        if not rows:
            return False
        no_address = [r.id for r in rows if not (r.email or "").strip()]
        summary.not_sent += outbox.mark_not_sent(self.worker, no_address, NO_ADDRESS)
        rows = [r for r in rows if (r.email or "").strip()]
        started = time.monotonic()
        sent, failures, untried = [], [], []
        try:
            with self.channel.session() as send:
                for row in rows:
                    if time.monotonic() - started > self.lease / 2:
                        untried.append(row.id)
                        continue
                    try:
                        send(self.outgoing(row, names))
                    except DeliveryError as error:
                        failures.append((row, error.note, error.permanent))
                    except Exception as error:  # a bug or a broken template: never stuck
                        log.exception("Notification %s could not be sent", row.id)
                        failures.append((row, f"Could not be sent ({type(error).__name__})", False))
                    else:
                        sent.append(row.id)
        except DeliveryError as error:  # could not open the channel: the whole batch waits
            done = set(sent) | {r.id for r, _, _ in failures}
            failures += [(r, error.note, error.permanent) for r in rows if r.id not in done]
        now = clock()
        summary.sent += outbox.mark_sent(self.worker, sent, now=now)
        retrying, failed = outbox.mark_failed(
            self.worker,
            failures,
            now=now,
            max_attempts=self.config["QA_MAIL_MAX_ATTEMPTS"],
            first_wait=self.config["QA_MAIL_RETRY_SECONDS"],
            longest_wait=self.config["QA_MAIL_RETRY_MAX_SECONDS"],
        )
        summary.retrying += retrying
        summary.failed += failed
        outbox.release(self.worker, untried)
        return True

    def deliver(self, summary: Summary, *, clock=utcnow) -> None:
        if isinstance(self.channel, NoChannel):
            summary.not_sent += outbox.email_turned_off(NO_CHANNEL)
            return
        for _ in range(MAX_BATCHES):
            if not self.batch(summary, clock=clock):
                break


def run_round(
    config,
    calendar: BankHolidays,
    deliverer: Deliverer,
    *,
    now: datetime | None = None,
    clock=utcnow,
) -> Summary:
    """Find what is due, write the outbox, gather digests, deliver. `now` fixes the moment the
    triggers reason about (tests); `clock` is read for each batch."""
    started = time.monotonic()
    now = now or clock()
    summary = Summary()
    summary.written = find_due(config, calendar, now=now)
    if not isinstance(deliverer.channel, NoChannel):
        summary.digests = gather_digests(config, now=now)
    deliverer.deliver(summary, clock=clock)
    summary.seconds = time.monotonic() - started
    if summary.failed:
        log.warning("%s email(s) failed for good: see Notifications > Delivery", summary.failed)
    return summary
