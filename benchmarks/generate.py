"""`make bench-data N=100000`: a database full of synthetic audit history for benchmarks.

    python -m benchmarks.generate N [--database-url URL] [--seed S] [--months M] [--replace]

Creates and migrates the database (SQLite instance/bench.sqlite by default, or
QA_BENCH_DATABASE_URL, or --database-url), loads the audit templates and the demo accounts
(so benchmarks can sign in), then adds N synthetic audits (qa_app/demo/synthetic.py). A database
that already holds synthetic history is left alone unless --replace, which first deletes the
SQLite file or drops and recreates the PostgreSQL schema. On PostgreSQL the tables are then
vacuumed and analysed (as autovacuum would do soon after a bulk load), so the benchmarks that
follow are planned with statistics. Progress goes to stderr; counts, elapsed time, rows per
second and the database's size to stdout."""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{REPO / 'instance' / 'bench.sqlite'}"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many audits to generate")
    parser.add_argument("--database-url", help=f"default: QA_BENCH_DATABASE_URL or {DEFAULT_URL}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--chunk", type=int, default=2000, help="audits per batch of INSERTs")
    parser.add_argument("--replace", action="store_true", help="start from an empty database")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    shown = make_url(url).render_as_string(hide_password=True)
    if args.replace:
        wipe(url)
    if url.startswith("sqlite:///"):
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    from qa_app.demo.synthetic import generate, has_history

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

        counts = generate(
            args.n, seed=args.seed, months=args.months, chunk=args.chunk, progress=progress
        )
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    rows = sum(counts[name] for name in ROW_TABLES)
    for name, value in counts.items():
        print(f"{name:<22} {value:>12,}")
    print(f"{'rows written':<22} {rows:>12,}")
    print(
        f"elapsed {elapsed:.1f} s: {args.n / elapsed:,.0f} audits/s, {rows / elapsed:,.0f} rows/s"
    )
    if make_url(url).get_backend_name() == "postgresql":
        print(f"VACUUM (ANALYZE) {vacuum_analyze(url):.1f} s")
    print(database_size(url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
