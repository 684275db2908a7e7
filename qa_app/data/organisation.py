"""Organisation settings, localities and teams, and the case-reference rule."""

import re
from typing import Any

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import Locality, OrgSettings, Role, Team, User

SETTINGS_ID = 1


class OrganisationError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def get_settings() -> OrgSettings:
    """The settings row; created with defaults (not yet committed) if there is none."""
    settings = db.session.get(OrgSettings, SETTINGS_ID)
    if settings is None:
        settings = OrgSettings(id=SETTINGS_ID)
        db.session.add(settings)
        db.session.flush()
    # The session's identity map holds objects weakly: without a reference the row would be
    # read again each time a request asks (the sign-in rules, then the page, then its parts).
    db.session.info["org_settings"] = settings
    return settings


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be used as the case-reference rule, or None. The pattern is judged
    as stored: without surrounding whitespace."""
    pattern = pattern.strip()
    if not pattern:
        return "Enter a case reference pattern"
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return f"The pattern is not a valid regular expression: {exc}"
    if compiled.fullmatch(""):
        return "The pattern must not accept an empty case reference"
    return None


def case_reference_problem(reference: str, settings: OrgSettings | None = None) -> str | None:
    """Why `reference` is not a valid case reference here, or None if it is."""
    settings = settings or get_settings()
    reference = reference.strip()
    if not reference:
        return "Enter a case reference"
    if not re.fullmatch(settings.case_reference_pattern, reference):
        return (
            f"{reference!r} is not a valid case reference: "
            f"{settings.case_reference_hint.rstrip('.')}. "
            "Use the case number, never a child's name."
        )
    return None


def update_settings(
    *,
    council_name: str,
    service_name: str,
    case_reference_pattern: str,
    case_reference_hint: str,
    small_number_threshold: int,
    actor: User | None,
    mfa_required_roles: list[str] | None = None,
    partnership_threshold: int | None | object = ...,
    min_group_size: int | None = None,
) -> None:
    """Save the settings. `mfa_required_roles` (role values), `partnership_threshold` (None:
    exact counts for the partnership) and `min_group_size` are left as they are when not
    given."""
    for field, value, message in (
        ("council_name", council_name, "Enter the council's name"),
        ("service_name", service_name, "Enter the service name"),
        (
            "case_reference_hint",
            case_reference_hint,
            "Describe the case reference for people entering one",
        ),
    ):
        if not value.strip():
            raise OrganisationError(message, field)
    if problem := pattern_problem(case_reference_pattern):
        raise OrganisationError(problem, "case_reference_pattern")
    settings = get_settings()
    fields = [
        "council_name",
        "service_name",
        "case_reference_pattern",
        "case_reference_hint",
        "small_number_threshold",
    ]
    before = {f: getattr(settings, f) for f in fields}
    after: dict[str, Any] = {
        "council_name": council_name.strip(),
        "service_name": service_name.strip(),
        "case_reference_pattern": case_reference_pattern.strip(),
        "case_reference_hint": case_reference_hint.strip(),
        "small_number_threshold": small_number_threshold,
    }
    if partnership_threshold is not ...:
        fields.append("partnership_threshold")
        before["partnership_threshold"] = settings.partnership_threshold
        after["partnership_threshold"] = partnership_threshold or None
    if min_group_size is not None:
        fields.append("min_group_size")
        before["min_group_size"] = settings.min_group_size
        after["min_group_size"] = min_group_size
    if mfa_required_roles is not None:
        known = {r.value for r in Role}
        if unknown := sorted(set(mfa_required_roles) - known):
            raise OrganisationError(f"Unknown roles: {', '.join(unknown)}", "mfa_required_roles")
        fields.append("mfa_required_roles")
        before["mfa_required_roles"] = sorted(settings.mfa_required_roles or [])
        after["mfa_required_roles"] = sorted(set(mfa_required_roles))
    for field, value in after.items():
        setattr(settings, field, value)
    settings.updated_by_id = getattr(actor, "id", None)
    if changes := changelog.diff(before, after):
        changelog.record(actor, "org_settings", SETTINGS_ID, "updated", changes)
    db.session.commit()


def list_localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def list_teams(active_only: bool = False) -> list[Team]:
    stmt = select(Team).order_by(Team.name)
    if active_only:
        stmt = stmt.where(Team.active.is_(True))
    return list(db.session.scalars(stmt))


def get_team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)


def get_locality(locality_id: int) -> Locality | None:
    return db.session.get(Locality, locality_id)


def _name_taken(
    model: type[Locality] | type[Team], name: str, exclude_id: int | None = None
) -> bool:
    stmt = select(model.id).where(func.lower(model.name) == name.lower())
    if exclude_id:
        stmt = stmt.where(model.id != exclude_id)
    return db.session.scalar(stmt) is not None


def save_locality(name: str, *, actor: User | None, locality: Locality | None = None) -> Locality:
    name = name.strip()
    if not name:
        raise OrganisationError("Enter the locality's name", "name")
    if _name_taken(Locality, name, locality.id if locality else None):
        raise OrganisationError(f"There is already a locality called {name!r}", "name")
    if locality is None:
        locality = Locality(name=name)
        db.session.add(locality)
        db.session.flush()
        changelog.record(actor, "locality", locality.id, "created", {"name": name})
    elif locality.name != name:
        changelog.record(actor, "locality", locality.id, "updated", {"name": [locality.name, name]})
        locality.name = name
    db.session.commit()
    return locality


def save_team(
    name: str,
    locality: Locality | None,
    active: bool,
    *,
    actor: User | None,
    team: Team | None = None,
) -> Team:
    name = name.strip()
    if not name:
        raise OrganisationError("Enter the team's name", "name")
    if _name_taken(Team, name, team.id if team else None):
        raise OrganisationError(f"There is already a team called {name!r}", "name")
    after = {"name": name, "locality": locality.name if locality else None, "active": active}
    if team is None:
        team = Team(name=name, locality=locality, active=active)
        db.session.add(team)
        db.session.flush()
        changelog.record(actor, "team", team.id, "created", after)
    else:
        before = {
            "name": team.name,
            "locality": team.locality.name if team.locality else None,
            "active": team.active,
        }
        team.name, team.locality, team.active = name, locality, active
        if changes := changelog.diff(before, after):
            changelog.record(actor, "team", team.id, "updated", changes)
    db.session.commit()
    return team


def store_teams(rows: list[dict[str, Any]], *, actor: User | None, origin: dict[str, Any]) -> None:
    """Store a checked teams file's plan in one transaction: each row {"locality": name} makes
    a locality; {"name", "locality", "active"} (with "id" for a team that exists) makes or
    changes a team, its locality made first if need be. Every change is in the change log,
    with `origin` ({"file": its name}, and "by" for the command line); commits."""
    localities = {loc.name.lower(): loc for loc in list_localities()}
    teams = {t.id: t for t in list_teams()}
    for row in rows:
        if "name" not in row:
            locality = Locality(name=row["locality"])
            db.session.add(locality)
            db.session.flush()
            localities[locality.name.lower()] = locality
            changelog.record(
                actor, "locality", locality.id, "created", {"name": locality.name} | origin
            )
            continue
        chosen = localities.get((row["locality"] or "").lower())
        after = {"name": row["name"], "locality": row["locality"], "active": row["active"]}
        team = teams.get(row.get("id") or 0)
        if team is None:
            team = Team(name=row["name"], locality=chosen, active=row["active"])
            db.session.add(team)
            db.session.flush()
            changelog.record(actor, "team", team.id, "created", after | origin)
            continue
        before = {
            "name": team.name,
            "locality": team.locality.name if team.locality else None,
            "active": team.active,
        }
        team.locality, team.active = chosen, row["active"]
        if changes := changelog.diff(before, after):
            changelog.record(actor, "team", team.id, "updated", changes | origin)
    db.session.commit()
