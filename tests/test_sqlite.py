"""On SQLite: WAL mode, foreign keys, and writers that queue instead of failing."""

import multiprocessing
import sqlite3

import pytest
from sqlalchemy import text

from qa_app.extensions import db


def _sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-specific (the suite is running on PostgreSQL)")


def test_wal_mode_and_foreign_keys_are_on():
    _sqlite_only()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_write_transactions_begin_immediately():
    _sqlite_only()
    statements = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert statements[0] == "BEGIN IMMEDIATE"


def _writer(args):
    url, worker = args
    from qa_app import create_app
    from qa_app.data import changelog

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    failures = 0
    with app.app_context():
        for i in range(15):
            try:
                db.session.execute(text("SELECT count(*) FROM change_log")).scalar()
                changelog.record(None, "bench", f"{worker}-{i}", "write")
                db.session.commit()
            except Exception:  # noqa: BLE001 - counted: the assertion reports them
                db.session.rollback()
                failures += 1
        db.engine.dispose()
    return failures


def test_concurrent_writers_do_not_fail_with_database_is_locked(database_url):
    _sqlite_only()
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        failures = pool.map(_writer, [(database_url, w) for w in range(6)])
    assert sum(failures) == 0
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == 6 * 15
