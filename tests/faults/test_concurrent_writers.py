"""Eight OS processes starting and saving audits at the same moment through the data layer,
against one database: on SQLite (WAL, write transactions that BEGIN IMMEDIATE, as
qa_app/factory.py configures) they queue for the single writer's lock instead of failing with
"database is locked", and every write they were told had committed is stored. On PostgreSQL
(when the suite runs there) the same holds and costs no more, so it runs there too. The same
worker, at a larger size, is `python -m benchmarks.writers` in `make bench`."""

from sqlalchemy import func, select

from benchmarks.writers import LOCKED, SAVES_PER_AUDIT, run_writers, stored_problems
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, Role
from tests.audits.factory import latest_version

PROCESSES = 8
WRITES = 25  # per process: starting an audit is one write, each section save another


def test_eight_processes_writing_audits_at_once_lose_nothing_and_never_hit_a_locked_database(
    database_url, make_user, loaded_templates
):
    version_id = latest_version("cin_plan").id
    actor_id = make_user(Role.AUDITOR, username="eight.writers").id
    db.session.commit()  # everything the writers read is stored; the test holds no lock

    results = run_writers(database_url, PROCESSES, WRITES, version_id, actor_id, timeout=50)

    assert [r["locked"] for r in results] == [0] * PROCESSES, f'"{LOCKED}" errors'
    assert [e for r in results for e in r["errors"]] == []
    assert [r["written"] for r in results] == [WRITES] * PROCESSES
    assert stored_problems(results) == []
    starts = -(-WRITES // (SAVES_PER_AUDIT + 1))  # one start, then up to four saves, per audit
    assert db.session.scalar(select(func.count()).select_from(Audit)) == PROCESSES * starts
    saved = db.session.scalar(
        select(func.count()).where(
            ChangeLogEntry.entity_type == "audit", ChangeLogEntry.action == "section_saved"
        )
    )
    assert saved == PROCESSES * (WRITES - starts)
