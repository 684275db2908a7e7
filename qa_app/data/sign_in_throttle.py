"""Throttling repeated failed sign-ins (OWASP ASVS 2.2.1), counted from the security log.

No counters of its own: every failed sign-in is already logged as a `sign_in_failed`
security event with the username tried (stripped and lower-cased, so "Lead" and "lead " are
the same name) and the client's IP address. The rule:

- A username is refused once it has QA_SIGN_IN_MAX_FAILURES (5) failures within the last
  QA_SIGN_IN_WINDOW_MINUTES (15), and stays refused until enough of them fall out of the
  window. Only failures after the account's latest password change count, so an
  administrator setting a new password (or the person changing it) clears the lockout.
  An unknown username is counted and refused in exactly the same way.
- An IP address is refused once it has QA_SIGN_IN_MAX_FAILURES_PER_IP (50) failures, for any
  usernames, within the same window.

A refused attempt is logged as `sign_in_throttled` and never checks the password, so it is
not itself a failure and does not prolong the lockout. Successful sign-ins reset nothing.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from qa_app.data.users import find_by_username
from qa_app.extensions import db
from qa_app.models import SecurityEvent, utcnow

FAILED = "sign_in_failed"
THROTTLED = "sign_in_throttled"


def username_key(username: str) -> str:
    """The username as logged for failed and throttled sign-ins and counted here."""
    return username.strip().lower()[:80]


def _limit_clears_at(condition, since: datetime, limit: int, window: timedelta):
    """When the `limit`-th most recent failure matching `condition` since `since` leaves the
    window (so fewer than `limit` remain), or None if there are fewer than `limit` already."""
    nth_latest = db.session.scalar(
        select(SecurityEvent.at)
        .where(SecurityEvent.event == FAILED, condition, SecurityEvent.at > since)
        .order_by(SecurityEvent.at.desc())
        .offset(max(limit, 1) - 1)
        .limit(1)
    )
    return None if nth_latest is None else nth_latest + window


def retry_after(username: str, ip: str | None, now: datetime | None = None):
    """How long until this username may try again from this address, or None if it may now.
    Returns (timedelta, "username" | "ip")."""
    config = current_app.config
    now = now or utcnow()
    window = timedelta(minutes=config["QA_SIGN_IN_WINDOW_MINUTES"])
    since = now - window
    user = find_by_username(username)
    if user is not None and user.password_changed_at > since:
        user_since = user.password_changed_at
    else:
        user_since = since
    clears = _limit_clears_at(
        SecurityEvent.username == username_key(username),
        user_since,
        config["QA_SIGN_IN_MAX_FAILURES"],
        window,
    )
    if clears is not None and clears > now:
        return clears - now, "username"
    if ip:
        clears = _limit_clears_at(
            SecurityEvent.ip_address == ip, since, config["QA_SIGN_IN_MAX_FAILURES_PER_IP"], window
        )
        if clears is not None and clears > now:
            return clears - now, "ip"
    return None


def message(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return (
        f"Too many failed attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
        "or ask an administrator to reset your password."
    )
