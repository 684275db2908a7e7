"""The security log: sign-ins, failures, sign-outs, refusals and account changes, in UTC."""

from sqlalchemy import select

from qa_app.control_characters import without_control_characters
from qa_app.extensions import db
from qa_app.models import SecurityEvent


def log_event(
    event: str,
    user=None,
    *,
    username: str | None = None,
    ip: str | None = None,
    detail: str | None = None,
    commit: bool = True,
) -> None:
    # What was recorded may come from the request (a refused path, a username tried):
    # PostgreSQL cannot store a NUL, and no control character belongs in the log.
    username = without_control_characters(username) if username else username
    detail = without_control_characters(detail) if detail else detail
    db.session.add(
        SecurityEvent(
            event=event,
            user_id=getattr(user, "id", None),
            username=username or getattr(user, "username", None),
            ip_address=ip,
            detail=(detail or "")[:500] or None,
        )
    )
    if commit:
        db.session.commit()


def recent_events(limit: int = 100) -> list[SecurityEvent]:
    return list(
        db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit))
    )
