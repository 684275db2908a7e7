"""Sign-in locks as administrators see them: which accounts, browsers and addresses the throttle
(qa_app/data/sign_in_throttle.py) is holding back now, and clearing one.

A clear is logged in the security log as sign_in_lock_cleared, naming what was cleared in its
username, ip_address and device_id columns (the throttle counts only failures after it) and
who cleared it (user_id, and the detail); and in the change log as a "sign_in_lock" entry."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import InstrumentedAttribute

from qa_app.data import changelog
from qa_app.data.security_log import log_event
from qa_app.data.sign_in_throttle import (
    ACCOUNT,
    BACKOFF,
    CLEARED,
    DEVICE,
    DEVICE_BACKOFF,
    FAILURES,
    KINDS,
    SOURCE,
    Limits,
    Lock,
    current_time,
    describe,
    lock_ends,
    scope_lock,
)
from qa_app.extensions import db
from qa_app.models import SecurityEvent, User


class LockError(ValueError):
    pass


def _candidates(
    start: datetime, limits: Limits, account: str | None
) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """(kind, account, address, device) for every scope with enough failures in the window to
    be locked (the exact rule, with password changes and clears, is scope_lock's)."""
    failed = [SecurityEvent.event.in_(FAILURES), SecurityEvent.at > start]
    if account is not None:
        failed.append(SecurityEvent.username == account)
    untrusted = [*failed, SecurityEvent.device_id.is_(None)]

    def grouped(
        columns: list[InstrumentedAttribute[str | None]],
        where: list[ColumnElement[bool]],
        minimum: int,
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        query = select(*columns).where(*where).group_by(*columns)
        return db.session.execute(query.having(func.count() >= minimum)).all()

    user, ip, device = SecurityEvent.username, SecurityEvent.ip_address, SecurityEvent.device_id
    for (who,) in grouped([user], [*untrusted, user.isnot(None)], limits.per_account):
        yield ACCOUNT, who, None, None
    for who, where in grouped([user, ip], [*untrusted, ip.isnot(None)], limits.backoff_after):
        yield BACKOFF, who, where, None
    if account is None:
        for (where,) in grouped([ip], [*untrusted, ip.isnot(None)], limits.per_ip):
            yield SOURCE, None, where, None
    fewest = min(limits.backoff_after, limits.per_device)
    for who, which in grouped([user, device], [*failed, device.isnot(None)], fewest):
        yield DEVICE, who, None, which


def current_locks(
    limits: Limits, account: str | None = None, now: datetime | None = None
) -> list[Lock]:
    """Every lock holding now under `limits` (only those on `account`, a username key, if
    given): accounts locked for unknown browsers, browsers locked or backed off, addresses backed
    off or locked. A browser's lock and its back-off show as one, whichever ends later."""
    now = now or current_time()
    locks: list[Lock] = []
    for kind, who, where, which in _candidates(now - limits.window, limits, account):
        kinds = (DEVICE, DEVICE_BACKOFF) if kind == DEVICE else (kind,)
        holding = [
            lock
            for lock in (scope_lock(k, who, where, which, now=now, limits=limits) for k in kinds)
            if lock.holds(now)
        ]
        if holding:
            locks.append(max(holding, key=lock_ends))
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(
        locks, key=lambda lock: (order[lock.kind], lock.account or "", lock.address or "")
    )


def clear(
    kind: str,
    account: str | None,
    address: str | None,
    device: str | None,
    *,
    limits: Limits,
    actor: User | None,
    ip: str | None = None,
    by: str | None = None,
) -> Lock:
    """Release a lock: from now on the throttle counts only later failures in its scope.
    Clearing an account (ACCOUNT) releases everything counted for it: its lock for unknown
    browsers, its back-offs from every address and its browsers' locks. `by` names who cleared
    it when no account did (the command line). Returns the lock as it stood."""
    if kind not in KINDS:
        raise LockError(f"Unknown kind of sign-in lock: {kind!r}")
    needs = {
        DEVICE: (account, device),
        DEVICE_BACKOFF: (account, device),
        ACCOUNT: (account,),
        BACKOFF: (account, address),
        SOURCE: (address,),
    }[kind]
    if not all(needs):
        raise LockError("Say which lock to clear")
    now = current_time()
    lock = scope_lock(kind, account, address, device, limits=limits, now=now)
    who = by or (actor.username if actor is not None else "an administrator")
    by = who + (f" (from {ip})" if ip else "")
    log_event(
        CLEARED,
        actor,
        username=lock.account,
        ip=lock.address,
        device=lock.device,
        detail=f"{describe(lock)} cleared by {by}, {lock.failures} failures counted",
        at=now,
        commit=False,
    )
    changelog.record(
        actor,
        "sign_in_lock",
        (lock.account or lock.address or "")[:60],
        "cleared",
        {"kind": kind, "account": lock.account, "address": lock.address, "device": lock.device},
    )
    db.session.commit()
    return lock
