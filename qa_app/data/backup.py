"""Logical backups: the whole database as gzip-compressed JSON Lines, and restoring one.

The file is portable between SQLite and PostgreSQL. Line 1 is a header::

    {"format": "practice-qa-backup", "version": 1, "alembic_revision": "0004_…",
     "created_at": "2025-…+00:00", "counts": {"users": 3, …}}

then one line per row, table by table in `Base.metadata.sorted_tables` order (parents before
children), each table's rows in primary-key order::

    {"table": "audits", "row": {"id": 1, "due_date": "2025-01-31", "started_at": "…+00:00", …}}

Dates and datetimes are ISO strings (UTC datetimes carry their offset), JSON columns are JSON.
A nullable JSON column holding JSON `null` (rather than SQL NULL) is named in the line's
optional "json_null" list, so the distinction survives the round trip.

Both directions stream in chunks, so a large database never sits in memory. A backup is
written to a temporary file beside the target and renamed into place only once complete; a
restore runs in one transaction, so any error leaves the database as it was."""

import gzip
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnClause,
    Date,
    DateTime,
    Engine,
    Table,
    TableClause,
    column,
    func,
    insert,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.types import TypeEngine

from qa_app.models import Base
from qa_app.models.base import UTCDateTime

FORMAT = "practice-qa-backup"
VERSION = 1
CHUNK = 1000


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why (and where)."""


@dataclass
class BackupResult:
    path: Path
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)


# ---- helpers ---------------------------------------------------------------------------------


def tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def current_revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as error:  # no alembic_version table
        raise BackupError(
            "the database has no alembic_version table: run `flask db upgrade` first"
        ) from error


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()
    }


def _nullable_json(tbl: Table) -> list[str]:
    return [c.name for c in tbl.columns if isinstance(c.type, JSON) and c.nullable]


def _encode(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(col: Column[Any]) -> Callable[[Any], Any]:
    """Turns a value read from the file back into what the column's type binds."""
    kind = col.type
    if isinstance(kind, UTCDateTime):

        def to_utc(value: str | None) -> datetime | None:
            if value is None:
                return None
            parsed = datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

        return to_utc
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _insert_target(tbl: Table) -> TableClause:
    """A lightweight copy of the table for inserting: nullable JSON columns store None as SQL
    NULL (and JSON.NULL as JSON null), other columns keep the model's type."""
    cols: list[ColumnClause[Any]] = []
    for c in tbl.columns:
        kind: TypeEngine[Any] = c.type
        if isinstance(kind, JSON) and c.nullable:
            kind = JSON(none_as_null=True)
        cols.append(column(c.name, kind))
    return table(tbl.name, *cols)


# ---- backup ----------------------------------------------------------------------------------


def _rows(conn: Connection, tbl: Table) -> Iterator[dict[str, Any]]:
    json_nulls = _nullable_json(tbl)
    flags = [tbl.c[name].is_(None).label(f"__sql_null__{name}") for name in json_nulls]
    stmt = select(tbl, *flags).order_by(*tbl.primary_key.columns)
    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(stmt)
    names = [c.name for c in tbl.columns]
    for partition in result.partitions():
        for raw in partition:
            mapping = raw._mapping
            line = {"table": tbl.name, "row": {n: _encode(mapping[n]) for n in names}}
            json_null = [
                n for n in json_nulls if mapping[n] is None and not mapping[f"__sql_null__{n}"]
            ]
            if json_null:
                line["json_null"] = json_null
            yield line


def write_backup(
    engine: Engine,
    path: Path,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> BackupResult:
    """Write the whole database to `path`, read in one transaction (a consistent snapshot).
    Refuses to replace an existing file unless `force`."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(f"{path} already exists: use --force to replace it")
    if path.is_dir():
        raise BackupError(f"{path} is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise BackupError(f"there is no directory {directory}")
    created = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        options = (
            {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        )
        with engine.connect().execution_options(**options) as conn, conn.begin():
            revision = current_revision(conn)
            counts = row_counts(conn)
            with (
                os.fdopen(fd, "wb") as raw,
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out,
            ):
                header = {
                    "format": FORMAT,
                    "version": VERSION,
                    "alembic_revision": revision,
                    "created_at": created,
                    "counts": counts,
                }
                out.write(_line(header))
                for tbl in tables():
                    written = 0
                    for line in _rows(conn, tbl):
                        out.write(_line(line))
                        written += 1
                    if written != counts[tbl.name]:  # cannot happen in a snapshot; be sure
                        raise BackupError(
                            f"{tbl.name}: counted {counts[tbl.name]} rows but read {written}"
                        )
                out.flush()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupResult(path=path, revision=revision, counts=counts)


def _line(obj: dict[str, Any]) -> bytes:
    """One JSON line, UTF-8. A JSON column may hold a lone surrogate (stored before the input
    rule refused it), which UTF-8 cannot encode: that line is written with every non-ASCII
    character escaped, so the backup keeps the row exactly and restores it as it was."""
    try:
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    except UnicodeEncodeError:
        return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


# ---- restore ---------------------------------------------------------------------------------


def _read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, parsed object) for each line; BackupError naming the line if the file
    is not gzip, is truncated, or a line is not a JSON object."""
    number = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for number, line in enumerate(lines, 1):
                if not line.endswith("\n"):
                    raise BackupError(f"line {number}: the line is cut off (truncated file?)")
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as error:
                    raise BackupError(f"line {number}: not valid JSON ({error.msg})") from None
                if not isinstance(obj, dict):
                    raise BackupError(f"line {number}: expected a JSON object")
                yield number, obj
    except (EOFError, OSError, zlib.error, UnicodeDecodeError) as error:
        raise BackupError(
            f"line {number + 1}: the file is corrupt or truncated ({type(error).__name__}: {error})"
        ) from None


def _check_header(number: int, header: dict[str, Any], revision: str | None) -> dict[str, int]:
    if header.get("format") != FORMAT:
        raise BackupError(f"line {number}: this is not a Practice QA backup file")
    if header.get("version") != VERSION:
        raise BackupError(
            f"line {number}: unknown backup format version {header.get('version')!r} "
            f"(this version of Practice QA reads version {VERSION})"
        )
    if header.get("alembic_revision") != revision:
        raise BackupError(
            f"the backup is of schema revision {header.get('alembic_revision')!r} but the "
            f"database is at {revision!r}: run `flask db upgrade` first (with the code "
            "version that made the backup) so that they match"
        )
    counts = header.get("counts")
    known = {t.name for t in tables()}
    if not isinstance(counts, dict) or set(counts) != known:
        raise BackupError(f"line {number}: the header's table counts do not match this schema")
    return counts


def data_counts(conn: Connection) -> dict[str, int]:
    return {name: n for name, n in row_counts(conn).items() if n}


def delete_all(conn: Connection) -> None:
    for tbl in reversed(tables()):
        conn.execute(tbl.delete())


def _reset_sequences(conn: Connection) -> None:
    for tbl in tables():
        pk = list(tbl.primary_key.columns)
        if len(pk) != 1 or pk[0].name != "id" or not pk[0].autoincrement:
            continue
        highest = func.max(pk[0])
        conn.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(tbl.name, "id"),
                    func.coalesce(highest, 1),
                    highest.is_not(None),  # false on an empty table: the next id is 1
                )
            ).select_from(tbl)
        )


def restore_backup(
    engine: Engine,
    path: Path,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Load a backup into the database in one transaction; returns rows restored by table."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"there is no file {path}")
    order = {t.name: i for i, t in enumerate(tables())}
    by_name = {t.name: t for t in tables()}
    restored = dict.fromkeys(order, 0)
    with engine.begin() as conn:
        revision = current_revision(conn)
        lines = _read_lines(path)
        first = next(lines, None)
        if first is None:
            raise BackupError("line 1: the file is empty")
        counts = _check_header(*first, revision)
        existing = data_counts(conn)
        if existing and not replace:
            summary = ", ".join(f"{n} {name}" for name, n in existing.items())
            raise BackupError(
                f"the database is not empty ({summary}): restore into an empty database, "
                "or use --replace to delete everything in it first"
            )
        if existing:
            delete_all(conn)

        current: str | None = None
        target: TableClause | None = None
        decoders: dict[str, Callable[[Any], Any]] = {}
        columns: list[str] = []
        chunk: list[dict[str, Any]] = []
        chunk_start = 0

        def flush() -> None:
            if not chunk:
                return
            assert current is not None and target is not None  # set by the chunk's first row
            try:
                conn.execute(insert(target), chunk)
            except Exception as error:
                raise BackupError(
                    f"lines {chunk_start}-{chunk_start + len(chunk) - 1}: could not store "
                    f"{current} rows ({type(error).__name__}: {str(error).splitlines()[0]})"
                ) from None
            restored[current] += len(chunk)
            if progress:
                progress(current, restored[current])
            chunk.clear()

        for number, obj in lines:
            name, row = obj.get("table"), obj.get("row")
            if name not in by_name or not isinstance(row, dict):
                raise BackupError(f"line {number}: expected a row of a known table")
            if name != current:
                flush()
                if current is not None and order[name] < order[current]:
                    raise BackupError(f"line {number}: {name} rows after {current} rows")
                current, tbl = name, by_name[name]
                target = _insert_target(tbl)
                columns = [c.name for c in tbl.columns]
                decoders = {c.name: _decoder(c) for c in tbl.columns}
                json_nulls = set(_nullable_json(tbl))
            unknown = set(row) - set(columns)
            missing = set(columns) - set(row)
            if unknown or missing:
                raise BackupError(
                    f"line {number}: {name} row has unknown columns {sorted(unknown)} "
                    f"or lacks {sorted(missing)}"
                )
            try:
                values = {c: decoders[c](row[c]) for c in columns}
            except (TypeError, ValueError) as error:
                raise BackupError(f"line {number}: {error}") from None
            for c in obj.get("json_null") or ():
                if c in json_nulls and values.get(c) is None:
                    values[c] = JSON.NULL
            if not chunk:
                chunk_start = number
            chunk.append(values)
            if len(chunk) >= CHUNK:
                flush()
        flush()
        short = {n: (restored[n], c) for n, c in counts.items() if restored[n] != c}
        if short:
            detail = ", ".join(f"{n}: {got} of {want}" for n, (got, want) in short.items())
            raise BackupError(f"the file ends early: rows missing ({detail}); nothing stored")
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return restored
