"""The figures of the single-agency report to the safeguarding board: every number it states.

`compute_board_figures` reads the data once for an agency and a period and returns a
JSON-ready snapshot that a draft freezes. Everything in it is partnership tier: aggregates
only, exact counts unless the council set a partnership threshold (then counts below it are
hidden, everywhere: audit findings, indicators, conversations, the ICPC table), no case
reference and no case free text (audit figures come from the findings engine's copy for the
tier; conversations are counted, never quoted)."""

from datetime import date

from sqlalchemy import func, select

from qa_app.data.improvement_queries import actions_live_in
from qa_app.data.indicator_scorecard import rag, relative_change
from qa_app.data.organisation import get_settings
from qa_app.data.reviews import review_figures
from qa_app.data.users import owner_role_label
from qa_app.documents.board_form import ICPC_GROUP, ICPC_QUESTIONS, ICPC_TEMPLATE, PARTICIPANTS
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.findings.audiences import rules_for
from qa_app.findings.disclosure import for_audience
from qa_app.findings.suppression import hide_count
from qa_app.models import (
    ActionStatus,
    Activity,
    ActivityKind,
    Indicator,
    IndicatorValue,
    PracticeWeek,
    ReportAudience,
    ReportKind,
    utcnow,
)
from qa_app.rules.small_numbers import hides_figure
from qa_app.services.demand_figures import demand_context

# 2: partnership threshold; indicators with "columns", "history" and comparators' "column";
# "reviews". 3: "demand" (qa_app.services.demand_figures.demand_context). Snapshots of
# schemas 1 and 2 still render (board_content and board_demand read every shape).
SCHEMA = 3


def threshold() -> int:
    """The partnership tier's threshold: 0 (exact counts) unless the council set one."""
    return rules_for(ReportAudience.PARTNERSHIP, get_settings()).threshold


def _month(day: date) -> date:
    return day.replace(day=1)


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1)


YEARS_SHOWN = 3  # the statistics table's columns: the period's last month in this many years


def financial_year(month: date) -> str:
    """The English financial year a month falls in, as comparators name it: "2012-13"."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def comparator_column(year: str, columns: list[date]) -> int | None:
    """Which column (by index) a comparator's year matches: a financial year ("2012-13") or
    a calendar year ("2012") the column's month falls in; None where it matches none."""
    for i, month in enumerate(columns):
        if year in (financial_year(month), str(month.year)):
            return i
    return None


def indicator_figures(
    date_from: date, date_to: date, indicator_ids: list[int] | None, limit: int
) -> dict:
    """The chosen indicators (default: every active one) for the period's last month with a
    value and the same month in the years before (the table's columns), against target, with
    the change on the year and the comparators whose year matches a column (a comparator for
    another year is kept with "column": None and not shown as if it matched). Two queries: the
    indicators, then their values for those months."""
    stmt = select(Indicator).order_by(Indicator.position, Indicator.name)
    if indicator_ids is None:
        stmt = stmt.where(Indicator.active.is_(True))
    else:
        stmt = stmt.where(Indicator.id.in_(indicator_ids or [-1]))
    indicators = list(db.session.scalars(stmt))
    ids = [i.id for i in indicators]
    last = db.session.scalar(
        select(func.max(IndicatorValue.month)).where(
            IndicatorValue.indicator_id.in_(ids or [-1]),
            IndicatorValue.month >= _month(date_from),
            IndicatorValue.month <= date_to,
        )
    )
    month = last or _month(date_to)
    columns = [month.replace(year=month.year - k) for k in range(YEARS_SHOWN - 1, -1, -1)]
    year_before = _year_before(month)
    values = {
        (indicator_id, m): v
        for indicator_id, m, v in db.session.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.month, IndicatorValue.value).where(
                IndicatorValue.indicator_id.in_(ids or [-1]),
                IndicatorValue.month.in_(columns),
            )
        )
    }

    def shown(ind, value):
        if ind.unit == "count" and hides_figure(value, limit):  # children: the tier's rule
            return None
        return value

    rows = []
    for ind in indicators:
        value = values.get((ind.id, month))
        before = values.get((ind.id, year_before))
        hidden = value is not None and shown(ind, value) is None
        hidden_before = before is not None and shown(ind, before) is None
        comparators = {c.get("group"): c for c in (ind.comparators or []) if isinstance(c, dict)}
        rows.append(
            {
                "indicator_id": ind.id,
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "better": ind.better,
                "target": ind.target,
                "value": shown(ind, value),
                "reported": value is not None,
                "hidden": hidden,
                "year_before": shown(ind, before),
                "history": [
                    {
                        "month": m.isoformat(),
                        "value": shown(ind, values.get((ind.id, m))),
                        "hidden": values.get((ind.id, m)) is not None
                        and shown(ind, values.get((ind.id, m))) is None,
                    }
                    for m in columns
                ],
                "change_on_year": None
                if hidden or hidden_before
                else relative_change(before, value),
                "rag": None if hidden else rag(value, ind.target, ind.tolerance, ind.better),
                "comparators": {
                    group: {
                        "value": c.get("value"),
                        "year": c.get("year"),
                        "column": comparator_column(str(c.get("year") or ""), columns),
                    }
                    for group, c in comparators.items()
                    if group in ("statistical_neighbours", "region", "england")
                },
            }
        )
    return {
        "month": month.isoformat(),
        "year_before": year_before.isoformat(),
        "columns": [m.isoformat() for m in columns],
        "rows": rows,
    }


def icpc_figures(findings: dict) -> dict | None:
    """Per agency, from the ICPC template's repeat group in the (suppressed) findings: how many
    reports, and how many answered yes to each of the board's questions out of those where it
    applied."""
    template = next((t for t in findings["templates"] if t["key"] == ICPC_TEMPLATE), None)
    if template is None:
        return None
    repeat = next((r for r in template["repeats"] if r["key"] == ICPC_GROUP), None)
    rows = []
    for block in repeat["blocks"] if repeat else []:
        questions = {q["key"]: q for q in block["questions"]}
        row = {"key": block["key"], "label": block["label"], "n": block["n"]}
        for name, question_key, _ in ICPC_QUESTIONS:
            q = questions.get(question_key)
            if q is None:
                row[name] = {"yes": 0, "of": 0}
                continue
            counts = {k: v for k, v in q["counts"].items() if k != "not_applicable"}
            of = None if any(v is None for v in counts.values()) else sum(counts.values())
            row[name] = {"yes": counts.get("yes", 0), "of": of}
        rows.append(row)
    return {
        "key": template["key"],
        "name": template["name"],
        "audits": template["completed"],
        "rows": rows,
    }


def conversation_figures(date_from: date, date_to: date, limit: int) -> dict:
    """Practice-week conversations held in the period with consent given, counted by who they
    were with. Only counts: what was said never leaves the practice week."""
    stmt = (
        select(Activity.participant, func.count())
        .where(
            Activity.kind == ActivityKind.CONVERSATION,
            Activity.consent_given.is_(True),
            Activity.status == "done",
            Activity.scheduled_on >= date_from,
            Activity.scheduled_on <= date_to,
        )
        .group_by(Activity.participant)
    )
    counts = {key: 0 for key in PARTICIPANTS}
    for participant, n in db.session.execute(stmt):
        if participant in counts:
            counts[participant] = int(n)
    # No total is kept: with one count hidden, a total would give it away.
    return {"counts": {k: hide_count(v, limit) for k, v in counts.items()}}


def action_figures(date_from: date, date_to: date, today: date) -> dict:
    """The improvement plan's open actions, and those completed in the period, with owner,
    due date and RAG status (one query)."""
    rows = []
    for a in actions_live_in(date_from, date_to):
        status = ActionStatus(a.status)
        rows.append(
            {
                "action_id": a.id,
                "plan": a.plan.title,
                "number": a.number,
                "description": a.description,
                "owner": a.owner.display_name if a.owner else "No owner",
                "owner_role": owner_role_label(a.owner) if a.owner else "",
                "due": a.due_date.isoformat() if a.due_date else None,
                "status": status.value,
                "status_label": status.label,
                "rag": status.rag,
                "overdue": bool(
                    a.due_date and a.due_date < today and status != ActionStatus.COMPLETE
                ),
                "completed_on": a.completed_on.isoformat() if a.completed_on else None,
                "expected_outcome": a.expected_outcome,
            }
        )
    completed = sum(1 for r in rows if r["status"] == ActionStatus.COMPLETE)
    return {
        "rows": rows,
        "open": len(rows) - completed,
        "completed_in_period": completed,
        "overdue": sum(1 for r in rows if r["overdue"]),
    }


def practice_weeks_held(date_from: date, date_to: date) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                PracticeWeek.starts_on <= date_to, PracticeWeek.ends_on >= date_from
            )
        )
        or 0
    )


def compute_board_figures(
    agency: str,
    date_from: date,
    date_to: date,
    *,
    indicator_ids: list[int] | None = None,
    today: date,
) -> dict:
    """Every figure the report states, as a JSON-ready board-tier snapshot."""
    limit = threshold()
    rules = rules_for(ReportAudience.PARTNERSHIP, get_settings())
    # as the board's findings pages read them: built from the months where counts are hidden
    findings = for_audience(Filters(date_from=date_from, date_to=date_to), rules, compute_findings)
    findings.pop("moderation", None)  # not a board question; nothing per auditor either way
    actions = action_figures(date_from, date_to, today)
    return {
        "schema": SCHEMA,
        "kind": ReportKind.LSCB.value,
        "agency": agency,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "suppression": {"threshold": limit},
        "activity": {
            "audits_completed": findings["totals"]["completed"],
            "practice_weeks": practice_weeks_held(date_from, date_to),
            "actions_completed": actions["completed_in_period"],
        },
        "findings": findings,
        "indicators": indicator_figures(date_from, date_to, indicator_ids, limit),
        "icpc": icpc_figures(findings),
        "conversations": conversation_figures(date_from, date_to, limit),
        "actions": actions,
        "reviews": review_figures(date_from, date_to),
        "demand": demand_context(date_from, date_to, findings, limit=limit),
    }
