"""Two-step sign-in: TOTP codes from an authenticator app (RFC 6238) and one-time recovery codes.

- Enrolling: a base32 secret is stored on the account (User.totp_secret) and shown with a QR
  code; the first correct code confirms it (User.mfa_enabled_at) and 10 recovery codes are
  issued, shown once and stored only as hashes.
- A code is accepted for the current 30-second step or one either side, and never for a step
  at or before the last accepted one (User.totp_last_step), so a code cannot be replayed. The
  step is claimed with a conditional UPDATE, so two requests racing with one code cannot both
  win.
- Recovery codes are 100 random bits (20 base32 characters). That is far beyond guessing, so a
  fast hash is enough: each is stored as SHA-256 over a random per-code salt and the code
  ("sha256$<salt hex>$<digest hex>"). A used code is marked used_at, again with a conditional
  UPDATE, and never accepted again.
- Checking a code here never throttles or logs a failure itself: the routes check every code
  through the one sign-in throttle (qa_app/data/sign_in_throttle.py), which logs a wrong one
  as "mfa_failed" and counts it with the account's other failures.

Account changes (enabled, recovery codes regenerated, turned off, reset by an administrator) go
in the change log with the security log; sign-in steps go in the security log only.
"""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update

from qa_app.data import changelog
from qa_app.data.locking import rows_changed
from qa_app.data.organisation import get_settings
from qa_app.data.security_log import log_event
from qa_app.extensions import db
from qa_app.models import RecoveryCode, User, utcnow

STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lower case


class MfaError(ValueError):
    pass


# ---- who must use it ---------------------------------------------------------------------


def is_enabled(user: User) -> bool:
    return user.mfa_enabled_at is not None and bool(user.totp_secret)


def is_required(user: User) -> bool:
    """Whether the account's roles must use two-step sign-in. Never for an account that signs in
    through the council's identity provider: the provider asks its own second step."""
    if user.sso_subject:
        return False
    required = set(get_settings().mfa_required_roles or [])
    return any(role.value in required for role in user.roles)


# ---- enrolling ----------------------------------------------------------------------------


def begin_enrolment(user: User) -> str:
    """The secret being enrolled: the one already started, or a new one (committed)."""
    if is_enabled(user):
        raise MfaError("Two-step sign-in is already set up")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    assert user.totp_secret is not None  # begin_enrolment made it before the code is shown
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=get_settings().service_name
    )


def qr_data_uri(user: User) -> str:
    """The enrolment QR code as an SVG data URI for an <img> (no inline style: CSP)."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5, border=2)


def confirm_enrolment(user: User, code: str, *, ip: str | None = None) -> list[str] | None:
    """Turn two-step sign-in on if `code` is right; returns the new recovery codes, or None."""
    if is_enabled(user) or not user.totp_secret:
        return None
    if not _claim_totp(user, code):
        return None
    user.mfa_enabled_at = utcnow()
    codes = _replace_recovery_codes(user)
    changelog.record(user, "user", user.id, "two_step_enabled", {"mfa_enabled": [False, True]})
    log_event("mfa_enabled", user, ip=ip, commit=False)
    db.session.commit()
    return codes


def regenerate_recovery_codes(user: User, *, ip: str | None = None) -> list[str]:
    if not is_enabled(user):
        raise MfaError("Two-step sign-in is not set up")
    codes = _replace_recovery_codes(user)
    changelog.record(user, "user", user.id, "recovery_codes_regenerated")
    log_event("recovery_codes_regenerated", user, ip=ip, commit=False)
    db.session.commit()
    return codes


def disable(user: User, *, actor: User | None, event: str, ip: str | None = None) -> None:
    """Remove the secret and recovery codes. `event` is "mfa_disabled" (by the person) or
    "mfa_reset" (by an administrator, for someone who lost their phone)."""
    was_enabled = is_enabled(user)
    user.totp_secret = None
    user.mfa_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    changelog.record(
        actor,
        "user",
        user.id,
        "two_step_reset" if event == "mfa_reset" else "two_step_disabled",
        {"mfa_enabled": [was_enabled, False]},
    )
    log_event(
        event,
        actor,
        ip=ip,
        detail=None if actor is user else f"for {user.username}",
        commit=False,
    )
    db.session.commit()


# ---- checking codes -----------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def _claim_totp(user: User, code: str, now: float | None = None) -> bool:
    """Accept `code` for the current step +-1, never at or before the last accepted step."""
    code = _digits(code or "")
    if not (len(code) == 6 and code.isdigit() and user.totp_secret):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = int((now if now is not None else time.time()) // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            claimed = rows_changed(
                db.session.execute(
                    update(User)
                    .where(
                        User.id == user.id,
                        or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                    )
                    .values(totp_last_step=step)
                    .execution_options(synchronize_session=False)
                )
            )
            if claimed != 1:
                return False  # another request used this code first
            user.totp_last_step = step
            return True
    return False


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash_recovery_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{normalise_recovery_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def _recovery_code_matches(code: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(_hash_recovery_code(code, salt), stored)


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(c)) for c in codes
    )
    return codes


def unused_recovery_codes(user: User) -> int:
    return db.session.execute(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).scalar_one()


def _claim_recovery_code(user: User, code: str) -> bool:
    if len(normalise_recovery_code(code)) != 20:
        return False
    rows = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for row in rows:
        if _recovery_code_matches(code, row.code_hash):
            claimed = rows_changed(
                db.session.execute(
                    update(RecoveryCode)
                    .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                    .values(used_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
            )
            return claimed == 1
    return False


def verify_second_step(user: User, code: str, *, ip: str | None = None) -> str | None:
    """Check a sign-in's second step: "totp" or "recovery_code" if accepted (logged as
    mfa_succeeded, plus recovery_code_used), None if not (the throttle logs that)."""
    how = None
    if _claim_totp(user, code):
        how = "totp"
    elif _claim_recovery_code(user, code):
        how = "recovery_code"
    if how is None:
        db.session.rollback()
        return None
    if how == "recovery_code":
        left = unused_recovery_codes(user)
        log_event("recovery_code_used", user, ip=ip, detail=f"{left} left", commit=False)
    log_event("mfa_succeeded", user, ip=ip, detail=how, commit=False)
    db.session.commit()
    return how
