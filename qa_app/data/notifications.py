"""Writing notifications and reading them back: the one writer every trigger goes through
(set-based: one query for the people's choices, one INSERT for all the rows, a row whose
dedupe key exists already skipped by the database), each person's list and unread count,
their choices, and the delivery state the QA lead and the administrator see."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    Select,
    String,
    Table,
    cast,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from qa_app.data import changelog
from qa_app.data.locking import rows_changed
from qa_app.extensions import db
from qa_app.models import (
    KINDS,
    EmailState,
    Mode,
    Notification,
    NotificationPreference,
    User,
    UserRole,
    utcnow,
)
from qa_app.models.notifications import effective_mode

PAGE_SIZE = 50
APP_ONLY = "In the app only (their choice)"


@dataclass(frozen=True)
class Draft:
    """A notification to write: for whom, what, where it links, and its dedupe key."""

    user_id: int
    kind: str
    dedupe_key: str
    link: str
    params: dict[str, Any] = field(default_factory=dict)
    due_at: datetime | None = None


def key_expr(*parts: str | ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """A dedupe key built in SQL from literal text and columns (for set-based triggers), the
    same string as the f-string the Python side builds: key_expr("a:", Audit.id) -> 'a:12'."""
    expr: ColumnElement[str] | None = None
    for part in parts:
        piece = literal(part, String) if isinstance(part, str) else cast(part, String)
        expr = piece if expr is None else expr + piece
    assert expr is not None  # every key has parts
    return expr


def _insert() -> Insert:
    table = Notification.__table__
    assert isinstance(table, Table)  # a declarative model's own table
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])


def choices(kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    """{(user id, kind): stored mode} for these kinds (one query; the table is small)."""
    rows = db.session.execute(
        select(
            NotificationPreference.user_id,
            NotificationPreference.kind,
            NotificationPreference.mode,
        ).where(NotificationPreference.kind.in_(set(kinds)))
    )
    return {(u, k): m for u, k, m in rows}


def _state(mode: Mode) -> tuple[str, str]:
    return {
        Mode.APP: (EmailState.NOT_SENT, APP_ONLY),
        Mode.EMAIL: (EmailState.PENDING, ""),
        Mode.DAILY: (EmailState.DAILY_DIGEST, ""),
        Mode.WEEKLY: (EmailState.WEEKLY_DIGEST, ""),
    }[mode]


def write(drafts: Iterable[Draft], *, now: datetime | None = None) -> int:
    """Add these notifications to the caller's transaction (it commits them with the event
    that caused them). A kind the person turned off is not written at all; an urgent kind is
    always emailed at once. A draft whose dedupe key is stored already is skipped by the
    database (ON CONFLICT DO NOTHING). Returns how many rows were written."""
    drafts = list(drafts)
    if not drafts:
        return 0
    now = now or utcnow()
    chosen = choices({d.kind for d in drafts})
    rows = []
    for d in drafts:
        mode = effective_mode(d.kind, chosen.get((d.user_id, d.kind)))
        if mode == Mode.OFF:
            continue
        state, note = _state(mode)
        rows.append(
            {
                "user_id": d.user_id,
                "kind": d.kind,
                "urgent": KINDS[d.kind].urgent,
                "params": d.params,
                "link": d.link,
                "due_at": d.due_at,
                "created_at": now,
                "dedupe_key": d.dedupe_key,
                "read_at": None,
                "email_state": state,
                "email_attempts": 0,
                "email_next_at": now,
                "email_note": note,
            }
        )
    if not rows:
        return 0
    done = rows_changed(db.session.execute(_insert(), rows))
    return done if done is not None and done >= 0 else len(rows)


# ---- a person's own list ----------------------------------------------------------------


def list_for(user: User, *, page: int = 1) -> tuple[list[Notification], bool]:
    """The person's notifications, newest first, one page; and whether there are more."""
    page = max(1, page)
    rows = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.kind != "digest")
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.kind != "digest",
        )
    ).scalar_one()


def get(notification_id: int) -> Notification | None:
    return db.session.get(Notification, notification_id)


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them; commits. Only their own."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    done = db.session.execute(
        stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rows_changed(done)


# ---- choices ------------------------------------------------------------------------------


def modes_for(user: User) -> dict[str, Mode]:
    """The mode that applies to each kind the person may choose about."""
    stored = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.mode).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {k: effective_mode(k, stored.get(k)) for k, spec in KINDS.items() if spec.choosable}


def save_modes(user: User, modes: dict[str, str], *, actor: User | None) -> dict[str, list[str]]:
    """Store the person's choices (urgent kinds cannot change: the model refuses anything but
    email at once); commits. Returns what changed, as recorded in the change log."""
    stored = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    before = modes_for(user)
    changes: dict[str, list[str]] = {}
    for kind, mode in modes.items():
        spec = KINDS.get(kind)
        if spec is None or not spec.choosable or spec.urgent:
            continue
        mode = Mode(mode)
        if before[kind] == mode:
            continue
        row = stored.get(kind) or NotificationPreference(user_id=user.id, kind=kind)
        row.mode = mode
        db.session.add(row)
        changes[kind] = [before[kind].value, mode.value]
    if changes:
        changelog.record(actor, "user", user.id, "notification_choices", changes)
    db.session.commit()
    return changes


# ---- delivery state (QA lead, administrator) ---------------------------------------------


def state_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(Notification.email_state, func.count(Notification.id)).group_by(
            Notification.email_state
        )
    )
    return dict(rows.all())


def delivery_rows(state: str | None, *, limit: int = 200) -> list[Notification]:
    """Newest first, with the recipient; `state` filters (None: every state)."""
    stmt = select(Notification).options(selectinload(Notification.user))
    if state:
        stmt = stmt.where(Notification.email_state == state)
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def retry_failed(*, actor: User | None, now: datetime | None = None) -> int:
    """Put every failed email back in the queue, to be tried at the next round; commits."""
    now = now or utcnow()
    done = rows_changed(
        db.session.execute(
            update(Notification)
            .where(Notification.email_state == EmailState.FAILED)
            .values(email_state=EmailState.PENDING, email_attempts=0, email_next_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if done:
        changelog.record(actor, "notifications", "outbox", "failed_retried", {"count": done})
    db.session.commit()
    return done


def active_users_with_roles(roles: Iterable[str]) -> Select[int]:
    """A SELECT of the ids of active accounts holding any of `roles` (for triggers)."""
    has_role = select(UserRole.user_id).where(UserRole.role.in_([str(r) for r in roles]))
    return select(User.id).where(User.active.is_(True), User.id.in_(has_role))
