"""Cycles made from a file or the command line: the templates by key, the cycles by name, and
storing several through data.cycles.store_cycle in one transaction, with where they came from
in the change log."""

from datetime import date
from typing import Any

from sqlalchemy import select

from qa_app.data import changelog
from qa_app.data.cycles import active_templates, store_cycle
from qa_app.extensions import db
from qa_app.models import AuditCycle, AuditTemplate, User


def templates_by_key() -> dict[str, AuditTemplate]:
    """The active case-audit templates, by key in lower case."""
    return {t.key.lower(): t for t in active_templates()}


def cycles_by_name() -> dict[str, AuditCycle]:
    """Every cycle by its name in lower case."""
    return {c.name.strip().lower(): c for c in db.session.scalars(select(AuditCycle))}


def cycle_fields(cycle: AuditCycle) -> dict[str, Any]:
    """A cycle's fields as a file gives them, to compare with a row."""
    return {
        "kind": str(cycle.kind),
        "description": cycle.description or "",
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "due_date": cycle.due_date,
        "templates": sorted(t.key for t in cycle.templates),
        "theme_focus": cycle.theme_focus or None,
        "moderation_share": cycle.moderation_share,
    }


def store_cycles(rows: list[dict[str, Any]], *, actor: User | None, origin: dict[str, Any]) -> None:
    """Create or change each cycle (rows of cycle_fields plus "name", and "id" for one that
    exists) in one transaction; each is logged by store_cycle and again with `origin` (the
    file, and who on the command line); commits."""
    templates = templates_by_key()
    for row in rows:
        saved = store_cycle(
            name=row["name"],
            kind=row["kind"],
            description=row["description"],
            period_start=row["period_start"],
            period_end=row["period_end"],
            due_date=row["due_date"],
            templates=[templates[k.lower()] for k in row["templates"]],
            theme_focus=row["theme_focus"],
            moderation_share=row["moderation_share"],
            actor=actor,
            cycle=db.session.get(AuditCycle, row["id"]) if row.get("id") else None,
            commit=False,
        )
        changelog.record(actor, "cycle", saved.cycle.id, "set_up", dict(origin))
    db.session.commit()


def day_text(day: date | None) -> str:
    return day.isoformat() if day else ""
