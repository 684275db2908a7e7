"""The email outbox: claiming pending notifications under a lease, marking them sent, failed
(with back-off) or not sent, and gathering digests. Several schedulers may run this at once;
each row is claimed by exactly one of them:

- PostgreSQL: the claiming transaction picks its rows with SELECT ... FOR UPDATE SKIP LOCKED,
  so two schedulers never wait on, or take, the same rows, then marks them with a conditional
  UPDATE ... RETURNING;
- SQLite: the app begins every transaction outside a request with BEGIN IMMEDIATE (qa_app.factory),
  so the same SELECT and conditional UPDATE run alone: what it returns is this scheduler's.

A claim is a lease (claimed_by, claimed_until): a scheduler that dies mid-batch leaves rows in
"sending", which another takes again once the lease has run out. So a message the relay had
accepted just before the process died is sent again: delivery is at least once at that one
point (each message carries a fixed Message-ID / Notify reference, so a copy is recognisable).
The other choice, at most once, could lose an urgent concern; a duplicate cannot."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import aliased

from qa_app.data.locking import rows_changed
from qa_app.data.notifications import Draft, key_expr, write
from qa_app.extensions import db
from qa_app.models import EmailState, Notification, User


@dataclass
class Claimed:
    """A notification this scheduler holds, with what sending it needs."""

    id: int
    kind: str
    params: dict[str, Any]
    link: str
    due_at: datetime | None
    created_at: datetime
    attempts: int
    email: str | None
    display_name: str
    items: list[dict[str, Any]] = field(default_factory=list)  # a digest's notifications


def _no_lease() -> dict[str, None]:
    return {"claimed_by": None, "claimed_until": None}


def claim(worker: str, *, now: datetime, lease_seconds: int, limit: int) -> list[Claimed]:
    """Claim up to `limit` pending rows whose time has come (urgent first), and rows whose
    lease ran out; commits the claim. Three statements (four for a batch with digests)."""
    waiting = or_(
        and_(Notification.email_state == EmailState.PENDING, Notification.email_next_at <= now),
        and_(Notification.email_state == EmailState.SENDING, Notification.claimed_until < now),
    )
    pick = (
        select(Notification.id)
        .where(waiting)
        .order_by(Notification.urgent.desc(), Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; nothing on SQLite (see above)
    )
    # PostgreSQL: the rows are locked here for this transaction; another scheduler's SELECT
    # skips them. (Not one UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED):
    # PostgreSQL may run such a sub-select again per row and claim far more than n.)
    picked = list(db.session.scalars(pick))
    ids = []
    if picked:
        ids = list(
            db.session.scalars(
                update(Notification)
                .where(Notification.id.in_(picked), waiting)
                .values(
                    email_state=EmailState.SENDING,
                    claimed_by=worker,
                    claimed_until=now + timedelta(seconds=lease_seconds),
                )
                .returning(Notification.id)
                .execution_options(synchronize_session=False)
            )
        )
    if not ids:
        db.session.commit()
        return []
    rows = db.session.execute(
        select(
            Notification.id,
            Notification.kind,
            Notification.params,
            Notification.link,
            Notification.due_at,
            Notification.created_at,
            Notification.email_attempts,
            User.email,
            User.display_name,
        )
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.urgent.desc(), Notification.id)
    )
    claimed = [Claimed(*row) for row in rows]
    digests = {c.id: c for c in claimed if c.kind == "digest"}
    if digests:
        carried = db.session.execute(
            select(
                Notification.digest_id,
                Notification.kind,
                Notification.params,
                Notification.link,
                Notification.due_at,
            )
            .where(Notification.digest_id.in_(list(digests)))
            .order_by(Notification.id)
        )
        for digest_id, kind, params, link, due_at in carried:
            digests[digest_id].items.append(
                {"kind": kind, "params": params, "link": link, "due_at": due_at}
            )
    db.session.commit()
    return claimed


def _mine(worker: str, ids: Iterable[int]) -> tuple[ColumnElement[bool], ...]:
    return (
        Notification.id.in_(list(ids)),
        Notification.claimed_by == worker,
        Notification.email_state == EmailState.SENDING,
    )


def mark_sent(worker: str, ids: Iterable[int], *, now: datetime) -> int:
    """The relay (or Notify) accepted these; commits."""
    if not ids:
        return 0
    done = rows_changed(
        db.session.execute(
            update(Notification)
            .where(*_mine(worker, ids))
            .values(
                email_state=EmailState.SENT,
                sent_at=now,
                email_attempts=Notification.email_attempts + 1,
                email_note="",
                **_no_lease(),
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return done


def backoff(attempts: int, *, first: int, most: int) -> timedelta:
    """The wait before the next try after `attempts` failed tries: first, 2x, 4x ... at most
    `most` seconds."""
    return timedelta(seconds=min(most, first * 2 ** max(0, attempts - 1)))


def mark_failed(
    worker: str,
    failures: list[tuple[Claimed, str, bool]],
    *,
    now: datetime,
    max_attempts: int,
    first_wait: int,
    longest_wait: int,
) -> tuple[int, int]:
    """Each (claimed row, short note, permanent?) failed. A temporary failure is tried again
    after a back-off, until `max_attempts`; a permanent one (the address refused) or the last
    attempt is "failed", for the QA lead or administrator to see and send again. One UPDATE per
    group of rows sharing an outcome; commits. Returns (to retry, failed for good)."""
    groups: dict[tuple[EmailState, datetime | None, str], list[int]] = {}
    for row, note, permanent in failures:
        attempts = row.attempts + 1
        outcome: tuple[EmailState, datetime | None, str]
        if permanent or attempts >= max_attempts:
            outcome = (EmailState.FAILED, None, note[:300])
        else:
            wait = backoff(attempts, first=first_wait, most=longest_wait)
            outcome = (EmailState.PENDING, now + wait, note[:300])
        groups.setdefault(outcome, []).append(row.id)
    counts = {EmailState.PENDING: 0, EmailState.FAILED: 0}
    for (state, next_at, note), ids in groups.items():
        values: dict[str, Any] = {
            "email_state": state,
            "email_attempts": Notification.email_attempts + 1,
            "email_note": note,
            **_no_lease(),
        }
        if next_at is not None:
            values["email_next_at"] = next_at
        counts[state] += rows_changed(
            db.session.execute(
                update(Notification)
                .where(*_mine(worker, ids))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        )
    db.session.commit()
    return counts[EmailState.PENDING], counts[EmailState.FAILED]


def release(worker: str, ids: Iterable[int]) -> None:
    """Give rows back untried (the lease was running out before they were reached)."""
    if ids:
        db.session.execute(
            update(Notification)
            .where(*_mine(worker, ids))
            .values(email_state=EmailState.PENDING, **_no_lease())
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def mark_not_sent(worker: str, ids: Iterable[int], note: str) -> int:
    """Claimed rows that cannot be emailed (no address on the account); commits."""
    if not ids:
        return 0
    done = rows_changed(
        db.session.execute(
            update(Notification)
            .where(*_mine(worker, ids))
            .values(email_state=EmailState.NOT_SENT, email_note=note, **_no_lease())
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return done


WAITING_FOR_EMAIL = (EmailState.PENDING, EmailState.DAILY_DIGEST, EmailState.WEEKLY_DIGEST)


def email_turned_off(note: str) -> int:
    """No email channel is set up: everything waiting for email is marked not sent (it stays in
    the app), rather than kept to flood out when a channel is set up later; commits."""
    done = rows_changed(
        db.session.execute(
            update(Notification)
            .where(Notification.email_state.in_(WAITING_FOR_EMAIL))
            .values(email_state=EmailState.NOT_SENT, email_note=note)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return done


# ---- digests --------------------------------------------------------------------------------


def write_digests(state: str, period: str, *, now: datetime) -> int:
    """One digest notification per person with notifications waiting in `state` (daily or
    weekly), keyed by `period` (a UK date or ISO week), and those notifications attached to it.
    A digest already sent for the period is never added to: what arrives after it waits for the
    next one. Three statements whatever the number of people; commits."""
    name = "daily" if state == EmailState.DAILY_DIGEST else "weekly"
    prefix = f"digest:{name}:{period}:user:"
    users = list(
        db.session.scalars(
            select(Notification.user_id)
            .where(Notification.email_state == state, Notification.created_at <= now)
            .group_by(Notification.user_id)
        )
    )
    if not users:
        return 0
    write(
        [Draft(u, "digest", f"{prefix}{u}", "/notifications", {"period": name}) for u in users],
        now=now,
    )
    digest = aliased(Notification)
    digest_id = (
        select(digest.id)
        .where(
            digest.dedupe_key == key_expr(prefix, Notification.user_id),
            digest.email_state == EmailState.PENDING,
        )
        .scalar_subquery()
    )
    db.session.execute(
        update(Notification)
        .where(
            Notification.email_state == state,
            Notification.created_at <= now,
            digest_id.is_not(None),
        )
        .values(email_state=EmailState.IN_DIGEST, digest_id=digest_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return len(users)


def waiting_count() -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(Notification.email_state == EmailState.PENDING)
    ).scalar_one()
