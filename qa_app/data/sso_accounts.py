"""Accounts that sign in through the council's identity provider (single sign-on).

An account is bound to the provider's (issuer, sub) pair at the first council sign-in: made
then (QA_OIDC_ACCOUNTS=create) or found among the accounts an administrator made, by the
token's preferred_username or email (pre-created). At every council sign-in the mapping file is
applied again: the account's roles and teams become exactly what its groups give, the name and
email what the token says; a change of roles or teams goes in the change log and the security
log with before and after. A person whose groups give nothing loses every role and every open
session, and is refused. An SSO account's password is random and known to nobody (local sign-in
refuses such an account anyway)."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from qa_app.data import changelog
from qa_app.data.security_log import log_event
from qa_app.data.sessions import end_all_sessions
from qa_app.data.users import find_by_username, hash_password
from qa_app.extensions import db
from qa_app.models import Role, Team, User, UserRole
from qa_app.rules.control_characters import without_control_characters
from qa_app.rules.sso_mapping import Mapping

NO_ACCESS = "Your council account does not give you access to Practice QA. Ask your QA lead."
NO_ACCOUNT = (
    "There is no Practice QA account for your council account. Ask your administrator to "
    "create one."
)
DISABLED = "Your Practice QA account has been disabled. Ask your administrator."
SET_UP_PROBLEM = (
    "Practice QA is not set up to give your council account access yet. Ask your administrator."
)
AGAIN = "Council sign-in did not finish. Start again from this page."
USERNAME_MAX = 80
ID_MAX = 255  # the columns holding the issuer and the subject


@dataclass
class Refused(Exception):
    """A council sign-in refused: `message` for the person, `detail` for the security log."""

    message: str
    detail: str
    user: User | None = None


def _clean(value: object, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return (without_control_characters(text) or "")[:limit].strip()


def find_bound(issuer: str, subject: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.sso_issuer == issuer, User.sso_subject == subject)
    )


def is_sso_account(user: User) -> bool:
    return bool(user.sso_subject)


def missing_teams(names: Iterable[str]) -> list[str]:
    """The team names no team has (matched without regard to case)."""
    known = {n.lower() for n in db.session.scalars(select(Team.name))}
    return sorted({n for n in names if n.lower() not in known})


def _teams(names: list[str]) -> list[Team]:
    if not names:
        return []
    lowered = [n.lower() for n in names]
    return list(
        db.session.scalars(
            select(Team).where(func.lower(Team.name).in_(lowered)).order_by(Team.name)
        )
    )


def _unique_username(claims: dict[str, Any]) -> str:
    base = _clean(claims.get("preferred_username"), USERNAME_MAX - 6) or _clean(
        claims.get("email"), USERNAME_MAX - 6
    )
    base = base or "council." + _clean(claims.get("sub"), 20)
    candidate = base
    for n in range(2, 102):
        if find_by_username(candidate) is None:
            return candidate
        candidate = f"{base}{n}"
    return f"{base}-{secrets.token_hex(2)}"


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(r.role for r in user.role_rows),
        "teams": sorted(t.name for t in user.teams),
    }


def _set_roles(user: User, roles: set[Role]) -> None:
    current = {r.role: r for r in user.role_rows}
    wanted = {r.value for r in roles}
    for role in set(current) - wanted:
        user.role_rows.remove(current[role])
    for role in sorted(wanted - set(current)):
        user.role_rows.append(UserRole(role=role))


def _log_changes(user: User, before: dict[str, Any], ip: str | None) -> None:
    changes = changelog.diff(before, _snapshot(user))
    if not changes:
        return
    changelog.record(None, "user", user.id, "updated", changes | {"by": "council sign-in"})
    said = []
    for key in ("roles", "teams"):
        if key in changes:
            old, new = (", ".join(v) or "none" for v in changes[key])
            said.append(f"{key} {old} to {new}")
    if said:
        detail = f"changed {user.username}: {'; '.join(said)} (council sign-in)"
        log_event("account_changed", user, ip=ip, detail=detail, commit=False)


def _remove_access(user: User, groups: list[str], ip: str | None) -> None:
    before = _snapshot(user)
    _set_roles(user, set())
    user.teams = []
    db.session.flush()
    end_all_sessions(user, "sso_access_removed")
    _log_changes(user, before, ip)
    shown = ", ".join(groups[:10]) or "none"
    detail = f"no mapped group in the token (groups: {shown}); roles removed, sessions ended"
    log_event("sso_access_removed", user, ip=ip, detail=detail, commit=False)
    db.session.commit()


def _bind_pre_created(
    issuer: str, claims: dict[str, Any], ip: str | None, keep_local: frozenset[str]
) -> User:
    for key in ("preferred_username", "email"):
        name = _clean(claims.get(key), USERNAME_MAX)
        user = find_by_username(name) if name else None
        if user is None:
            continue
        if user.username.lower() in keep_local:  # binding would end its password
            raise Refused(NO_ACCOUNT, f"account {user.username} is a break-glass account", user)
        if user.sso_subject:
            raise Refused(NO_ACCOUNT, f"account {user.username} is bound to another person", user)
        user.sso_issuer, user.sso_subject = issuer, str(claims["sub"])
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        db.session.flush()
        changelog.record(None, "user", user.id, "bound", {"by": "council sign-in"})
        log_event("sso_account_bound", user, ip=ip, detail=f"{key} {name}", commit=False)
        return user
    tried = _clean(claims.get("preferred_username"), 80) or _clean(claims.get("email"), 80)
    raise Refused(NO_ACCOUNT, f"no pre-created account for {tried or 'a token with no name'}")


def _create(
    issuer: str, claims: dict[str, Any], roles: set[Role], teams: list[Team], ip: str | None
) -> User:
    user = User(
        username=_unique_username(claims),
        display_name=_clean(claims.get("name"), 120) or _clean(claims.get("email"), 120),
        email=_clean(claims.get("email"), 200) or None,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        sso_issuer=issuer,
        sso_subject=str(claims["sub"]),
        role_rows=[UserRole(role=r.value) for r in sorted(roles)],
        teams=teams,
    )
    user.display_name = user.display_name or user.username
    db.session.add(user)
    db.session.flush()
    snapshot = _snapshot(user)
    changelog.record(
        None,
        "user",
        user.id,
        "created",
        {"username": user.username, "roles": snapshot["roles"], "teams": snapshot["teams"]}
        | {"by": "council sign-in"},
    )
    detail = f"created {user.username} with roles {', '.join(snapshot['roles'])} (council sign-in)"
    log_event("account_created", user, ip=ip, detail=detail, commit=False)
    return user


def sign_in(
    issuer: str,
    claims: dict[str, Any],
    mapping: Mapping,
    *,
    create: bool,
    ip: str | None = None,
    keep_local: frozenset[str] = frozenset(),
) -> User:
    """The account for these (already validated) ID token claims, with the mapping applied and
    committed; or Refused (anything it changed, such as access removed, committed first).
    `keep_local`: usernames (lower case) of the break-glass accounts, never bound to a council
    account, so that their password keeps working when the provider is down."""
    subject = str(claims["sub"])
    if len(subject) > ID_MAX or len(issuer) > ID_MAX:
        raise Refused(SET_UP_PROBLEM, f"issuer or subject over {ID_MAX} characters")
    overage = claims.get("_claim_names")
    if isinstance(overage, dict) and mapping.claim in overage:
        # Entra ID leaves the groups out when a person has too many ("overage"): nothing can be
        # concluded about their access, so nothing is changed.
        raise Refused(SET_UP_PROBLEM, f"the token left out the {mapping.claim} claim (overage)")
    carried = claims.get(mapping.claim) or []
    carried = carried if isinstance(carried, list) else [carried]
    roles, team_names, _matched = mapping.grants(carried)
    user = find_bound(issuer, subject)
    if user is not None and not user.active:
        raise Refused(DISABLED, "account disabled", user)
    if user is None and not roles:
        shown = ", ".join(str(g) for g in carried[:10]) or "none"
        raise Refused(NO_ACCESS, f"no mapped group in the token (groups: {shown})")
    if user is None and not create:
        user = _bind_pre_created(issuer, claims, ip, keep_local)
        if not user.active:
            db.session.rollback()
            raise Refused(DISABLED, "account disabled", user)
    if user is not None and not roles:
        _remove_access(user, [str(g) for g in carried], ip)
        raise Refused(NO_ACCESS, "no mapped group in the token: access removed", user)
    if unknown := missing_teams(team_names):
        db.session.rollback()
        detail = f"the mapping names teams Practice QA does not have: {', '.join(unknown)}"
        raise Refused(SET_UP_PROBLEM, detail, user)
    teams = _teams(team_names)
    if user is None:
        try:
            user = _create(issuer, claims, roles, teams, ip)
        except IntegrityError:  # the same person's first sign-in in two tabs at once
            db.session.rollback()
            raise Refused(AGAIN, "made at the same moment by another sign-in") from None
    else:
        before = _snapshot(user)
        _set_roles(user, roles)
        user.teams = teams
        user.display_name = _clean(claims.get("name"), 120) or user.display_name
        user.email = _clean(claims.get("email"), 200) or user.email
        db.session.flush()
        _log_changes(user, before, ip)
    db.session.commit()
    return user
