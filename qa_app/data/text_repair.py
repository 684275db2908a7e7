"""Finding and removing, in a whole database, the characters no text may hold
(qa_app.rules.control_characters): text stored before the rule covered them (U+FFFE and U+FFFF were
let in until December 2026), or written round the application.

Every text and JSON column of every table is read, a table at a time, in batches; JSON is
walked to every string, keys included. A repair removes the characters (nothing else changes)
and records, for each row it changed, a change-log entry naming the columns and the characters
removed, never the text itself (it may be case detail). The change log and the security log
are repaired too: pages and exports read them. `flask qa clean-text` is the command."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Column, Enum, String, Table, select, update

from qa_app.data.changelog import record
from qa_app.extensions import db
from qa_app.models.base import Base
from qa_app.rules.control_characters import CONTROL, describe, without_control_characters

BATCH = 2_000  # rows read at a time
ACTION = "text_cleaned"


@dataclass
class DamagedRow:
    table: str
    key: tuple[Any, ...]  # the row's primary key
    # column -> (the cleaned value, how many of each character it held)
    columns: dict[str, tuple[object, Counter[str]]] = field(default_factory=dict)

    @property
    def entity_id(self) -> str:
        return "/".join(str(part) for part in self.key)

    def summary(self) -> dict[str, str]:
        """{column: "2 characters removed: the non-character U+FFFE (1), ..."} for the log and
        the command's report."""
        out = {}
        for name, (_, found) in self.columns.items():
            total = sum(found.values())
            what = ", ".join(f"{describe(c)} ({n})" for c, n in sorted(found.items()))
            out[name] = f"{total} character{'s' if total != 1 else ''} removed: {what}"
        return out


def _text_columns(table: Table) -> tuple[list[Column[Any]], list[Column[Any]]]:
    texts: list[Column[Any]] = []
    jsons: list[Column[Any]] = []
    for column in table.columns:
        if isinstance(column.type, JSON):
            jsons.append(column)
        elif isinstance(column.type, String) and not isinstance(column.type, Enum):
            texts.append(column)
    return texts, jsons


def _clean_json(value: Any, found: Counter[str]) -> Any:
    """`value` with every string (and key) cleaned; `found` counts what was removed."""
    if isinstance(value, str):
        if CONTROL.search(value):
            found.update(CONTROL.findall(value))
            return without_control_characters(value)
        return value
    if isinstance(value, list):
        return [_clean_json(item, found) for item in value]
    if isinstance(value, dict):
        return {_clean_json(k, found): _clean_json(v, found) for k, v in value.items()}
    return value


def _damaged_rows(table: Table) -> Iterator[DamagedRow]:
    texts, jsons = _text_columns(table)
    if not texts and not jsons:
        return
    keys = list(table.primary_key.columns)
    statement = select(*keys, *texts, *jsons).order_by(*keys)
    rows = db.session.execute(statement.execution_options(yield_per=BATCH))
    for row in rows:
        damaged = DamagedRow(table.name, tuple(row[: len(keys)]))
        values = row[len(keys) :]
        for column, value in zip(texts, values[: len(texts)], strict=True):
            if isinstance(value, str) and CONTROL.search(value):
                found = Counter(CONTROL.findall(value))
                damaged.columns[column.name] = (without_control_characters(value), found)
        for column, value in zip(jsons, values[len(texts) :], strict=True):
            found = Counter[str]()
            cleaned = _clean_json(value, found)
            if found:
                damaged.columns[column.name] = (cleaned, found)
        if damaged.columns:
            yield damaged


def find_damaged_text() -> list[DamagedRow]:
    """Every row holding a character no text may hold, table by table."""
    found: list[DamagedRow] = []
    for table in Base.metadata.sorted_tables:
        found.extend(_damaged_rows(table))
    return found


def repair(rows: list[DamagedRow]) -> int:
    """Remove the characters from `rows` (as found by find_damaged_text) and record each repair
    in the change log, in one transaction. Returns the number of rows changed."""
    tables = Base.metadata.tables
    for damaged in rows:
        table = tables[damaged.table]
        keys = list(table.primary_key.columns)
        values = {name: cleaned for name, (cleaned, _) in damaged.columns.items()}
        condition = [key == part for key, part in zip(keys, damaged.key, strict=True)]
        db.session.execute(update(table).where(*condition).values(**values))
        record(None, damaged.table, damaged.entity_id, ACTION, damaged.summary())
    db.session.commit()
    return len(rows)
