"""Lists and search at scale: `python -m benchmarks.lists [--database-url URL]` (run by
`make bench` when a database made by `make bench-data` exists).

Works on a COPY of the database (an SQLite file is copied to a temporary folder; the original is
never written), brings it to the newest schema (flask_migrate.upgrade, so the lists' indexes are
there), then times every list page (its first page, a sorted page, a filtered page, a deep page)
and the search (an exact case reference, a prefix, a practitioner, an auditor, a team, a miss)
through the test client, signed in as the QA lead and as an auditor with a full caseload.
Prints the median and p95 of REPEAT runs and the SQL statements each page ran.
Target: every page under 300 ms at 100,000 audits."""

import argparse
import os
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import String, cast, event, func, or_, select, update  # noqa: E402

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPEAT = 7
TARGET_MS = 300
DEFAULT_URL = "sqlite:///instance/bench.sqlite"
BENCH_AUDITOR = "synthetic.auditor01"  # ~2,500 audits at 100,000: a full caseload


def _sqlite_path(url: str) -> str | None:
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None


def _sign_in(app, username: str, password: str):
    import re

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no sign-in form"
    response = client.post(
        "/sign-in",
        data={"csrf_token": token.group(1), "username": username, "password": password},
    )
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def _prepare(app) -> tuple[str, dict]:
    """A throw-away password for the QA lead and the bench auditor (on the copy), and the
    values the scenarios search and filter for."""
    from flask_migrate import upgrade

    from qa_app.data.users import hash_password
    from qa_app.models import Audit, AuditCycle, Case, Team, User

    password = secrets.token_urlsafe(16)
    with app.app_context():
        upgrade()
        db.session.execute(
            update(User)
            .where(User.username.in_(["qa.lead", BENCH_AUDITOR]))
            .values(password_hash=hash_password(password), active=True)
        )
        # The synthetic history names no practitioners: give every case one of 600 made-up
        # ones on the copy, so the practitioner search reads a full column.
        db.session.execute(
            update(Case)
            .where(or_(Case.worker.is_(None), Case.worker == ""))
            .values(worker="Practitioner " + cast(Case.id % 600, String))
        )
        db.session.commit()
        biggest = db.session.execute(
            select(Audit.cycle_id, func.count())
            .where(Audit.cycle_id.is_not(None))
            .group_by(Audit.cycle_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        reference = db.session.scalar(
            select(Case.case_reference).join(Audit, Audit.case_id == Case.id).limit(1)
        )
        values = {
            "cycle": biggest[0] if biggest else None,
            "cycle_size": biggest[1] if biggest else 0,
            "reference": reference or "0",
            "team": db.session.scalar(select(Team.name).order_by(Team.id).limit(1)) or "team",
            "team_id": db.session.scalar(select(Team.id).order_by(Team.id).limit(1)) or 0,
            "worker": db.session.scalar(select(Case.worker).where(Case.worker != "").limit(1))
            or "Smith",
            "auditor_id": db.session.scalar(
                select(User.id).where(User.username == BENCH_AUDITOR)
            ),
            "cycle_name": db.session.scalar(
                select(AuditCycle.name).where(AuditCycle.id == (biggest[0] if biggest else 0))
            ),
        }
    return password, values


def _scenarios(v: dict) -> dict[str, list[tuple[str, str]]]:
    cycle = f"/cycles/{v['cycle']}"
    deep = max(1, v["cycle_size"] // 50)
    search = "/search/?q="
    shared = [
        ("search: exact reference", search + v["reference"]),
        ("search: reference prefix", search + v["reference"][:4]),
        ("search: practitioner", search + v["worker"]),
        ("search: auditor", search + "synthetic auditor 07"),
        ("search: team", search + v["team"]),
        ("search: a miss", search + "zz-no-such-thing"),
        ("search: all audits of a team, page 3", search + v["team"] + "&kind=audits&page=3"),
        ("my audits: first page", "/audits/mine"),
        ("my audits: sorted by case, descending", "/audits/mine?sort=case&direction=desc"),
        ("my audits: filtered (submitted)", "/audits/mine?status=submitted"),
        ("my audits: deep page (last)", "/audits/mine?page=1000"),
    ]
    return {
        "qa.lead": [
            ("cycle audits: first page", cycle),
            ("cycle audits: sorted by auditor", cycle + "?sort=auditor&direction=desc"),
            ("cycle audits: filtered (team, overdue)", f"{cycle}?team={v['team_id']}&overdue=yes"),
            (f"cycle audits: deep page ({deep})", f"{cycle}?page={deep}"),
            ("assign auditors (the cycle's audits)", cycle + "/assign"),
            ("auditors and their open audits", "/cycles/auditors"),
            ("one auditor's open audits", f"/cycles/auditors/{v['auditor_id']}"),
            ("concerns: first page", "/concerns/"),
            ("actions: all", "/improvement/actions?view=all"),
            ("reports", "/reports/"),
            *shared,
        ],
        BENCH_AUDITOR: shared,
    }


def _time(client, engine, url: str) -> tuple[list[float], int, int]:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    client.get(url)  # warm: templates compiled, pages cached by SQLite
    samples = []
    for _ in range(REPEAT):
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        event.remove(engine, "before_cursor_execute", listener)
    return samples, len(statements), response.status_code


def run(url: str) -> bool:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    password, values = _prepare(app)
    print(
        f"lists: {values['cycle_size']:,} audits in the biggest cycle ({values['cycle_name']}); "
        f"target {TARGET_MS} ms"
    )
    ok = True
    with app.app_context():
        engine = db.engine  # each request has its own app context and session
    for username, scenarios in _scenarios(values).items():
        client = _sign_in(app, username, password)
        for name, path in scenarios:
            samples, queries, status = _time(client, engine, path)
            samples.sort()
            median = statistics.median(samples)
            p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
            missed = p95 > TARGET_MS or status != 200
            ok &= not missed
            print(
                f"{username:<20} {name:<42} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
                f"{queries:3d} queries  {status}{'  MISSED' if missed else ''}"
            )
    print("lists: every page under the target" if ok else "lists: some pages missed the target")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("QA_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    args = parser.parse_args()
    source = _sqlite_path(args.database_url)
    if source is not None and not os.path.exists(source):
        print(f"lists: no database at {args.database_url}; run `make bench-data N=100000` first")
        return
    if source is None:
        print("lists: only an SQLite bench database is copied; run it on a throw-away copy")
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "lists-bench.sqlite"
        shutil.copyfile(source, copy)
        run(f"sqlite:///{copy}")


if __name__ == "__main__":
    main()
