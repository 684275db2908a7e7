"""Findings at scale: `python -m benchmarks.findings [--database-url URL]` (run by `make bench`
when a database made by `make bench-data` exists).

Prints, side by side, for a full year of audits:
- the floor: ONE indexed GROUP BY counting the same answers (question and value) of the same
  audits, the least work that touches every answer once;
- the findings: `compute_findings` for the year (every figure, with the previous-year
  comparison the dashboards show), and its ratio to the floor;
- the same for one month (about a twelfth of the audits), to show the cost grows no faster
  than the data;
- peak memory of the findings (Python allocations, and the process's peak resident size);
- the cycle report PDF: drafting its figures and text, and rendering the PDF from them.
Every loop is bounded: REPEAT runs of each."""

import argparse
import os
import resource
import statistics
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import func, select  # noqa: E402

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPEAT = 3
DEFAULT_URL = "sqlite:///instance/bench.sqlite"
SMALL_URL = "sqlite:///instance/bench-small.sqlite"


def best(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def floor_query(date_from: date, date_to: date):
    from qa_app.models import Answer, Audit

    start = datetime.combine(date_from, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return (
        select(Answer.question_key, Answer.value_text, func.count())
        .join(Audit, Audit.id == Answer.audit_id)
        .where(
            Audit.status.in_(("submitted", "moderated")),
            Audit.submitted_at >= start,
            Audit.submitted_at < end,
        )
        .group_by(Answer.question_key, Answer.value_text)
    )


def measure(label: str, f, counts: dict) -> None:
    from qa_app.findings import compute_findings

    rows = db.session.execute(floor_query(f.date_from, f.date_to)).all()
    floor_best, floor_median = best(
        lambda: db.session.execute(floor_query(f.date_from, f.date_to)).all()
    )
    findings_best, findings_median = best(lambda: compute_findings(f))
    figures = compute_findings(f)
    completed = figures["totals"]["completed"]
    answers = sum(r[2] for r in rows)
    counts[label] = (completed, findings_best)
    print(
        f"{label:<7} {completed:>7,} audits {answers:>10,} answers | floor (one GROUP BY) "
        f"{floor_best * 1000:8.0f} ms | findings {findings_best * 1000:8.0f} ms "
        f"(median {findings_median * 1000:.0f}) | ratio {findings_best / floor_best:5.2f}x"
    )


def memory(f) -> None:
    from qa_app.findings import compute_findings

    tracemalloc.start()
    compute_findings(f)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory  findings peak Python allocations {peak / 2**20:6.1f} MB | "
        f"process peak resident size {rss:6.0f} MB (app, pandas and all)"
    )


def last_month():
    """The newest cycle whose period ended before the last audit was submitted (last month's,
    not the current one still filling up), the one with the most audits if several end then
    (the demo accounts come with a small demo cycle of their own)."""
    from qa_app.models import Audit, AuditCycle

    last = select(func.max(Audit.submitted_at)).scalar_subquery()
    return (
        select(AuditCycle)
        .join(Audit, Audit.cycle_id == AuditCycle.id)
        .where(AuditCycle.period_end < func.date(last))
        .group_by(AuditCycle.id)
        .order_by(AuditCycle.period_end.desc(), func.count().desc())
        .limit(1)
    )


def pdf(cycle_name: str | None) -> None:
    from qa_app.findings import Filters
    from qa_app.models import AuditCycle, Report, ReportStatus
    from qa_app.services import report_drafting
    from qa_app.services.report_documents import pdf_bytes

    cycle = db.session.scalar(
        select(AuditCycle).where(AuditCycle.name == cycle_name) if cycle_name else last_month()
    )
    if cycle is None:
        print("pdf     no cycle to report on")
        return
    filters = report_drafting.report_filters(cycle, Filters())
    content = {}

    def draft():
        content.update(report_drafting.build_content(filters, "internal", cycle=cycle))

    draft_best, _ = best(draft)
    report = Report(
        title=f"Audit cycle report: {cycle.name}",
        audience="internal",
        status=ReportStatus.DRAFT,
        number=1,
        **content,
    )
    size = {}

    def render():
        size["bytes"] = len(pdf_bytes(report, status="Benchmark"))

    render_best, _ = best(render)
    print(
        f"pdf     cycle '{cycle.name}' ({content['figures']['totals']['completed']:,} audits): "
        f"draft figures and text {draft_best * 1000:.0f} ms + render PDF "
        f"{render_best * 1000:.0f} ms = {(draft_best + render_best) * 1000:.0f} ms, "
        f"{size['bytes'] / 1024:.0f} KB"
    )


def _url(url: str) -> str:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        return "sqlite:///" + os.path.abspath(url.removeprefix("sqlite:///"))
    return url


def year_of(app):
    """(audits in the database, the last full year of audits as Filters) or None if empty."""
    from qa_app.findings import Filters
    from qa_app.models import Audit

    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Audit))
        last = db.session.scalar(select(func.max(Audit.submitted_at)))
    if not total or last is None:
        return None
    end = last.date()
    return total, Filters(date_from=end - timedelta(days=364), date_to=end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("QA_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument(
        "--small-database-url",
        default=os.environ.get("QA_BENCH_SMALL_DATABASE_URL", SMALL_URL),
        help="a database with a tenth of the audits",
    )
    parser.add_argument("--cycle", default=None, help="cycle for the PDF (default: last month's)")
    args = parser.parse_args()
    results: dict = {}
    for label, url in (("small", args.small_database_url), ("large", args.database_url)):
        if url.startswith("sqlite:") and not os.path.exists(_url(url).removeprefix("sqlite:///")):
            print(f"findings: no database at {url}; run `make bench-data N=100000` first")
            continue
        app = create_app({"SQLALCHEMY_DATABASE_URI": _url(url)})
        found = year_of(app)
        if found is None:
            print(f"findings: no audits in {url}; run `make bench-data N=100000` first")
            continue
        total, year = found
        with app.app_context():
            print(f"{label} database ({db.engine.dialect.name}): {total:,} audits")
            measure(f"{label}", year, results)
            if label == "large":
                month = year.with_period(year.date_to - timedelta(days=29), year.date_to)
                measure("month", month, results)
                memory(year)
                pdf(args.cycle)
    if "small" in results and "large" in results:
        (n_small, t_small), (n_large, t_large) = results["small"], results["large"]
        print(
            f"scale   {n_large / n_small:.1f}x the audits in a year took "
            f"{t_large / t_small:.1f}x the time (target: at most the growth in audits)"
        )


if __name__ == "__main__":
    main()
