"""`make bench`: timed scenarios against a throw-away database (SQLite by default, or
QA_BENCH_DATABASE_URL). Every loop is bounded in count. Prints one line per scenario."""

import multiprocessing
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import text  # noqa: E402

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(
        f"{name:<48} median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms"
        f"   n={len(samples)}"
    )


def setup(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    from flask_migrate import upgrade

    from qa_app.data.templates import store_library
    from qa_app.demo import seed
    from qa_app.templates_engine.validate import validate_path

    with app.app_context():
        upgrade()
        library, problems = validate_path(REPO / "audit_templates")
        assert not problems
        store_library(library)
        seed(only_if_empty=True)
    return app


def signed_in_client(app, username: str):
    from qa_app.demo import DEMO_PASSWORD

    client = app.test_client()
    token = CSRF.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    client.post(
        "/sign-in", data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD}
    )
    return client


def _writer(args):
    url, worker, count = args
    from qa_app.data import changelog

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    failures = 0
    with app.app_context():
        for i in range(count):
            try:
                db.session.execute(text("SELECT count(*) FROM change_log")).scalar()
                changelog.record(None, "bench", f"{worker}-{i}", "write")
                db.session.commit()
            except Exception:  # noqa: BLE001 - counted and reported
                db.session.rollback()
                failures += 1
        db.engine.dispose()
    return failures


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("QA_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
        print(f"database: {url.split('@')[-1]}")
        app = setup(url)
        lead = signed_in_client(app, "qa.lead")
        for key in ("single_assessment", "cp_plan_visits", "icpc_reports", "cin_plan"):
            url_ = f"/templates/{key}/versions/1"
            assert lead.get(url_).status_code == 200
            report(f"GET preview {key}", timed(lambda u=url_: lead.get(u), 20))
        report("GET /templates/ (list)", timed(lambda: lead.get("/templates/"), 50))
        admin = signed_in_client(app, "admin")
        report("GET /admin/users", timed(lambda: admin.get("/admin/users"), 50))
        report(
            "sign in (argon2 verify + new session)",
            timed(lambda: signed_in_client(app, "auditor"), 10),
        )

        from qa_app.data.templates import store_library
        from qa_app.templates_engine.validate import validate_path

        def reload():
            with app.app_context():
                library, _ = validate_path(REPO / "audit_templates")
                store_library(library)

        report("validate + load 4 unchanged templates", timed(reload, 10))

        workers, per_worker = 8, 40
        start = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            failures = sum(pool.map(_writer, [(url, w, per_worker) for w in range(workers)]))
        elapsed = time.perf_counter() - start
        total = workers * per_worker
        print(
            f"{workers} processes x {per_worker} read-then-write transactions: "
            f"{failures} of {total} failed, {elapsed:.1f} s wall (incl. process start)"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
