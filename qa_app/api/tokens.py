"""API tokens: issuing, revoking and resolving them. Only a token's SHA-256 is stored, so the
token itself is shown once, when it is made."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from qa_app.data.security_log import log_event
from qa_app.extensions import db
from qa_app.models import ApiToken, User, utcnow

TOUCH_EVERY = timedelta(seconds=60)  # how stale last_used_at may get before it is written


class TokenError(ValueError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "") -> str:
    """A new token for an active account; returns the token (only its hash is kept)."""
    if not user.active:
        raise TokenError(f"{user.username}'s account is disabled")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), name=name.strip()))
    log_event("api_token_created", user, detail=name.strip() or None, commit=False)
    db.session.commit()
    return token


def revoke_tokens(user: User) -> int:
    """Revoke every live token of `user`; returns how many were revoked."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    log_event("api_tokens_revoked", user, detail=f"{result.rowcount} revoked", commit=False)
    db.session.commit()
    return result.rowcount


def user_for_token(token: str) -> User | None:
    """The active account a live token belongs to, or None. Notes when the token was used,
    at most once a minute (best effort: a busy database may skip it)."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        try:
            db.session.commit()
        except OperationalError:
            db.session.rollback()
            row = db.session.scalar(select(ApiToken).where(ApiToken.id == row.id))
    return row.user
