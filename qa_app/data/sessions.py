"""Server-side sign-in sessions: the cookie holds a random token, the database decides whether
it is still good. Signing out, disabling an account or changing a password ends sessions here,
so a replayed cookie is refused."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from qa_app.extensions import db
from qa_app.models import User, UserSession, utcnow

TOUCH_EVERY = timedelta(seconds=60)  # how stale last_seen_at may get before it is written


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id))
    db.session.commit()
    user.session_token = token
    return token


# Read on every request: built once, so SQLAlchemy neither rebuilds the statement nor its
# cache key each time.
_LIVE_SESSION = (
    select(UserSession)
    .where(UserSession.token_hash == bindparam("token_hash"))
    .options(  # the session, its user, their roles and teams in one statement
        joinedload(UserSession.user).joinedload(User.role_rows),
        joinedload(UserSession.user).joinedload(User.teams),
    )
)


def load_session_user(
    token: str, *, idle: timedelta, absolute: timedelta, now: datetime | None = None
) -> User | None:
    """The user of a live session, or None (and the session is ended) if it has expired."""
    now = now or utcnow()
    row = db.session.scalar(_LIVE_SESSION, {"token_hash": _hash(token)})
    if row is None or row.ended_at is not None:
        return None
    user = row.user
    reason = None
    if not user.active:
        reason = "account_disabled"
    elif now - row.last_seen_at > idle:
        reason = "idle_timeout"
    elif now - row.created_at > absolute:
        reason = "absolute_timeout"
    elif row.created_at < user.password_changed_at:
        reason = "password_changed"
    if reason:
        row.ended_at, row.end_reason = now, reason
        _commit_best_effort()  # if it fails, the same check refuses the session next time
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        _commit_best_effort()
    user.session_token = token
    return user


def _commit_best_effort() -> None:
    """Commit bookkeeping that may be skipped under write contention (a read request's
    transaction cannot always upgrade to a write on SQLite)."""
    try:
        db.session.commit()
    except OperationalError:
        db.session.rollback()


def end_session(token: str | None, reason: str = "signed_out") -> None:
    if not token:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    db.session.commit()


def end_all_sessions(user: User, reason: str, *, except_token: str | None = None) -> None:
    """End every live session of `user` (in the current transaction)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if except_token:
        stmt = stmt.where(UserSession.token_hash != _hash(except_token))
    db.session.execute(stmt.values(ended_at=utcnow(), end_reason=reason))
