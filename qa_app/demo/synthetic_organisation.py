"""The organisation the synthetic history happens in (qa_app.demo.synthetic): localities and
teams, the synthetic.auditorNN and synthetic.moderatorNN accounts (whose password nobody knows)
and one monthly cycle per month. Few rows, written with the ORM; each is made only where it is
missing, so generating again reuses them."""

import secrets
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from qa_app.data.cycles import active_templates
from qa_app.data.users import hash_password
from qa_app.demo.synthetic_answers import at
from qa_app.extensions import db
from qa_app.models import AuditCycle, Locality, Team, User, UserRole

LOCALITIES = {
    "North": ["Initial Response North", "Safeguarding North"],
    "South": ["Initial Response South", "Safeguarding South"],
    "East": ["Initial Response East", "Safeguarding East"],
    "West": ["Initial Response West", "Safeguarding West"],
    "Countywide": ["MASH", "Disabled Children's Service", "Children in Care", "Care Leavers"],
}
AUDITORS, MODERATORS = 40, 4


def ensure_organisation(counts: Counter, since: date):
    """The localities and teams of LOCALITIES, AUDITORS auditors (one team each) and MODERATORS
    moderators, made where missing (counted in `counts`); returns (teams, auditors,
    moderators)."""
    localities = {loc.name.lower(): loc for loc in db.session.scalars(select(Locality))}
    existing = {t.name.lower(): t for t in db.session.scalars(select(Team))}
    teams = []
    for locality_name, names in LOCALITIES.items():
        locality = localities.get(locality_name.lower())
        if locality is None:
            locality = Locality(name=locality_name)
            db.session.add(locality)
            counts["localities_created"] += 1
        for name in names:
            team = existing.get(name.lower())
            if team is None:
                team = Team(name=name, locality=locality, active=True)
                db.session.add(team)
                counts["teams_created"] += 1
            teams.append(team)
    db.session.flush()
    teams.sort(key=lambda t: t.name)
    when = at(since - timedelta(days=30), 9, 0)
    users = {u.username: u for u in db.session.scalars(select(User))}
    password_hash = None
    people = []
    for role, count, name in (
        ("auditor", AUDITORS, "Auditor"),
        ("moderator", MODERATORS, "Moderator"),
    ):
        group = []
        for n in range(1, count + 1):
            username = f"synthetic.{role}{n:02d}"
            user = users.get(username)
            if user is None:
                if password_hash is None:  # one sign-in nobody can use: a hash of a lost token
                    password_hash = hash_password(secrets.token_urlsafe(32))
                user = User(
                    username=username,
                    display_name=f"{name} {n:02d}",
                    password_hash=password_hash,
                    role_rows=[UserRole(role=role)],
                    teams=[teams[(n - 1) % len(teams)]] if role == "auditor" else [],
                    created_at=when,
                    updated_at=when,
                    password_changed_at=when,
                )
                db.session.add(user)
                counts["users_created"] += 1
            group.append(user)
        people.append(group)
    db.session.flush()
    return teams, people[0], people[1]


def ensure_cycles(starts: list[date], specs, actor, counts: Counter):
    """A monthly cycle "(synthetic)" for each month start, using every template of `specs`,
    made where missing (counted in `counts`); returns them in order."""
    templates = {t.id: t for t in active_templates()}
    chosen = [templates[s.template_id] for s in specs]
    names = [f"Monthly audit {s:%Y-%m} (synthetic)" for s in starts]
    existing = {
        c.name: c for c in db.session.scalars(select(AuditCycle).where(AuditCycle.name.in_(names)))
    }
    cycles = []
    for start, name in zip(starts, names, strict=True):
        cycle = existing.get(name)
        if cycle is None:
            period_end = month_end(start)
            cycle = AuditCycle(
                name=name,
                kind="monthly",
                description="Synthetic history: the monthly case-file audit programme.",
                period_start=start,
                period_end=period_end,
                due_date=period_end,
                moderation_share=10,
                created_by_id=getattr(actor, "id", None),
                created_at=at(start, 8, 0),
                updated_at=at(start, 8, 0),
            )
            db.session.add(cycle)
            counts["cycles_created"] += 1
        cycle.templates = list(dict.fromkeys([*cycle.templates, *chosen]))
        cycles.append(cycle)
    db.session.flush()
    return cycles


def month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)
