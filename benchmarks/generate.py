"""`make bench-data N=100000`: a database full of synthetic audit history for benchmarks.

    python -m benchmarks.generate N [--database-url URL] [--seed S] [--months M] [--replace]
                                    [--chunk C] [--pool P]

Creates and migrates the database (SQLite instance/bench.sqlite by default, or
QA_BENCH_DATABASE_URL, or --database-url), loads the audit templates and the demo accounts
(so benchmarks can sign in), then adds N synthetic audits over M months: the organisation,
accounts and monthly cycles of qa_app/demo/synthetic_organisation.py, every audit drawn with
numpy a chunk at a time (benchmarks/history_draws.py), its answers, grades and theme marks
taken from a pool of whole audits drawn as the demo draws them (benchmarks/history_pool.py)
and written by PostgreSQL COPY or SQLite executemany with the secondary indexes dropped and
made again after (benchmarks/history_load.py), in one transaction. A database that already
holds synthetic history is left alone unless --replace, which first deletes the SQLite file
or drops and recreates the PostgreSQL schema. On PostgreSQL the tables are then vacuumed and
analysed (as autovacuum would do soon after a bulk load), so the benchmarks that follow are
planned with statistics. Then the findings' summary tables are rebuilt (timed on their own),
when the code that keeps them exists. Progress goes to stderr; counts, the time of each step,
rows per second and the database's size to stdout."""

import argparse
import multiprocessing
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from benchmarks.history_draws import Draws, month_starts  # noqa: E402
from benchmarks.history_load import Loader, copy_lines  # noqa: E402
from benchmarks.history_pool import HOT  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.data import changelog  # noqa: E402
from qa_app.demo.synthetic import ENTITY, REFERENCE_BASE, has_history, latest_specs  # noqa: E402
from qa_app.demo.synthetic_organisation import ensure_cycles, ensure_organisation  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.rules.uk_time import uk_today  # noqa: E402

try:  # the findings' summary tables (issue 20, branch summaries): the guard goes once merged
    from qa_app.findings.summary_check import rebuild as rebuild_summaries  # noqa: E402
except ImportError:  # pragma: no cover - until the summaries are merged
    rebuild_summaries = None

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{REPO / 'instance' / 'bench.sqlite'}"
STATUSES = ("audits_submitted", "audits_moderated", "audits_in_progress")
ROW_TABLES = (
    "cases",
    "cycle_cases",
    "audits",
    "answers",
    "section_grades",
    "theme_marks",
    "moderations",
    "moderation_grades",
    "case_actions",
    "concerns",
)


def database_url(given: str | None) -> str:
    url = given or os.environ.get("QA_BENCH_DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def wipe(url: str) -> None:
    """Delete the SQLite file, or drop and recreate the PostgreSQL public schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(parsed.database) + suffix).unlink(missing_ok=True)
        return
    if parsed.database in {"test", "postgres"}:
        raise SystemExit(f"refusing to wipe the database {parsed.database!r}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def vacuum_analyze(url: str) -> float:
    """VACUUM (ANALYZE) a PostgreSQL database (outside a transaction); returns the seconds."""
    started = time.perf_counter()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    return time.perf_counter() - started


def database_size(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        size = Path(parsed.database).stat().st_size
        return f"database file {parsed.database}: {size / 2**20:,.0f} MiB"
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return f"database {parsed.database}: {size / 2**20:,.0f} MiB"


def prepare(app) -> None:
    from flask_migrate import upgrade

    from qa_app.data.templates import store_library
    from qa_app.demo.seed import seed
    from qa_app.templates_engine.validate import validate_path

    upgrade()
    library, problems = validate_path(REPO / "audit_templates")
    if problems:
        raise SystemExit(f"the audit templates have problems: {problems}")
    store_library(library)
    seed(only_if_empty=True, history=False)  # the accounts; the history is ours to make


class Chunk:
    """The rows of one chunk of audits: dicts by table, and blocks for the hot tables (COPY
    text on PostgreSQL, row tuples on SQLite)."""

    def __init__(self, postgresql: bool, size: int):
        self.postgresql, self.size = postgresql, size
        self.rows: dict[str, Any] = {name: [] for name in ROW_TABLES if name not in HOT}
        self.blocks: dict[str, Any] = {name: [] for name in HOT}
        self.counts: dict[str, int] = dict.fromkeys(HOT, 0)
        self.statuses: Counter = Counter(dict.fromkeys(STATUSES, 0))

    def add_entry(self, entry, audit_id: int) -> None:
        for table in HOT:
            count = len(entry.sqlite_rows[table])
            self.counts[table] += count
            if not count:
                continue
            if self.postgresql:
                self.blocks[table].append(entry.copy_block(table, str(audit_id)))
            else:
                self.blocks[table].extend(entry.rows(table, audit_id))

    def finish(self) -> None:
        """Count the rows; on PostgreSQL render them as COPY text."""
        for name, rows in self.rows.items():
            self.counts[name] = len(rows)
        if not self.postgresql:
            return
        for name in HOT:
            self.blocks[name] = "".join(self.blocks[name])
        for name in list(self.rows):
            self.rows[name] = copy_lines(self.rows[name], db.metadata.tables[name])


def produce(draws, n, chunk, first_number, first_ids, postgresql, out) -> None:
    """Draw and render every chunk into `out` (a multiprocessing queue); an error goes there
    as its traceback's text."""
    case_id, audit_id, moderation_id = first_ids
    try:
        for start in range(0, n, chunk):
            size = min(chunk, n - start)
            rows = Chunk(postgresql, size)
            draws.chunk(start, size, first_number + start, case_id + start, audit_id + start, rows)
            for moderation in rows.rows["moderations"]:
                moderation["id"], moderation_id = moderation_id, moderation_id + 1
            for grade in rows.rows["moderation_grades"]:
                grade["moderation_id"] = rows.rows["moderations"][grade["moderation_id"]]["id"]
            rows.finish()
            out.put(rows, timeout=600)
    except BaseException:  # noqa: BLE001 - handed to the writing process
        out.put(traceback.format_exc(), timeout=600)


def next_reference() -> int:
    """The first synthetic case reference (90000000 up) after any already used."""
    highest = db.session.scalar(
        text(
            "SELECT max(case_reference) FROM cases WHERE case_reference >= :low "
            "AND case_reference <= '99999999' AND length(case_reference) = 8"
        ),
        {"low": str(REFERENCE_BASE)},
    )
    return int(highest) + 1 if highest else REFERENCE_BASE


def load_history(n, *, seed=1, months=24, chunk=10000, pool=400, progress=None, say=print):
    """Add n synthetic audits in the current app context, in one transaction; returns the
    row counts by table and the seconds each step took."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    specs = latest_specs()
    end = uk_today()
    starts = month_starts(end, months)
    counts: Counter = Counter({name: 0 for name in ROW_TABLES})
    counts.update(dict.fromkeys(("localities_created", "teams_created"), 0))
    counts.update(dict.fromkeys(("users_created", "cycles_created", *STATUSES), 0))
    teams, auditors, moderators = ensure_organisation(counts, starts[0])
    cycles = ensure_cycles(starts, specs, None, counts)
    first_number = next_reference()
    if first_number + n > 10**8:
        raise SystemExit("no synthetic case references (90000000-99999999) are left")
    draws = Draws(seed, specs, teams, auditors, moderators, cycles, end, n, pool)
    timings["pool"] = time.perf_counter() - started
    say(f"  pool of {draws.pool.entries():,} audits drawn in {timings['pool']:.1f} s")
    conn = db.session.connection()
    tables = {name: db.metadata.tables[name] for name in ROW_TABLES}
    loader = Loader(conn, tables, progress=say)
    loader.strip()
    first_ids = (loader.next_id("cases"), loader.next_id("audits"), loader.next_id("moderations"))
    loader.check_ids(first_ids[1], n)
    postgresql = conn.dialect.name == "postgresql"
    began = time.perf_counter()
    # A forked process draws and renders chunk k+1 while this one writes chunk k (the
    # database works while Python draws, on two cores): at most three chunks wait.
    context = multiprocessing.get_context("fork")
    chunks = context.Queue(maxsize=3)
    producer = context.Process(
        target=produce,
        args=(draws, n, chunk, first_number, first_ids, postgresql, chunks),
        daemon=True,
    )
    producer.start()
    try:
        done, waited = 0, 0.0
        while done < n:
            asked = time.perf_counter()
            rows = chunks.get(timeout=600)
            waited += time.perf_counter() - asked
            if isinstance(rows, str):
                raise RuntimeError(f"drawing the audits failed: {rows}")
            for name in ROW_TABLES:
                if name in HOT:
                    loader.hot(name, rows.blocks[name])
                else:
                    loader.dicts(name, rows.rows[name])
                counts[name] += rows.counts[name]
            counts.update(rows.statuses)
            done += rows.size
            if progress:
                progress(done, n)
    finally:
        producer.join(timeout=60)
        if producer.is_alive():
            producer.kill()
    timings["load"] = time.perf_counter() - began
    timings["waited"] = waited  # for the drawing process: the rest is the database writing
    timings["indexes"] = loader.rebuild()
    loader.set_sequences()
    result = dict(counts)
    period = {"seed": seed, "from": starts[0].isoformat(), "to": end.isoformat()}
    changelog.record(None, ENTITY, f"seed-{seed}", "generated", {**result, **period})
    began = time.perf_counter()
    db.session.commit()
    timings["commit"] = time.perf_counter() - began
    return result, timings


def summaries(say=print) -> float | None:
    """Rebuild the findings' summary tables (when that code exists); returns the seconds."""
    if rebuild_summaries is None:
        say("summaries: not rebuilt (qa_app has no summary tables yet)")
        return None
    began = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - began
        print(f"  summaries: {done:>4} / {total} months  {elapsed:7.1f} s", file=sys.stderr)

    rebuild_summaries(progress)
    db.session.commit()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many audits to generate")
    parser.add_argument("--database-url", help=f"default: QA_BENCH_DATABASE_URL or {DEFAULT_URL}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--chunk", type=int, default=10000, help="audits per batch")
    parser.add_argument("--pool", type=int, default=400, help="pooled audits per grade")
    parser.add_argument("--replace", action="store_true", help="start from an empty database")
    args = parser.parse_args(argv)
    if args.n < 0 or args.months < 1 or args.chunk < 1 or args.pool < 1:
        parser.error("N must be >= 0; months, chunk and pool >= 1")
    url = database_url(args.database_url)
    shown = make_url(url).render_as_string(hide_password=True)
    total_started = time.perf_counter()
    if args.replace:
        wipe(url)
    if url.startswith("sqlite:///"):
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare(app)
        if has_history():
            print(
                f"{shown} already holds synthetic history; use --replace to start again",
                file=sys.stderr,
            )
            return 2
        print(f"database: {shown}", file=sys.stderr)
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            print(f"  {done:>9,} / {total:,} audits  {elapsed:7.1f} s", file=sys.stderr)

        def say(line: str) -> None:
            print(line, file=sys.stderr)

        counts, timings = load_history(
            args.n,
            seed=args.seed,
            months=args.months,
            chunk=args.chunk,
            pool=args.pool,
            progress=progress,
            say=say,
        )
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    rows = sum(counts[name] for name in ROW_TABLES)
    for name, value in counts.items():
        print(f"{name:<22} {value:>12,}")
    print(f"{'rows written':<22} {rows:>12,}")
    print(
        f"elapsed {elapsed:.1f} s: {args.n / elapsed:,.0f} audits/s, {rows / elapsed:,.0f} rows/s"
        f" (pool {timings['pool']:.1f} s, rows {timings['load']:.1f} s of which "
        f"{timings['waited']:.1f} s waiting for the drawing, indexes "
        f"{timings['indexes']:.1f} s, commit {timings['commit']:.1f} s)"
    )
    if make_url(url).get_backend_name() == "postgresql":
        print(f"VACUUM (ANALYZE) {vacuum_analyze(url):.1f} s")
    with app.app_context():
        took = summaries(say=print)
        if took is not None:
            print(f"summaries rebuilt in {took:.1f} s")
        db.engine.dispose()
    print(database_size(url))
    print(f"total {time.perf_counter() - total_started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
