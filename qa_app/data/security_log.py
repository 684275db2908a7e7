"""The security log: sign-ins, failures, sign-outs, refusals and account changes, in UTC."""

from datetime import datetime
from enum import Enum

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import SecurityEvent, User
from qa_app.rules.control_characters import without_control_characters


class _Default(Enum):
    FROM_USER = "from user"


FROM_USER = _Default.FROM_USER  # the default username: the acting user's (an explicit None is kept)


def log_event(
    event: str,
    user: User | None = None,
    *,
    username: str | None | _Default = FROM_USER,
    ip: str | None = None,
    detail: str | None = None,
    device: str | None = None,
    at: datetime | None = None,
    commit: bool = True,
) -> None:
    """Add one event. `device` is the id from the browser's device cookie (never the cookie);
    `at` is for the sign-in throttle, which keeps its own clock (tests move it)."""
    # What was recorded may come from the request (a refused path, a username tried):
    # PostgreSQL cannot store a NUL, and no control character belongs in the log.
    if username is FROM_USER:
        username = getattr(user, "username", None)
    username = without_control_characters(username) if username else username
    detail = without_control_characters(detail) if detail else detail
    db.session.add(
        SecurityEvent(
            event=event,
            user_id=getattr(user, "id", None),
            username=username or None,
            ip_address=ip,
            device_id=device,
            detail=(detail or "")[:500] or None,
            **({"at": at} if at is not None else {}),
        )
    )
    if commit:
        db.session.commit()


def recent_events(limit: int = 100) -> list[SecurityEvent]:
    return list(
        db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit))
    )
