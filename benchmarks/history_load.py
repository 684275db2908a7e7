"""Bulk loading for the fast benchmark generator (benchmarks/generate.py), inside the
session's one transaction: PostgreSQL through COPY (psycopg 3's cursor.copy), the big tables
COPY ... FREEZE after a TRUNCATE of an empty table (so no VACUUM has to visit them), SQLite
through the driver's executemany; on both, the secondary indexes (and on PostgreSQL the
unique and foreign-key constraints) of the tables loaded are dropped first and made again
after, which builds each index once, sorted, instead of row by row."""

import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    TypeDecorator,
    insert,
    text,
)

from benchmarks.history_pool import ESCAPES, HOT, NULL, ROWS_PER_AUDIT

FREEZE = ("answers", "section_grades", "theme_marks")


def copy_lines(rows: list[dict[str, Any]], table: Table) -> str:
    """Dict rows as COPY text, after a first line naming their columns (tab-separated); each
    column formatted by its type (one function per column, chosen once)."""
    if not rows:
        return ""
    columns = list(rows[0])
    formats = [_format(table.c[name].type) for name in columns]
    lines = [
        "\t".join([NULL if v is None else f(v) for f, v in zip(formats, row.values(), strict=True)])
        for row in rows
    ]
    return "\t".join(columns) + "\n" + "\n".join(lines) + "\n"


_SEEN: dict[Any, str] = {}  # the same moments recur (a cycle's opening, an audit's times)


def _datetime(v) -> str:
    shown = _SEEN.get(v)
    if shown is None:
        if len(_SEEN) > 200_000:
            _SEEN.clear()
        shown = _SEEN[v] = v.isoformat(" ")[:-6] if v.tzinfo else v.isoformat(" ")
    return shown


def _format(kind) -> Callable[[Any], str]:
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        return lambda v: "t" if v else "f"
    if isinstance(kind, DateTime):  # aware UTC in, naive UTC stored (qa_app.models.base)
        return _datetime
    if isinstance(kind, Date):
        return date.isoformat
    if isinstance(kind, JSON):
        return lambda v: json.dumps(v).translate(ESCAPES)
    if isinstance(kind, Integer):
        return str
    if isinstance(kind, Float):
        return repr
    return lambda v: str(v).translate(ESCAPES)


class Loader:
    """Rows for a table, in one transaction, by the database's fastest means."""

    def __init__(self, conn, tables: dict[str, Table], progress=print, keep=()):
        self.conn, self.tables, self.progress = conn, tables, progress
        self.dialect = conn.dialect.name
        self.raw = conn.connection.driver_connection
        self.recreate: list[str] = []
        self.freeze: set[str] = set()
        # PostgreSQL: tables whose indexes stay during the load (none by default: at 100,000
        # audits keeping the big tables' indexes row by row took 48 s where dropping them and
        # sorting them after took 22 + 8 s); their foreign keys go all the same
        self.keep = tuple(keep)

    # ---- before and after ---------------------------------------------------------------

    def strip(self) -> None:
        """Drop what slows a bulk load on the tables to be loaded, remembering it."""
        names = list(self.tables)
        if self.dialect == "postgresql":
            self.conn.execute(text("SET LOCAL maintenance_work_mem = '2GB'"))
            self.conn.execute(text("SET LOCAL synchronous_commit = off"))
            constraints = self.conn.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE (contype = 'f' OR (contype = 'u' "
                    "AND NOT conrelid::regclass::text = ANY(:kept))) "
                    "AND conrelid::regclass::text = ANY(:names) ORDER BY contype DESC"
                ),
                {"names": names, "kept": list(self.keep)},
            ).all()
            indexes = self.conn.execute(
                text(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(:names) "
                    "AND NOT i.indrelid::regclass::text = ANY(:kept) "
                    "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                    "WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'p', 'x'))"
                ),
                {"names": names, "kept": list(self.keep)},
            ).all()
            for table, name, definition in constraints:
                self.conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
                self.recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for name, definition in indexes:
                self.conn.execute(text(f"DROP INDEX {name}"))
                self.recreate.insert(0, definition)  # indexes first, then the constraints
            for table in FREEZE:
                empty = text(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 (our table names)
                if table in names and not self.conn.scalar(empty):
                    if not self._referenced(table):
                        self.conn.execute(text(f"TRUNCATE {table}"))
                        self.freeze.add(table)
        else:
            # the unique indexes stay: a big page cache keeps their inserts in memory
            self.conn.execute(text("PRAGMA cache_size = -524288"))
            rows = [
                row
                for row in self.conn.execute(
                    text("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index'")
                ).all()
                if row[1] is not None and row[2] in names
            ]
            for name, definition, _ in rows:
                self.conn.execute(text(f'DROP INDEX "{name}"'))
                self.recreate.append(definition)
        self.progress(f"  dropped {len(self.recreate)} indexes and constraints for the load")

    def _referenced(self, table: str) -> bool:
        return bool(
            self.conn.scalar(
                text(
                    "SELECT count(*) FROM pg_constraint "
                    "WHERE contype = 'f' AND confrelid = CAST(:t AS regclass)"
                ),
                {"t": table},
            )
        )

    def rebuild(self) -> float:
        """Make again what strip() dropped; returns the seconds it took."""
        started = time.perf_counter()
        for statement in self.recreate:
            begun = time.perf_counter()
            self.conn.execute(text(statement))
            self.progress(f"  {time.perf_counter() - begun:6.1f} s  {statement[:90]}")
        return time.perf_counter() - started

    def set_sequences(self) -> None:
        """After rows written with their own ids, the PostgreSQL sequences go past them."""
        if self.dialect != "postgresql":
            return
        for name in self.tables:
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"  # (our names)
                )
            )

    def check_ids(self, first_audit: int, n: int) -> None:
        """The ids the big tables' rows take on PostgreSQL (audit id * ROWS_PER_AUDIT + k)
        must be free and fit a 32-bit integer."""
        if self.dialect != "postgresql":
            return
        if (first_audit + n) * ROWS_PER_AUDIT >= 2**31:
            raise SystemExit(f"audit ids from {first_audit} leave no room for the rows' ids")
        for table in HOT:
            highest = self.next_id(table) - 1
            if highest >= first_audit * ROWS_PER_AUDIT:
                raise SystemExit(f"{table} already holds ids from {highest}: use --replace")

    def next_id(self, table: str) -> int:
        highest = self.conn.scalar(text(f"SELECT max(id) FROM {table}"))  # noqa: S608
        return (highest or 0) + 1

    # ---- rows ---------------------------------------------------------------------------

    def hot(self, table: str, block: Any) -> None:
        """A table of HOT: COPY text (PostgreSQL: the row's id, then the audit's...) or row
        tuples (SQLite: the audit id first, the id left to the database)."""
        if not block:
            return
        columns = HOT[table]
        if self.dialect == "postgresql":
            freeze = " (FREEZE)" if table in self.freeze else ""
            self._copy(table, ("id", *columns), block, freeze)
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            self.raw.executemany(statement, block)

    def dicts(self, table: str, rows: list[dict[str, Any]] | str) -> None:
        """Rows as dicts (SQLite: a Core INSERT, SQLAlchemy's own binding of dates, datetimes
        and JSON) or, on PostgreSQL, as the COPY text copy_lines() made of them."""
        if not rows:
            return
        if isinstance(rows, str):
            columns, block = rows.split("\n", 1)
            self._copy(table, columns.split("\t"), block, "")
        else:
            self.conn.execute(insert(self.tables[table]), rows)

    def _copy(self, table: str, columns, block: str, options: str) -> None:
        with self.raw.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN{options}"
            with cursor.copy(statement) as copy:
                copy.write(block)
