"""The one throttle on guessing secrets (OWASP ASVS 5.0 V6.3, NIST SP 800-63B 5.2.2): every
check of a password, a two-step code or a recovery code goes through attempt() here, whether
signing in, at the second step, or on a form that asks for the password again.

No counters of its own: each failure is a security event (FORMS says which, with the form in
its detail), counted here per account (the username key, so unknown usernames are counted
exactly like real ones), per address and per browser. Who is trying is a Client: the account,
the address, and the browser's device id when it carries a valid device cookie for that
account (qa_app/auth/device_cookie.py, set on every complete sign-in: OWASP "Slow Down Online
Guessing Attacks with Device Cookies"). The rules, over the last QA_SIGN_IN_WINDOW_MINUTES:

- A browser the account has signed in on before (valid device cookie): its failures count
  against that browser only. After QA_SIGN_IN_BACKOFF_AFTER (3), each further attempt waits
  2^(n-3) seconds after the latest failure; at QA_SIGN_IN_MAX_FAILURES_PER_DEVICE (5) the
  browser is locked until the oldest counted failure leaves the window.
- Any other browser: the same back-off per account and address; the account is locked for
  every such browser at QA_SIGN_IN_MAX_FAILURES (10) failures from any addresses (its owner on
  a browser they have signed in on still gets in); an address is locked for every account at
  QA_SIGN_IN_MAX_FAILURES_PER_IP (50).

Counting starts again after the account's password changes, and after an administrator clears
a lock (qa_app/data/sign_in_locks.py logs CLEARED naming what it cleared in the username,
ip_address and device_id columns; clearing an account clears everything counted for it). A
refused attempt is logged as THROTTLED and checks nothing, so it is no failure and does not
prolong a lock. A failure that makes a lock begin is followed by LOCKED (BACKED_OFF for a
back-off) saying until when. Times come from current_time(), which tests move. The limits are
the app's QA_SIGN_IN_* settings, read by the routes and the command line (Limits.from_config)
and passed in: nothing here reads the app.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from qa_app.data.security_log import log_event
from qa_app.data.users import find_by_username
from qa_app.extensions import db
from qa_app.models import SecurityEvent, User, utcnow

T = TypeVar("T")

FAILED = "sign_in_failed"
SECOND_STEP_FAILED = "mfa_failed"
CONFIRM_FAILED = "password_check_failed"
FAILURES = (FAILED, SECOND_STEP_FAILED, CONFIRM_FAILED)
THROTTLED = "sign_in_throttled"
LOCKED = "sign_in_locked"
BACKED_OFF = "sign_in_backed_off"
CLEARED = "sign_in_lock_cleared"

# Every form that checks a secret: the event a failure is logged as, and what was checked.
FORMS = {
    "sign_in": (FAILED, "sign in: password"),
    "second_step": (SECOND_STEP_FAILED, "sign in: two-step code"),
    "set_up_second_step": (SECOND_STEP_FAILED, "set up two-step sign-in: code"),
    "change_password": (CONFIRM_FAILED, "change password: current password"),
    "new_recovery_codes": (CONFIRM_FAILED, "new recovery codes: password"),
    "turn_off_two_step": (CONFIRM_FAILED, "turn off two-step sign-in: password"),
}

# The kinds of lock, each over one scope of failures.
DEVICE = "device"  # one browser, for one account: locked at the device limit
DEVICE_BACKOFF = "device back-off"  # the same browser's back-off before that
ACCOUNT = "account"  # one account, for every browser without its device cookie
BACKOFF = "back-off"  # one account from one address, without a device cookie
SOURCE = "address"  # one address, for every account, without a device cookie
KINDS = (DEVICE, DEVICE_BACKOFF, ACCOUNT, BACKOFF, SOURCE)
BACKOFF_KINDS = frozenset({DEVICE_BACKOFF, BACKOFF})


def current_time() -> datetime:
    return utcnow()


def username_key(username: str) -> str:
    """The account as logged and counted: stripped and lower-cased ("Lead " is "lead")."""
    return username.strip().lower()[:80]


@dataclass(frozen=True)
class Client:
    """Who is trying: the account (its username key), the address, and the id of the browser's
    device cookie if it carries a valid one for this account."""

    account: str
    ip: str | None
    device: str | None = None


@dataclass(frozen=True)
class Limits:
    window: timedelta
    backoff_after: int
    per_device: int
    per_account: int
    per_ip: int

    @classmethod
    def from_config(cls, config: Mapping[str, int]) -> "Limits":
        """The limits in the app's settings (QA_SIGN_IN_*), each at least 1."""
        return cls(
            window=timedelta(minutes=config["QA_SIGN_IN_WINDOW_MINUTES"]),
            backoff_after=max(1, config["QA_SIGN_IN_BACKOFF_AFTER"]),
            per_device=max(1, config["QA_SIGN_IN_MAX_FAILURES_PER_DEVICE"]),
            per_account=max(1, config["QA_SIGN_IN_MAX_FAILURES"]),
            per_ip=max(1, config["QA_SIGN_IN_MAX_FAILURES_PER_IP"]),
        )

    def threshold(self, kind: str) -> int:
        """The failures at which a lock of this kind begins."""
        return {
            DEVICE: self.per_device,
            ACCOUNT: self.per_account,
            SOURCE: self.per_ip,
        }.get(kind, self.backoff_after)

    def delay(self, failures: int) -> timedelta:
        """The back-off after `failures`: 2^(n - backoff_after) seconds, at most the window."""
        if failures < self.backoff_after:
            return timedelta(0)
        exponent = min(failures - self.backoff_after, 40)
        return min(timedelta(seconds=2**exponent), self.window)


@dataclass(frozen=True)
class Lock:
    """One kind of lock over one scope: the failures counted and when the next attempt may be
    made (None if it may now, or ends <= now)."""

    kind: str
    account: str | None
    address: str | None
    device: str | None
    failures: int
    ends: datetime | None

    def holds(self, now: datetime) -> bool:
        return self.ends is not None and self.ends > now


def lock_ends(lock: Lock) -> datetime:
    """When a lock that holds ends."""
    assert lock.ends is not None  # a lock that holds has its end
    return lock.ends


Scope = tuple[str | None, str | None, str | None]  # (account, address, device)


def _is(column: InstrumentedAttribute[str | None], value: str | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _scope(kind: str, account: str | None, address: str | None, device: str | None) -> Scope:
    """(account, address, device) as counted and as cleared, for a lock of `kind`."""
    if kind in (DEVICE, DEVICE_BACKOFF):
        return account, None, device
    if kind == ACCOUNT:
        return account, None, None
    if kind == BACKOFF:
        return account, address, None
    return None, address, None


def _since(
    account: str | None, address: str | None, device: str | None, start: datetime
) -> datetime:
    """Where counting starts for a scope: the window's start, the account's latest password
    change, the latest clear of the account or of this scope, whichever is latest."""
    since = [start]
    scopes = [(account, address, device)]
    if account is not None:
        user = find_by_username(account)
        if user is not None:
            since.append(user.password_changed_at)
        scopes.append((account, None, None))
    for who, where, which in scopes:
        cleared = db.session.scalar(
            select(func.max(SecurityEvent.at)).where(
                SecurityEvent.event == CLEARED,
                _is(SecurityEvent.username, who),
                _is(SecurityEvent.ip_address, where),
                _is(SecurityEvent.device_id, which),
                SecurityEvent.at > start,
            )
        )
        if cleared is not None:
            since.append(cleared)
    return max(since)


def _failure_times(
    account: str | None, address: str | None, device: str | None, since: datetime, most: int
) -> list[datetime]:
    """The latest `most` failures in a scope since `since`, latest first. A scope without a
    device counts only failures without one (a known browser's failures are its own)."""
    where = [SecurityEvent.event.in_(FAILURES), SecurityEvent.at > since]
    where.append(_is(SecurityEvent.device_id, device))
    if account is not None:
        where.append(SecurityEvent.username == account)
    if address is not None:
        where.append(SecurityEvent.ip_address == address)
    return list(
        db.session.scalars(
            select(SecurityEvent.at).where(*where).order_by(SecurityEvent.at.desc()).limit(most)
        )
    )


def scope_lock(
    kind: str,
    account: str | None,
    address: str | None = None,
    device: str | None = None,
    *,
    limits: Limits,
    now: datetime | None = None,
) -> Lock:
    """The lock of `kind` over the scope of (account, address, device) as it stands `now`."""
    now = now or current_time()
    scope = _scope(kind, account, address, device)
    since = _since(*scope, now - limits.window)
    if kind in BACKOFF_KINDS:
        # Enough rows to see the delay reach the window (2^10 s > 15 minutes).
        doublings = math.ceil(math.log2(max(limits.window.total_seconds(), 2)))
        times = _failure_times(*scope, since, limits.backoff_after + doublings + 1)
        delay = limits.delay(len(times))
        ends = times[0] + delay if delay else None
    else:
        limit = limits.threshold(kind)
        times = _failure_times(*scope, since, limit + 1)
        ends = times[limit - 1] + limits.window if len(times) >= limit else None
    return Lock(kind, *scope, failures=len(times), ends=ends)


def client_locks(client: Client, now: datetime, limits: Limits) -> list[Lock]:
    """Every lock that applies to this client's next attempt."""
    who = (client.account, client.ip, client.device)
    kinds: tuple[str, ...]
    if client.device:
        kinds = (DEVICE, DEVICE_BACKOFF)
    else:
        kinds = (ACCOUNT, BACKOFF, SOURCE) if client.ip else (ACCOUNT,)
    return [scope_lock(kind, *who, now=now, limits=limits) for kind in kinds]


def refusal(client: Client, limits: Limits, now: datetime | None = None) -> Lock | None:
    """The lock holding this client back longest, or None if it may try now."""
    now = now or current_time()
    holding = [lock for lock in client_locks(client, now, limits) if lock.holds(now)]
    return max(holding, key=lock_ends, default=None)


# ---- messages -----------------------------------------------------------------------------


def duration(wait: timedelta) -> str:
    """'1 second', '64 seconds', '3 minutes': seconds up to two minutes, then whole minutes
    (rounded up: never less than the real wait)."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def message(kind: str, wait: timedelta) -> str:
    """What the person is told, naming the wait and what they can do."""
    when = duration(wait)
    clear = "or ask an administrator to clear the lock"
    if kind == ACCOUNT:
        return (
            "Too many failed attempts for this account from browsers it has not signed in on "
            f"before. Try again in {when} from a browser you have signed in on before, {clear}."
        )
    if kind == SOURCE:
        return f"Too many failed attempts from your network. Try again in {when}, {clear}."
    if kind == DEVICE:
        return f"Too many failed attempts from this browser. Try again in {when}, {clear}."
    if wait >= timedelta(minutes=1):
        return f"Too many failed attempts. Wait {when} before trying again, {clear}."
    return f"Too many failed attempts. Wait {when} before trying again."


def describe(lock: Lock) -> str:
    """A lock in the words of the security log and the administrators' page."""
    if lock.kind == ACCOUNT:
        return f"{lock.account}, from browsers it has not signed in on"
    if lock.kind == SOURCE:
        return f"{lock.address}, for every account"
    if lock.kind == BACKOFF:
        return f"{lock.account} from {lock.address} (back-off)"
    suffix = " (back-off)" if lock.kind == DEVICE_BACKOFF else ""
    return f"{lock.account} on browser {(lock.device or '')[:8]}{suffix}"


class Throttled(Exception):
    """An attempt refused before anything was checked: `lock` holds it back for `wait`."""

    def __init__(self, lock: Lock, now: datetime):
        self.lock = lock
        self.wait = lock_ends(lock) - now
        super().__init__(self.message)

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def message(self) -> str:
        return message(self.lock.kind, self.wait)


# ---- the one way a secret is checked ------------------------------------------------------


def attempt(
    client: Client,
    form: str,
    check: Callable[[], T],
    *,
    limits: Limits,
    user: User | None = None,
) -> T:
    """Check a secret behind the throttle: raises Throttled (logged as THROTTLED) without
    calling `check` if a lock holds this client back; otherwise returns what `check()` returns,
    logging a failure of the account (FORMS[form]) and any lock it begins when that is falsy."""
    event, what = FORMS[form]
    now = current_time()
    if lock := refusal(client, limits, now):
        log_event(
            THROTTLED,
            user,
            username=client.account,
            ip=client.ip,
            device=client.device,
            detail=f"{what} ({lock.kind})",
            at=now,
        )
        raise Throttled(lock, now)
    result = check()
    if not result:
        _record_failure(client, event, what, user, limits)
    return result


def _record_failure(
    client: Client, event: str, what: str, user: User | None, limits: Limits
) -> None:
    now = current_time()

    def log(event: str, detail: str, username: str | None) -> None:
        log_event(
            event,
            user,
            username=username,
            ip=client.ip,
            device=client.device,
            detail=detail,
            at=now,
            commit=False,
        )

    log(event, what, client.account)
    db.session.flush()
    for lock in client_locks(client, now, limits):
        if lock.failures != limits.threshold(lock.kind) or not lock.holds(now):
            continue  # no lock, or one that began with an earlier failure
        if lock.kind in BACKOFF_KINDS:
            detail = (
                f"{describe(lock)} began: {duration(lock_ends(lock) - now)} before the next "
                f"attempt, doubling with each failure, up to {duration(limits.window)}"
            )
            log(BACKED_OFF, detail, client.account)
        else:
            detail = (
                f"{describe(lock)} until {lock.ends:%Y-%m-%d %H:%M:%S} UTC "
                f"({lock.failures} failures in {duration(limits.window)})"
            )
            log(LOCKED, detail, None if lock.kind == SOURCE else client.account)
    db.session.commit()
