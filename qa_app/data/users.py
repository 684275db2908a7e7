"""Accounts: creating, authenticating, changing roles, teams and passwords, disabling."""

import secrets
from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.security_log import log_event
from qa_app.data.sessions import end_all_sessions
from qa_app.extensions import db
from qa_app.models import Role, Team, User, UserRole, utcnow

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verified against when the username is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password-at-all")


class AccountError(ValueError):
    """A change to an account that cannot be made; the message says why, for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    return None


def hash_password(password: str) -> str:
    if problem := password_problem(password):
        raise AccountError(problem, "password")
    return _hasher.hash(password)


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def find_by_username(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.display_name)))


def count_users() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None."""
    user = find_by_username(username)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


def _role_set(roles: Iterable[str]) -> set[Role]:
    try:
        chosen = {Role(r) for r in roles}
    except ValueError as exc:
        raise AccountError(f"Unknown role: {exc}", "roles") from None
    if not chosen:
        raise AccountError("Choose at least one role", "roles")
    return chosen


def create_user(
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[str],
    *,
    teams: Iterable[Team] = (),
    email: str | None = None,
    actor: User | None = None,
) -> User:
    username = username.strip()
    if not username:
        raise AccountError("Enter a username", "username")
    if find_by_username(username):
        raise AccountError(f"The username {username!r} is already taken", "username")
    chosen = _role_set(roles)
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        email=(email or "").strip() or None,
        password_hash=hash_password(password),
        role_rows=[UserRole(role=r.value) for r in sorted(chosen)],
        teams=list(teams),
    )
    db.session.add(user)
    db.session.flush()
    changelog.record(
        actor,
        "user",
        user.id,
        "created",
        {"username": username, "roles": sorted(chosen), "teams": [t.name for t in teams]},
    )
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    display_name: str,
    email: str | None,
    roles: Iterable[str],
    teams: list[Team],
    actor: User | None,
) -> None:
    chosen = _role_set(roles)
    if (
        user.id == getattr(actor, "id", None)
        and Role.ADMIN in user.roles
        and Role.ADMIN not in chosen
    ):
        raise AccountError("You cannot remove your own administrator role", "roles")
    before = _snapshot(user)
    user.display_name = display_name.strip() or user.username
    user.email = (email or "").strip() or None
    current = {Role(r.role): r for r in user.role_rows}
    for role in set(current) - chosen:
        user.role_rows.remove(current[role])
    for role in sorted(chosen - set(current)):
        user.role_rows.append(UserRole(role=role.value))
    user.teams = list(teams)
    db.session.flush()
    if changes := changelog.diff(before, _snapshot(user)):
        changelog.record(actor, "user", user.id, "updated", changes)
    db.session.commit()


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(r.role for r in user.role_rows),
        "teams": sorted(t.name for t in user.teams),
    }


def set_active(user: User, active: bool, *, actor: User | None) -> None:
    if not active and user.id == getattr(actor, "id", None):
        raise AccountError("You cannot disable your own account")
    if user.active == active:
        return
    user.active = active
    if not active:
        end_all_sessions(user, "account_disabled")
    changelog.record(actor, "user", user.id, "enabled" if active else "disabled")
    db.session.commit()


def set_password(user: User, password: str, *, actor: User | None) -> None:
    """Change the password and end every session of the account (the caller may start a new one)."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user, "password_changed")
    changelog.record(actor, "user", user.id, "password_changed")
    db.session.commit()


def display_names(user_ids: set[int]) -> dict[int, str]:
    """Display names for a set of user ids, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(sorted(user_ids)))
    )
    return {row.id: row.display_name for row in rows}


# The role an owner is named by outside the internal tier, most senior first: the role under
# which a person owns an improvement action or a quick win (a senior manager who also audits
# owns actions as a senior manager, never as an auditor).
OWNER_ROLE_ORDER = (Role.SENIOR_MANAGER, Role.QA_LEAD, Role.MODERATOR, Role.AUDITOR, Role.ADMIN)


def owner_role_label(user: User | None) -> str:
    """How an action's or a quick win's owner is named where names are not shown (the
    partnership and public tiers): by the role they hold for it, "Senior manager", "QA lead"…;
    "No owner yet" for none; "Member of staff" for an account with no role that owns work."""
    if user is None:
        return "No owner yet"
    roles = user.roles
    for role in OWNER_ROLE_ORDER:
        if role in roles:
            return role.label
    return "Member of staff"


def store_accounts(
    rows: list[dict[str, Any]], *, actor: User | None, origin: dict[str, Any]
) -> list[User]:
    """Create or change accounts from a checked file in one transaction: each row has
    username, display_name, email, roles (values) and teams (names), and "id" for an account
    that exists. A new account's password is random and known to no one (the administrator
    sets its first, as for any account): a file never holds passwords. Every change is
    logged with `origin`; each account made, and each whose roles change, is in the security
    log too (as on the web's accounts page), from the web and the command line alike;
    commits. Returns the accounts made."""
    where = f" from {origin.get('file') or 'a file'}" + (
        f" by {origin['by']}" if origin.get("by") else ""
    )
    teams = {t.name: t for t in db.session.scalars(select(Team))}
    made = []
    for row in rows:
        chosen = [teams[name] for name in row["teams"]]
        if not row.get("id"):
            user = User(
                username=row["username"],
                display_name=row["display_name"],
                email=row["email"],
                password_hash=_hasher.hash(secrets.token_urlsafe(32)),
                role_rows=[UserRole(role=r) for r in row["roles"]],
                teams=chosen,
            )
            db.session.add(user)
            db.session.flush()
            changelog.record(
                actor,
                "user",
                user.id,
                "created",
                {"username": user.username, "roles": row["roles"], "teams": row["teams"]} | origin,
            )
            roles = ", ".join(row["roles"])
            detail = f"created {user.username} with roles {roles}{where}"
            log_event("account_created", actor, detail=detail, commit=False)
            made.append(user)
            continue
        found = db.session.get(User, row["id"])
        if found is None:
            continue
        user = found
        before = _snapshot(user)
        user.display_name, user.email = row["display_name"], row["email"]
        current = {r.role: r for r in user.role_rows}
        for role in set(current) - set(row["roles"]):
            user.role_rows.remove(current[role])
        for role in sorted(set(row["roles"]) - set(current)):
            user.role_rows.append(UserRole(role=role))
        user.teams = chosen
        db.session.flush()
        if changes := changelog.diff(before, _snapshot(user)):
            changelog.record(actor, "user", user.id, "updated", changes | origin)
        if "roles" in changes:
            old, new = (", ".join(r) or "none" for r in changes["roles"])
            detail = f"changed {user.username}: roles {old} to {new}{where}"
            log_event("account_changed", actor, detail=detail, commit=False)
    db.session.commit()
    return made
