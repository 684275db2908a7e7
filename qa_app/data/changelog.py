"""Writing and reading the append-only change log."""

from typing import Any

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, User


def record(
    actor: User | None,
    entity_type: str,
    entity_id: object,
    action: str,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add a change-log entry to the current transaction (committed with the change itself)."""
    db.session.add(
        ChangeLogEntry(
            user_id=getattr(actor, "id", None),
            entity_type=entity_type,
            entity_id=str(entity_id),
            action=action,
            changes=changes or {},
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def entries_for(
    entity_type: str, entity_id: object, limit: int | None = 50
) -> list[ChangeLogEntry]:
    """The entity's change-log entries, newest first (all of them with limit=None)."""
    stmt = (
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.entity_type == entity_type, ChangeLogEntry.entity_id == str(entity_id)
        )
        .order_by(ChangeLogEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
