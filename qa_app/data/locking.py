"""Optimistic locking: a save names the lock_version the person read, and is refused when the
row has moved on since, so that nothing anyone saved is overwritten.

The check and the move to the next version are one conditional UPDATE (WHERE id = ? AND
lock_version = ?), so of two saves from the same version exactly one wins, whichever process
or database. SQLAlchemy's version_id_col is not used: it compares with the version the ORM
loaded in this request, not the one posted back from the form, and a stale save overwrote the
newer one (ARCHITECTURE.md)."""

from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, CursorResult, Result, update

from qa_app.extensions import db
from qa_app.models import utcnow


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT changed (its cursor result's rowcount)."""
    return cast(CursorResult[Any], result).rowcount


class Versioned(Protocol):
    id: int
    lock_version: int


def claim_version(row: Versioned, based_on: int | None, *conditions: ColumnElement[bool]) -> bool:
    """Move `row` (any model with `id`, `lock_version` and `updated_at`) to its next
    lock_version if, and only if, it is still at `based_on` (and `conditions`, more WHERE
    clauses on its model, hold). True when claimed: the caller goes on to change the row and
    commit. False when it was not: the session is rolled back, so nothing of this save is
    kept, and `row` is reloaded as it is now, for the conflict page; the caller refuses."""
    model: Any = type(row)  # a versioned model: `id`, `lock_version` and `updated_at` columns
    changed = rows_changed(
        db.session.execute(
            update(model)
            .where(model.id == row.id, model.lock_version == based_on, *conditions)
            .values(lock_version=model.lock_version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if changed != 1:
        db.session.rollback()
        db.session.refresh(row)
        return False
    db.session.refresh(row, ["lock_version"])
    return True
