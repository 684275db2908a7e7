"""A dump of every table, to prove a refused input changed nothing.

Rows are tuples ordered by primary key. Two tables are left out because merely using the
service writes them, whatever is posted: `security_events` (signing in is logged) and
`user_sessions` (a request may touch the session's last-seen time). Nothing a bad input could
change lives only there."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Base

SKIPPED = frozenset({"security_events", "user_sessions"})


def dump() -> dict[str, list[tuple]]:
    """Every row of every table but SKIPPED, as {table: [row tuple, ...]}."""
    db.session.commit()  # end the test's own transaction so the dump sees what is committed
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in conn.execute(query)]
    return out


def changes(before: dict, after: dict) -> dict[str, dict[str, list]]:
    """What differs between two dumps: {table: {"gone": rows, "new": rows}}; {} if nothing."""
    out = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:  # rows hold JSON values (dicts), so compare them as text
            old_text, new_text = {repr(r) for r in old}, {repr(r) for r in new}
            out[name] = {"gone": sorted(old_text - new_text), "new": sorted(new_text - old_text)}
    return out
