"""Findings at scale (issue 20): `python -m benchmarks.findings [--database LABEL=URL ...]`
(run by `make bench`). For each database `make bench-data` made (default: SQLite 100k at
instance/bench.sqlite, PostgreSQL 100k at .../bench100k, PostgreSQL 1M at .../bench1m; one
that is absent is skipped with a hint), times `compute_findings` (every figure, with the
previous-period comparison the dashboards show) for: the last year of audits, its last
quarter, its last month, one team, one template, one locality and one auditor (each over the
year), and one cycle (last month's). Each row: the MEDIAN of up to 5 runs after one warm-up,
and the PEAK MEMORY of that scenario: Python allocations traced by tracemalloc during one
more run after the timed ones (numpy and pandas report theirs to it), which the 200 MB
target is read against, and, beside it, how far the process's peak resident size
(getrusage maxrss) rose, only meaningful when a scenario needs more than any before it.
Targets: 300 ms at 100,000 audits, 1 s at 1,000,000, 200 MB; PASS or MISS per row. Also,
beside the findings, the floor: ONE indexed GROUP BY counting the year's answers.

Then, on the 100k databases: the cycle report and the board report (drafting the figures and
text, and rendering the PDF; target 1 s) and the write path (benchmarks.write_path: an audit
section's save and a submit, median of 20, on a copy of the database).

Every loop is bounded: a warm-up over LIMIT seconds skips the row ("over 60 s"), and the
repeats of a row stop once they have taken BUDGET seconds."""

import argparse
import os
import resource
import statistics
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import create_engine, func, make_url, select, text  # noqa: E402

from benchmarks.generate import database_url  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPEAT, LIMIT, BUDGET = 5, 60.0, 120.0
MEMORY_TARGET_MB = 200
DEFAULT_DATABASES = (
    ("SQLite 100k", "sqlite:///instance/bench.sqlite"),
    ("PostgreSQL 100k", "postgresql://postgres@127.0.0.1:5432/bench100k"),
    ("PostgreSQL 1M", "postgresql://postgres@127.0.0.1:5432/bench1m"),
)
LARGE = 500_000  # a database of at least this many audits is held to the 1 s target


def absolute(url: str) -> str:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        return "sqlite:///" + os.path.abspath(url.removeprefix("sqlite:///"))
    return database_url(url)


def present(url: str) -> str | None:
    """Why the database cannot be benchmarked (absent, unreachable, empty), or None."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not os.path.exists(parsed.database or ""):
            return "no file"
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM audits LIMIT 1"))
    except Exception as error:  # noqa: BLE001 - reported as the reason to skip
        return str(error).splitlines()[0][:80]
    finally:
        engine.dispose()
    return None


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_row(fn) -> dict:
    """A warm-up, up to REPEAT timed runs (their median), then one run under tracemalloc
    (its peak: tracing slows a run, so it is never one of the timed ones)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    warm = timed(fn)
    if warm > LIMIT:
        return {"over": True, "warm": warm, "peak": float("nan"), "rss": float("nan")}
    times: list[float] = []
    while len(times) < REPEAT and sum(times) < BUDGET:
        times.append(timed(fn))
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "over": False,
        "median": statistics.median(times),
        "n": len(times),
        "peak": peak / 2**20,
        "rss": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
    }


def floor_query(f):
    """The least work touching each of the period's answers once: one GROUP BY."""
    from qa_app.models import Answer, Audit

    start = datetime.combine(f.date_from, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(f.date_to + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
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


def last_month_cycle():
    """The newest cycle whose period ended before the last audit was submitted (last month's,
    not the current one still filling up), the one with the most audits if several end then."""
    from qa_app.models import Audit, AuditCycle

    last = select(func.max(Audit.submitted_at)).scalar_subquery()
    return db.session.scalar(
        select(AuditCycle)
        .join(Audit, Audit.cycle_id == AuditCycle.id)
        .where(AuditCycle.period_end < func.date(last))
        .group_by(AuditCycle.id)
        .order_by(AuditCycle.period_end.desc(), func.count().desc())
        .limit(1)
    )


def most_used(column, year) -> int | None:
    """The value of an audits' column (or the case's team's) with the most audits in the year."""
    from qa_app.models import Audit

    start = datetime.combine(year.date_from, datetime.min.time(), tzinfo=UTC)
    return db.session.scalar(
        select(column)
        .select_from(Audit)
        .where(Audit.submitted_at >= start)
        .group_by(column)
        .order_by(func.count().desc())
        .limit(1)
    )


def scenarios(year):
    """(label, Filters) for every row."""
    from qa_app.models import Audit, Case, Team, TemplateVersion
    from qa_app.models.templates import AuditTemplate

    quarter = year.with_period(year.date_to - timedelta(days=90), year.date_to)
    month = year.with_period(year.date_to - timedelta(days=29), year.date_to)
    team_of = select(Case.team_id).where(Case.id == Audit.case_id).scalar_subquery()
    team = db.session.get(Team, most_used(team_of, year))
    template_of = (
        select(AuditTemplate.key)
        .join(TemplateVersion, TemplateVersion.template_id == AuditTemplate.id)
        .where(TemplateVersion.id == Audit.template_version_id)
        .scalar_subquery()
    )
    template = most_used(template_of, year)
    auditor = most_used(Audit.auditor_id, year)
    cycle = last_month_cycle()
    rows = [
        ("last year", year),
        ("a quarter", quarter),
        ("a month", month),
        (f"one team (year): {team.name}", replace(year, team_id=team.id)),
        (f"one template (year): {template}", replace(year, template=template)),
        (f"one locality (year): {team.locality.name}", replace(year, locality_id=team.locality_id)),
        ("one auditor (year)", replace(year, auditor_id=auditor)),
    ]
    if cycle is not None:
        rows.append((f"one cycle: {cycle.name}", type(year)(cycle_id=cycle.id)))
    return rows, cycle


def year_filters():
    """The last full year of audits (365 days up to the last submission) as Filters."""
    from qa_app.findings import Filters
    from qa_app.models import Audit

    total = db.session.scalar(select(func.count()).select_from(Audit))
    last = db.session.scalar(select(func.max(Audit.submitted_at)))
    if not total or last is None:
        return None
    end = last.date()
    return total, Filters(date_from=end - timedelta(days=364), date_to=end)


def verdict(seconds: float | None, peak: float, target: float) -> str:
    if seconds is None:
        return "MISS"
    return "PASS" if seconds <= target and peak <= MEMORY_TARGET_MB else "MISS"


def line(label: str, audits: str, result: dict, target: float) -> str:
    if result["over"]:
        took, n = f"over {LIMIT:.0f} s", "-"
        seconds = None
    else:
        seconds = result["median"]
        took, n = f"{seconds * 1000:,.0f} ms", str(result["n"])
    peak, rss = ("-", "-") if result["over"] else (f"{result['peak']:.1f}", f"{result['rss']:.0f}")
    return (
        f"  {label:<44} {audits:>9} {took:>12} {n:>3} {peak:>8} {rss:>8} "
        f"{target * 1000:>7,.0f} ms {verdict(seconds, result['peak'], target)}"
    )


HEADER = (
    f"  {'scenario':<44} {'audits':>9} {'median':>12} {'n':>3} {'peak MB':>8} "
    f"{'RSS+ MB':>8} {'target':>10} verdict"
)


def findings_table(label: str, url: str) -> tuple[int, object] | None:
    from qa_app.findings import compute_findings

    found = year_filters()
    if found is None:
        print(f"{label}: no audits; run `make bench-data N=100000` first")
        return None
    total, year = found
    target = 1.0 if total >= LARGE else 0.3
    print(f"\n{label} ({db.engine.dialect.name}, {total:,} audits)")
    print(HEADER)
    rows, cycle = scenarios(year)
    for name, f in rows:
        figures: dict = {}

        def once(f=f, figures=figures):
            figures["r"] = compute_findings(f)

        result = run_row(once)
        completed = figures["r"]["totals"]["completed"] if "r" in figures else 0
        print(line(name, f"{completed:,}", result, target), flush=True)
    floor = run_row(lambda: db.session.execute(floor_query(year)).all())
    print(line("floor: one GROUP BY of the year's answers", "", floor, target), flush=True)
    return total, cycle


def reports(cycle) -> None:
    """The cycle report and the board report: draft (figures, text) + render the PDF."""
    from qa_app.findings import Filters
    from qa_app.models import Report, ReportKind, ReportStatus
    from qa_app.rules.uk_time import uk_today
    from qa_app.services import board_reports, report_drafting
    from qa_app.services.report_documents import pdf_bytes

    if cycle is not None:
        filters = report_drafting.report_filters(cycle, Filters())
        content: dict = {}
        draft = run_row(
            lambda: content.update(report_drafting.build_content(filters, "internal", cycle=cycle))
        )
        report = Report(title=f"Audit cycle report: {cycle.name}", audience="internal")
        report.status, report.number = ReportStatus.DRAFT, 1
        for key, value in content.items():
            setattr(report, key, value)
        render = run_row(lambda: pdf_bytes(report, status="Benchmark"))
        pdf_line(f"cycle report PDF: {cycle.name}", draft, render)
    today = uk_today()
    last_month_end = date(today.year, today.month, 1) - timedelta(days=1)
    months = last_month_end.year * 12 + last_month_end.month - 1 - 2  # three whole months
    quarter_start = date(months // 12, months % 12 + 1, 1)
    content = {}

    def board_draft():
        content.update(
            board_reports.build_content(
                "Children's Services", quarter_start, last_month_end, today=today
            )
        )

    draft = run_row(board_draft)
    board = Report(title="Board report (benchmark)", kind=ReportKind.LSCB)
    board.status, board.number = ReportStatus.DRAFT, 1
    for key, value in content.items():
        setattr(board, key, value)
    render = run_row(lambda: board_reports.pdf_bytes(board, status="Benchmark"))
    pdf_line(f"board report PDF: {quarter_start:%B} to {last_month_end:%B %Y}", draft, render)


def pdf_line(label: str, draft: dict, render: dict) -> None:
    if draft["over"] or render["over"]:
        print(f"  {label:<44} over {LIMIT:.0f} s")
        return
    total = draft["median"] + render["median"]
    print(
        f"  {label:<44} draft {draft['median'] * 1000:,.0f} ms + render "
        f"{render['median'] * 1000:,.0f} ms = {total * 1000:,.0f} ms (target 1,000 ms) "
        f"peak {max(draft['peak'], render['peak']):.0f} MB "
        f"{'PASS' if total <= 1.0 and max(draft['peak'], render['peak']) <= 200 else 'MISS'}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        action="append",
        metavar="LABEL=URL",
        help="a database to benchmark (repeatable; default: the three of the docstring)",
    )
    parser.add_argument("--no-write-path", action="store_true", help="skip the save and submit")
    args = parser.parse_args(argv)
    databases = [tuple(d.split("=", 1)) for d in args.database] if args.database else None
    from benchmarks.write_path import write_path

    print(
        "Findings at scale: median of up to 5 runs after a warm-up; peak MB = Python "
        "allocations (tracemalloc), RSS+ MB = rise of the process's peak resident size"
    )
    for label, given in databases or DEFAULT_DATABASES:
        url = absolute(given)
        why = present(url)
        if why:
            print(f"\n{label}: skipped ({why}); make it with `make bench-data N=...` (README)")
            continue
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            found = findings_table(label, url)
            if found and found[0] < LARGE:
                reports(found[1])
            db.session.rollback()
            db.engine.dispose()
        if found and found[0] < LARGE and not args.no_write_path:
            write_path(label, url)


if __name__ == "__main__":
    main()
