"""`make bench`: timed scenarios against a throw-away database (SQLite by default, or
QA_BENCH_DATABASE_URL). Every loop is bounded in count. Prints one line per scenario."""

import multiprocessing
import os
import re
import statistics
import tempfile
import time
from datetime import date
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
    from qa_app.demo.seed import seed
    from qa_app.templates_engine.validate import validate_path

    with app.app_context():
        upgrade()
        library, problems = validate_path(REPO / "audit_templates")
        assert not problems
        store_library(library)
        seed(only_if_empty=True, history=False)
    return app


def signed_in_client(app, username: str):
    from qa_app.demo.seed import DEMO_PASSWORD

    client = app.test_client()
    token = CSRF.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    client.post(
        "/sign-in", data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD}
    )
    return client


def make_cycle(app, count: int) -> tuple[int, int]:
    """A cycle of `count` audits of the single assessment, spread over the demo teams and
    auditors; returns (cycle id, an audit of the demo auditor's)."""
    from qa_app.data.audits import create_audit
    from qa_app.data.cycles import active_templates, save_cycle
    from qa_app.data.organisation import list_teams
    from qa_app.data.users import find_by_username
    from qa_app.models import Case

    with app.app_context():
        templates = {t.key: t for t in active_templates()}
        cycle = save_cycle(
            name="Benchmark cycle",
            kind="monthly",
            description="",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            due_date=date(2026, 2, 14),
            templates=list(templates.values()),
            theme_focus=None,
            moderation_share=10,
            actor=None,
        )
        teams = [t for t in list_teams() if t.name != "Safeguarding North"]
        auditor = find_by_username("auditor")
        others = [find_by_username(u) for u in ("moderator", "senior.manager")]
        version = templates["single_assessment"].versions[-1]
        first = None
        for n in range(count):
            case = Case(case_reference=f"{70000000 + n}", team=teams[n % len(teams)], facts={})
            db.session.add(case)
            who = auditor if n % 3 == 0 else others[n % 2]
            audit = create_audit(case=case, template_version=version, cycle=cycle, auditor=who)
            first = first or (audit.id if who is auditor else None)
        db.session.commit()
        return cycle.id, first


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

        # The demo's scorecard (every starter indicator, 26 months, breakdowns) and the
        # scrutiny pack the demo publishes (report 1).
        for path in ("/indicators/", "/reports/scrutiny/1"):
            assert lead.get(path).status_code == 200, path
        report(
            "GET scorecard (26 indicators, breakdowns)", timed(lambda: lead.get("/indicators/"), 10)
        )
        report("GET scrutiny pack page", timed(lambda: lead.get("/reports/scrutiny/1"), 10))
        for name in ("pack.pdf", "pack.docx", "slides.pptx"):
            path = f"/reports/scrutiny/1/{name}"
            assert lead.get(path).status_code == 200, path
            report(f"GET scrutiny pack {name}", timed(lambda p=path: lead.get(p), 5))

        def draft_pack():
            from qa_app.data import users
            from qa_app.services import scrutiny_reports

            with app.app_context():
                today = date.today()
                month = scrutiny_reports.default_month(today)
                scrutiny_reports.draft(month, users.find_by_username("qa.lead"), today)

        report("draft a scrutiny pack (figures, text, stored)", timed(draft_pack, 5))

        cycle_id, audit_id = make_cycle(app, 500)
        page = lead.get(f"/cycles/{cycle_id}")
        assert page.status_code == 200 and page.get_data(as_text=True).count("70000") >= 500
        report("GET cycle page, 500 audits", timed(lambda: lead.get(f"/cycles/{cycle_id}"), 20))
        report(
            "GET cycle export XLSX, 500 audits",
            timed(lambda: lead.get(f"/cycles/{cycle_id}/export.xlsx"), 5),
        )
        auditor = signed_in_client(app, "auditor")
        section_url = f"/audits/{audit_id}/sections/timeliness"
        assert auditor.get(section_url).status_code == 200
        report("GET an audit section page", timed(lambda: auditor.get(section_url), 30))
        report("GET an audit task list", timed(lambda: auditor.get(f"/audits/{audit_id}"), 30))

        def save_section():
            html = auditor.get(section_url).get_data(as_text=True)
            version = re.search(r'name="lock_version" type="hidden" value="(\d+)"', html)[1]
            token = CSRF.search(html).group(1)
            response = auditor.post(
                section_url,
                data={
                    "csrf_token": token,
                    "lock_version": version,
                    "action": "later",
                    "q__completed_within_45_days": "yes",
                },
            )
            assert response.status_code == 302

        report("GET + POST save a section (draft)", timed(save_section, 20))

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
