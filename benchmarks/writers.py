"""Several OS processes writing audits at once through the data layer (qa_app.data.audits):
on SQLite this is the single-writer case that WAL and BEGIN IMMEDIATE (qa_app/factory.py) must
queue rather than fail with "database is locked".

    python -m benchmarks.writers [--processes 8] [--writes 200] [--database-url URL]

Each process starts an audit (a new case, one transaction), then saves one section of it
several times (one transaction each, read then write, from the stored version), and starts
the next. Every loop is bounded in count. Uses a throw-away SQLite database unless
--database-url or QA_BENCH_DATABASE_URL names another (which it migrates, and to which it adds
its audits and a "bench.writer" account). Prints writes per second and the errors; exits 1 if
any write failed or is missing from the database.

`write_audits` is the worker the test tests/faults/test_concurrent_writers.py runs too."""

import argparse
import multiprocessing
import os
import queue as queue_module
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import func, make_url, select  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = "cin_plan"
SECTION = "impact_and_summary"  # four free-text questions, no repeat groups
SAVES_PER_AUDIT = 4  # so one audit in five writes is a start, four are section saves
LOCKED = "database is locked"


def text_questions(content: dict, section_key: str = SECTION) -> list[str]:
    section = next(s for s in content["template"]["sections"] if s["key"] == section_key)
    keys = [q["key"] for q in section["questions"] if q["type"] == "text"]
    assert keys, f"section {section_key} has no text questions"
    return keys


def answers_for(questions: list[str], label: str) -> dict[str, str]:
    """The raw form values of one save: every question gets a value naming the save."""
    return {f"q__{key}": f"{label}: {key}" for key in questions}


def data_layer_app(url: str):
    """The app with its database wired exactly as create_app wires it (register_extensions:
    on SQLite WAL, a busy timeout and BEGIN IMMEDIATE) but without its pages: what a CLI
    command or a job writes through. Importing every blueprint costs each process seconds."""
    from flask import Flask

    from qa_app import configure
    from qa_app.factory import register_extensions

    app = Flask("qa_app", instance_relative_config=True)
    configure(app, {"SQLALCHEMY_DATABASE_URI": url})
    register_extensions(app)
    return app


def write_audits(
    url: str, worker: int, writes: int, template_version_id: int, actor_id: int, barrier=None
) -> dict:
    """`writes` write transactions from one process. Returns what it stored:
    {"worker", "locked" (count of "database is locked"), "errors" (other failures, as text),
    "written" (transactions committed), "latencies_ms", "started", "finished" (monotonic),
    "audits": {audit id: {"version": expected lock_version, "label": last save's label,
    "saves": section saves committed}}}."""
    from qa_app.data.audits import create_audit, save_section
    from qa_app.extensions import db
    from qa_app.models import Audit, Case, TemplateVersion, User

    app = data_layer_app(url)
    result = {"worker": worker, "locked": 0, "errors": [], "written": 0, "latencies_ms": []}
    audits: dict[int, dict] = {}
    with app.app_context():
        version = db.session.get(TemplateVersion, template_version_id)
        questions = text_questions(version.content)
        actor = db.session.get(User, actor_id)
        db.session.commit()  # hold no transaction while the others start
        if barrier is not None:
            barrier.wait(timeout=120)
        result["started"] = time.monotonic()
        audit_id, saves = None, SAVES_PER_AUDIT
        for i in range(writes):
            began = time.perf_counter()
            try:
                if saves >= SAVES_PER_AUDIT:
                    case = Case(case_reference=f"W{worker:02d}-{i:06d}", worker="Bench worker")
                    db.session.add(case)
                    audit = create_audit(
                        case=case, template_version=version, auditor=actor, actor=actor
                    )
                    db.session.commit()
                    audit_id, saves = audit.id, 0
                    audits[audit_id] = {"version": audit.lock_version, "label": None, "saves": 0}
                else:
                    audit = db.session.get(Audit, audit_id)
                    label = f"Worker {worker} write {i}"
                    new_version = save_section(
                        audit,
                        SECTION,
                        answers_for(questions, label),
                        based_on=audit.lock_version,
                        actor=actor,
                    )
                    saves += 1
                    audits[audit_id].update(
                        version=new_version, label=label, saves=audits[audit_id]["saves"] + 1
                    )
                result["written"] += 1
            except OperationalError as error:
                db.session.rollback()
                if LOCKED in str(error):
                    result["locked"] += 1
                else:
                    result["errors"].append(f"write {i}: {error}")
            except Exception as error:  # noqa: BLE001 - reported: the caller counts them
                db.session.rollback()
                result["errors"].append(f"write {i}: {error!r}")
            result["latencies_ms"].append((time.perf_counter() - began) * 1000)
        result["finished"] = time.monotonic()
        db.session.remove()
        db.engine.dispose()
    result["audits"] = audits
    return result


def _write_and_report(queue, *args) -> None:
    try:
        queue.put(write_audits(*args))
    except Exception as error:  # noqa: BLE001 - a process that fails says why
        queue.put({"worker": args[1], "failed": repr(error)})


def run_writers(
    url: str, processes: int, writes: int, template_version_id: int, actor_id: int, timeout: float
) -> list[dict]:
    """Start `processes` spawned processes together (a barrier) and collect their results.
    Raises RuntimeError if a process fails or has not finished within `timeout` seconds
    (it is then terminated)."""
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(processes), ctx.Queue()
    workers = [
        ctx.Process(
            target=_write_and_report,
            args=(queue, url, w, writes, template_version_id, actor_id, barrier),
        )
        for w in range(processes)
    ]
    for process in workers:
        process.start()
    deadline = time.monotonic() + timeout
    results = []
    try:
        while len(results) < processes and time.monotonic() < deadline:
            try:
                results.append(queue.get(timeout=0.5))
            except queue_module.Empty:
                if not any(p.is_alive() for p in workers) and queue.empty():
                    break  # a process died without reporting
        if len(results) < processes:
            exits = [p.exitcode for p in workers]
            raise RuntimeError(
                f"{processes - len(results)} of {processes} writers did not report "
                f"within {timeout:.0f} s (exit codes {exits})"
            )
    finally:
        for process in workers:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
        queue.close()
    failed = [r for r in results if "failed" in r]
    if failed:
        raise RuntimeError(f"writers failed: {failed}")
    return sorted(results, key=lambda r: r["worker"])


def stored_problems(results: list[dict]) -> list[str]:
    """What the database holds that differs from what the writers say they committed
    (call inside an app context on the same database)."""
    from qa_app.extensions import db
    from qa_app.models import Answer, Audit, ChangeLogEntry

    problems = []
    for result in results:
        for audit_id, expected in result["audits"].items():
            audit = db.session.get(Audit, audit_id)
            if audit is None:
                problems.append(f"audit {audit_id} of worker {result['worker']} is missing")
                continue
            if audit.lock_version != expected["version"]:
                problems.append(
                    f"audit {audit_id}: version {audit.lock_version}, not {expected['version']}"
                )
            saved = db.session.scalar(
                select(func.count()).where(
                    ChangeLogEntry.entity_type == "audit",
                    ChangeLogEntry.entity_id == str(audit_id),
                    ChangeLogEntry.action == "section_saved",
                )
            )
            if saved != expected["saves"]:
                problems.append(f"audit {audit_id}: {saved} saves logged, not {expected['saves']}")
            texts = set(
                db.session.scalars(select(Answer.value_text).where(Answer.audit_id == audit_id))
            )
            if expected["label"] is not None and any(
                not t.startswith(expected["label"] + ":") for t in texts
            ):
                problems.append(f"audit {audit_id}: answers {sorted(texts)} are not its last save")
    db.session.rollback()
    return problems


def prepare(url: str) -> tuple[int, int]:
    """Migrate, load the audit templates and add the writers' account; returns
    (template version id, user id)."""
    from flask_migrate import upgrade

    from qa_app import create_app
    from qa_app.data.templates import store_library
    from qa_app.data.users import create_user
    from qa_app.extensions import db
    from qa_app.models import AuditTemplate, Role, TemplateVersion, User
    from qa_app.templates_engine.validate import validate_path

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        library, problems = validate_path(REPO / "audit_templates")
        if problems:
            raise SystemExit(f"the audit templates have problems: {problems}")
        store_library(library)
        user = db.session.scalar(select(User).where(User.username == "bench.writer"))
        if user is None:
            password = os.urandom(16).hex()
            user = create_user("bench.writer", "Bench writer", password, [Role.AUDITOR])
        version = db.session.scalars(
            select(TemplateVersion)
            .join(AuditTemplate)
            .where(AuditTemplate.key == TEMPLATE)
            .order_by(TemplateVersion.number.desc())
        ).first()
        ids = version.id, user.id
        db.session.commit()
        db.engine.dispose()
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--writes", type=int, default=200, help="write transactions per process")
    parser.add_argument("--database-url", help="default: QA_BENCH_DATABASE_URL or a temp SQLite")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = (
            args.database_url
            or os.environ.get("QA_BENCH_DATABASE_URL")
            or f"sqlite:///{tmp}/writers.sqlite"
        )
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        print(f"database: {make_url(url).render_as_string(hide_password=True)}")
        version_id, user_id = prepare(url)
        results = run_writers(url, args.processes, args.writes, version_id, user_id, args.timeout)
        elapsed = max(r["finished"] for r in results) - min(r["started"] for r in results)
        written = sum(r["written"] for r in results)
        locked = sum(r["locked"] for r in results)
        errors = [e for r in results for e in r["errors"]]
        latencies = sorted(ms for r in results for ms in r["latencies_ms"])
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]

        from qa_app import create_app
        from qa_app.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            problems = stored_problems(results)
            db.engine.dispose()
    total = args.processes * args.writes
    print(
        f"{args.processes} processes x {args.writes} audit writes: {written} of {total} stored, "
        f"{written / elapsed:,.0f} writes/s, median {statistics.median(latencies):.1f} ms, "
        f"p95 {p95:.1f} ms per write"
    )
    print(f'errors: {locked} "{LOCKED}", {len(errors)} other, {len(problems)} not as written')
    for line in (errors + problems)[:10]:
        print(f"  {line}")
    return 1 if locked or errors or problems or written != total else 0


if __name__ == "__main__":
    sys.exit(main())
