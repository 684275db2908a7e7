"""The improvement plan at scale: `python -m benchmarks.improvement [--database-url URL]` (run
by `make bench` when a database made by `make bench-data` exists).

Adds a throw-away plan of ACTIONS actions (each targeting two themes, started on days spread
over the year of audits) inside a transaction that is rolled back at the end, then times:
- the impact of every action (the six months before each started and since): one grouped
  query by day for all of them, summed per window;
- the plan's PDF and XLSX exports (every action with its latest progress and impact).
Every loop is bounded: REPEAT runs of each."""

import argparse
import os
from datetime import timedelta

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import func, select  # noqa: E402

from benchmarks.findings import DEFAULT_URL, _url, best, year_of  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

ACTIONS = 300
THEMES = ["voice_of_child", "management_oversight", "quality_of_analysis", "smart_plans"]


def _plan(year_start, year_end):
    from qa_app.models import ImprovementAction, ImprovementPlan, ThemeMark

    themes = [
        key
        for key in THEMES
        if db.session.scalar(select(func.count()).where(ThemeMark.theme_key == key))
    ] or THEMES
    plan = ImprovementPlan(title="Benchmark plan (rolled back)", status="active")
    db.session.add(plan)
    db.session.flush()
    span = (year_end - year_start).days
    for n in range(1, ACTIONS + 1):
        db.session.add(
            ImprovementAction(
                plan_id=plan.id,
                number=n,
                description=f"Benchmark action {n}: workshops and guidance for every team.",
                status="on_track",
                started_on=year_start + timedelta(days=span // 2 + n % (span // 2)),
                due_date=year_end + timedelta(days=n % 90),
                themes=[themes[n % len(themes)], themes[(n + 1) % len(themes)]],
                source_kind="audit_cycle",
            )
        )
    db.session.flush()
    return plan


def measure(year) -> None:
    from qa_app.data.improvement_queries import list_actions
    from qa_app.findings.impact import impacts
    from qa_app.services.improvement_exports import plan_pdf_bytes, plan_xlsx_bytes

    plan = _plan(year.date_from, year.date_to)
    today = year.date_to
    actions = list_actions(today=today, plan_id=plan.id)
    result = {}
    impact_best, impact_median = best(lambda: result.update(impacts=impacts(actions, today=today)))
    measured = sum(len(i.themes) for i in result["impacts"].values())
    enough = sum(t.enough for i in result["impacts"].values() for t in i.themes)
    print(
        f"impact  {len(actions)} actions, {measured} action-themes ({enough} with enough "
        f"audits): {impact_best * 1000:.0f} ms (median {impact_median * 1000:.0f})"
    )
    size = {}
    pdf_best, _ = best(lambda: size.update(pdf=len(plan_pdf_bytes(plan, today))))
    xlsx_best, _ = best(lambda: size.update(xlsx=len(plan_xlsx_bytes(plan, today))))
    print(
        f"exports plan of {len(actions)} actions: PDF {pdf_best * 1000:.0f} ms "
        f"({size['pdf'] / 1024:.0f} KB), XLSX {xlsx_best * 1000:.0f} ms "
        f"({size['xlsx'] / 1024:.0f} KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("QA_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    args = parser.parse_args()
    url = _url(args.database_url)
    if url.startswith("sqlite:") and not os.path.exists(url.removeprefix("sqlite:///")):
        print(f"improvement: no database at {url}; run `make bench-data N=100000` first")
        return
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    found = year_of(app)
    if found is None:
        print(f"improvement: no audits in {url}; run `make bench-data N=100000` first")
        return
    total, year = found
    with app.app_context():
        print(f"improvement plan on {db.engine.dialect.name}, {total:,} audits")
        try:
            measure(year)
        finally:
            db.session.rollback()


if __name__ == "__main__":
    main()
