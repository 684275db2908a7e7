"""The fast benchmark generator (benchmarks/generate.py, `make bench-data`): what it writes is
a history like the demo's synthetic one, and the database it leaves has every index and
constraint the migrations made (it drops them for the load and makes them again). On SQLite in
a temporary file; on PostgreSQL, when QA_TEST_DATABASE_URL names a server, in a database of
its own created and dropped by the test."""

import os
import sqlite3
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from qa_app import create_app
from qa_app.extensions import db
from qa_app.rules.uk_time import uk_today


def _run(url: str, n: int, capsys) -> str:
    from benchmarks.generate import main

    assert (
        main([str(n), "--database-url", url, "--months", "4", "--pool", "3", "--chunk", "70"]) == 0
    )
    return capsys.readouterr().out


def _check_history(url: str, n: int, out: str) -> None:
    from qa_app.findings import Filters, compute_findings
    from qa_app.models import Answer, Audit, Case, SectionGrade, ThemeMark

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        synthetic = Case.case_reference >= "90000000"  # the demo's own audits are 3001xxxx
        audits = db.session.scalars(select(Audit).join(Case).where(synthetic)).all()
        assert len(audits) == n
        statuses = {a.status for a in audits}
        assert statuses <= {"submitted", "moderated", "in_progress"} and "submitted" in statuses
        for name, model in (("answers", Answer), ("theme_marks", ThemeMark)):
            count = db.session.scalar(
                select(func.count()).select_from(model).join(Audit).join(Case).where(synthetic)
            )
            assert f"{count:,}" in next(line for line in out.splitlines() if line.startswith(name))
        done = [a for a in audits if a.status != "in_progress"]
        assert all(a.submitted_at is not None for a in done)
        with_marks = set(db.session.scalars(select(ThemeMark.audit_id).distinct()))
        with_grades = set(db.session.scalars(select(SectionGrade.audit_id).distinct()))
        assert {a.id for a in done} <= with_marks & with_grades
        latest = db.session.scalar(select(func.max(Answer.value_date)))
        assert latest is None or latest <= uk_today()  # no date answered in the future
        end = uk_today()
        figures = compute_findings(Filters(date_from=end - timedelta(days=365), date_to=end))
        assert figures["totals"]["completed"] >= len(done)
        db.session.remove()
        db.engine.dispose()


def test_the_fast_generator_writes_a_history_and_leaves_every_index(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    out = _run(url, 150, capsys)
    _check_history(url, 150, out)
    fresh = tmp_path / "fresh.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{fresh}"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()

    def schema(path):
        with sqlite3.connect(path) as conn:
            return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))

    assert schema(tmp_path / "bench.sqlite") == schema(fresh)


@pytest.mark.skipif(
    not os.environ.get("QA_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="QA_TEST_DATABASE_URL names no PostgreSQL server",
)
def test_the_fast_generator_on_postgresql_copies_and_restores_the_schema(capsys):
    server = make_url(
        os.environ["QA_TEST_DATABASE_URL"].replace("postgresql:", "postgresql+psycopg:", 1)
    )
    names = [f"qa_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace UNION ALL "
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
    )
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        bench = server.set(database=names[0]).render_as_string(hide_password=False)
        out = _run(bench, 120, capsys)
        _check_history(bench, 120, out)
        fresh = server.set(database=names[1]).render_as_string(hide_password=False)
        app = create_app({"SQLALCHEMY_DATABASE_URI": fresh})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()
        schemas = []
        for url in (bench, fresh):
            engine = create_engine(url)
            with engine.connect() as conn:
                schemas.append(conn.execute(query).scalars().all())
            engine.dispose()
        assert schemas[0] == schemas[1]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
