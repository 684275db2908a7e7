"""The figures of the scrutiny committee's performance pack: every number it states, for a
chosen month, as a JSON-ready snapshot a draft freezes (its shape is in docs/scrutiny-pack.md;
the renderers qa_app.documents.scrutiny_* read only it and the report's sections).

Per area of the performance report (qa_app.data.indicator_areas.AREAS, in order) each active
indicator's month with the scorecard's comparisons, the financial year to date and the rolling
twelve months beside the year before, the 18-month trend, its breakdowns with RAG per category,
the area's tables where its indicators share a dimension (the recruitment table), and the
figure prompts the manager rewrites. Then, over the financial year to the month's end: demand
beside the audits, the latest practice week published to the partnership, the audit themes'
key findings and the improvement-plan actions answering them.

Partnership tier throughout: aggregates only, no case reference and no case free text; counts
of children below the partnership threshold are hidden as the board report hides them (the
workforce areas count posts and cases held, not children, and are shown as they are); an
action's description that looks like it holds an identifier is withheld. The number of queries
does not grow with the number of indicators."""

from datetime import date
from typing import Any

from sqlalchemy import select

from qa_app.data.improvement_queries import actions_live_in
from qa_app.data.indicator_areas import AREAS, WORKFORCE_AREAS, dimension_title
from qa_app.data.indicator_breakdowns import breakdowns_between
from qa_app.data.indicator_periods import financial_year_start as year_start
from qa_app.data.indicator_periods import history_needed, rolling_12, trend, year_to_date
from qa_app.data.indicator_scorecard import (
    add_months,
    build_row,
    first_of_month,
    places_of,
    rag,
    rated_by_part,
    round_half_up,
)
from qa_app.data.indicator_scorecard import relative_change as change_of
from qa_app.data.indicator_values import values_between
from qa_app.data.indicators import definition
from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_findings import published_audience
from qa_app.data.users import owner_role_label
from qa_app.documents.narrative import draft_key_findings
from qa_app.documents.scrutiny_sentences import indicator_prompts
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.findings.audiences import rules_for
from qa_app.findings.disclosure import for_audience, month_end
from qa_app.findings.identifiers import withheld_if_identifying
from qa_app.findings.present import period_text
from qa_app.models import (
    ActionStatus,
    FindingsStatus,
    Indicator,
    PracticeWeek,
    ReportAudience,
    utcnow,
)
from qa_app.rules.small_numbers import hides_figure
from qa_app.services.demand_figures import demand_context
from qa_app.services.practice_week_report import report_view

SCHEMA = 1
# Areas whose counts are of posts and cases held, not of children: never hidden.
WEEKS_LOOKED_AT = 20  # published weeks in the period read to find the latest for the partnership


def period_of(month: date) -> tuple[date, date]:
    """The financial year to date: April (of the month's financial year) to the month's end."""
    month = first_of_month(month)
    return year_start(month), month_end(month)


def _area_indicators() -> list[Indicator]:
    stmt = (
        select(Indicator)
        .where(Indicator.active.is_(True), Indicator.area.in_(list(AREAS)))
        .order_by(Indicator.position, Indicator.name)
    )
    return list(db.session.scalars(stmt))


class _Hider:
    """Hides an indicator's counts of children below the tier's threshold."""

    def __init__(self, indicator: Indicator, limit: int):
        self.active = indicator.unit == "count" and indicator.area not in WORKFORCE_AREAS
        self.limit = limit

    def hidden(self, value: float | None) -> bool:
        return self.active and hides_figure(value, self.limit)

    def __call__(self, value: float | None) -> float | None:
        return None if self.hidden(value) else value


def _period(
    comparison, values: dict[date, float], hide: _Hider, unit: str, places: int
) -> dict[str, Any]:
    """A period's figures; a count's written as precisely as its months are (an average of
    whole children is whole: qa_app.data.indicator_scorecard.places_of). Where the tier hides a
    month of the period or of the same months a year before, the period's figures are hidden
    too: a sum or an average over a hidden month, beside the months shown in the trend, would
    give it away. The threshold is tested before rounding (4.5 children is not 5)."""
    out = comparison.as_dict()
    first, last = date.fromisoformat(out["first"]), date.fromisoformat(out["last"])
    months = {m for m in values if first <= m <= last}
    months |= {m for m in values if add_months(first, -12) <= m <= add_months(last, -12)}
    if any(hide.hidden(values[m]) for m in months) or any(
        hide.hidden(out[k]) for k in ("value", "previous")
    ):
        out.update(value=None, previous=None, change=None)
        return out
    if unit == "count":
        for name in ("value", "previous"):
            if out[name] is not None:
                out[name] = round_half_up(out[name], places)
    return out


def _breakdowns(ind: Indicator, parts: dict, month: date, hide: _Hider) -> list[dict]:
    """Each dimension's categories for the month, with RAG against the indicator's target (for
    shares and rates) and the change on the same month a year before. Where the tier hides one
    category of a dimension, the next smallest is hidden with it, so the whole less the others
    does not give it away (secondary suppression, as the findings have it)."""
    year_before = add_months(month, -12)
    out = []
    for dimension, categories in parts.items():
        present = {c: by_month for c, by_month in categories.items() if month in by_month}
        now = _secondary_hidden({c: by_month[month] for c, by_month in present.items()}, hide)
        then = _secondary_hidden(
            {
                c: by_month[year_before]
                for c, by_month in present.items()
                if year_before in by_month
            },
            hide,
        )
        rows = []
        for category in present:
            value, before = now[category], then.get(category)
            rows.append(
                {
                    "category": category,
                    "value": value,
                    "rag": rag(value, ind.target, ind.tolerance, ind.better)
                    if rated_by_part(ind.unit)
                    else None,
                    "last_year": before,
                    "change_year": change_of(before, value),
                }
            )
        if rows:
            out.append({"dimension": dimension, "title": dimension_title(dimension), "rows": rows})
    return out


def _secondary_hidden(values: dict[str, float], hide: _Hider) -> dict[str, float | None]:
    """The categories' values with the tier's small ones hidden, and where exactly one is
    hidden, the next smallest non-zero one as well."""
    shown: dict[str, float | None] = {c: hide(v) for c, v in values.items()}
    if sum(v is None for v in shown.values()) == 1:
        rest = sorted((v, c) for c, v in shown.items() if v)
        if rest:
            shown[rest[0][1]] = None
    return shown


def indicator_figures(
    ind: Indicator, values: dict[date, float], parts: dict, month: date, limit: int
) -> dict[str, Any]:
    hide = _Hider(ind, limit)
    row = build_row(definition(ind), values, month)
    value, previous, last_year = hide(row.value), hide(row.previous), hide(row.last_year)
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "better": ind.better,
        "adds_up": ind.adds_up,
        "definition": ind.definition or "",
        "good_looks_like": ind.good_looks_like or "",
        "value": value,
        "hidden": hide.hidden(row.value),
        "target": ind.target,
        "rag": rag(value, ind.target, ind.tolerance, ind.better),
        "previous": previous,
        "change_month": change_of(previous, value),
        "last_year": last_year,
        "change_year": change_of(last_year, value),
        "year_to_date": _period(
            year_to_date(values, month, ind.adds_up),
            values,
            hide,
            ind.unit,
            places_of(values.values()),
        ),
        "rolling_12": _period(
            rolling_12(values, month, ind.adds_up),
            values,
            hide,
            ind.unit,
            places_of(values.values()),
        ),
        "trend": [[m.isoformat(), hide(v)] for m, v in trend(values, month)],
        "comparators": [
            {"name": c["name"], "value": c.get("value"), "year": c.get("year")}
            for c in row.comparators
        ],
        "breakdowns": _breakdowns(ind, parts, month, hide),
    }


def area_tables(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One table per dimension two or more of the area's indicators are broken down by: a row
    per category, a column per indicator, the whole-council values as the totals row."""
    by_dimension: dict[str, list[tuple[dict, dict]]] = {}
    for ind in indicators:
        for breakdown in ind["breakdowns"]:
            by_dimension.setdefault(breakdown["dimension"], []).append((ind, breakdown))
    tables = []
    for dimension, pairs in by_dimension.items():
        if len(pairs) < 2:
            continue
        categories: list[str] = []
        cells: list[dict[str, float | None]] = []
        for _ind, breakdown in pairs:
            cells.append({r["category"]: r["value"] for r in breakdown["rows"]})
            categories += [
                r["category"] for r in breakdown["rows"] if r["category"] not in categories
            ]
        tables.append(
            {
                "dimension": dimension,
                "title": dimension_title(dimension),
                "columns": [
                    {"code": ind["code"], "name": ind["name"], "unit": ind["unit"]}
                    for ind, _ in pairs
                ],
                "rows": [
                    {"category": c, "values": [column.get(c) for column in cells]}
                    for c in categories
                ],
                "total": {"category": "Total", "values": [ind["value"] for ind, _ in pairs]},
            }
        )
    return tables


def area_figures(month: date, limit: int) -> list[dict[str, Any]]:
    """The areas with an active indicator, in AREAS order. Three queries: the indicators,
    their values, their breakdowns."""
    indicators = _area_indicators()
    ids = [i.id for i in indicators]
    values = values_between(ids, history_needed(month), month)
    parts = breakdowns_between(ids, add_months(month, -12), month)
    areas = []
    for key, title in AREAS.items():
        rows = [
            indicator_figures(i, values[i.id], parts[i.id], month, limit)
            for i in indicators
            if i.area == key
        ]
        if not rows:
            continue
        areas.append(
            {
                "key": key,
                "title": title,
                "indicators": rows,
                "tables": area_tables(rows),
                "prompts": [line for row in rows for line in indicator_prompts(row, month)],
            }
        )
    return areas


# ---- the period: practice week, audit themes, actions ------------------------------------------


def latest_practice_week(date_from: date, date_to: date) -> PracticeWeek | None:
    """The latest practice week that ended in the period and whose findings are published to
    the partnership or the public."""
    stmt = (
        select(PracticeWeek)
        .where(
            PracticeWeek.findings_status == FindingsStatus.PUBLISHED,
            PracticeWeek.ends_on >= date_from,
            PracticeWeek.ends_on <= date_to,
        )
        .order_by(PracticeWeek.ends_on.desc(), PracticeWeek.id.desc())
        .limit(WEEKS_LOOKED_AT)
    )
    wider = {ReportAudience.PARTNERSHIP, ReportAudience.PUBLIC}
    return next((w for w in db.session.scalars(stmt) if published_audience(w) in wider), None)


def practice_week_figures(week: PracticeWeek | None) -> dict[str, Any] | None:
    """Its headline findings (by focus area) and quick wins, as the partnership reads them."""
    if week is None:
        return None
    view = report_view(week, audience=ReportAudience.PARTNERSHIP.value)
    headlines = [f"{a['title']}: {line}" for a in view.areas for line in a["lines"]]
    return {
        "title": view.title,
        "dates": period_text(week.starts_on, week.ends_on),
        "headlines": headlines or view.key_findings,
        "quick_wins": [q["description"] for q in view.quick_wins],
    }


def action_figures(
    date_from: date, date_to: date, themes: set[str], week: PracticeWeek | None
) -> list[dict[str, Any]]:
    """The improvement-plan actions answering the period's themes (or raised from its practice
    week), open or completed in the period, owners by role; a description that looks like it
    holds an identifier is withheld. One query (and its plans and owners)."""
    pattern = get_settings().case_reference_pattern
    rows = []
    for a in actions_live_in(date_from, date_to):
        from_week = week is not None and a.source_week_id == week.id
        if not (from_week or themes.intersection(a.themes or [])):
            continue
        status = ActionStatus(a.status)
        rows.append(
            {
                "number": str(a.number),
                "plan": a.plan.title,
                "description": withheld_if_identifying(a.description, pattern),
                "owner": owner_role_label(a.owner),
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": status.value,
                "status_text": status.label,
            }
        )
    return rows


def compute_scrutiny_figures(month: date, *, today: date) -> dict[str, Any]:
    """Every figure the pack states for `month` (its first day is kept), partnership tier.
    `today` is the day the pack is drafted (the actions are read as they stand)."""
    month = first_of_month(month)
    date_from, date_to = period_of(month)
    rules = rules_for(ReportAudience.PARTNERSHIP, get_settings())
    limit = rules.threshold
    findings = for_audience(Filters(date_from=date_from, date_to=date_to), rules, compute_findings)
    findings.pop("moderation", None)  # nothing per auditor leaves the internal tier
    key_findings = draft_key_findings(findings, limit)
    themes = {
        key
        for name in ("top_strengths", "top_development", "top_mixed")
        for key in findings.get(name, [])
    }
    week = latest_practice_week(date_from, date_to)
    return {
        "schema": SCHEMA,
        "month": month.isoformat(),
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "council": get_settings().council_name,
        "areas": area_figures(month, limit),
        "demand": demand_context(date_from, date_to, findings, limit=limit),
        "practice_week": practice_week_figures(week),
        "audit_themes": {
            "audits": findings["totals"]["completed"],
            "strengths": key_findings["strengths"],
            "development": key_findings["development"],
        },
        "actions": action_figures(date_from, min(date_to, today), themes, week),
    }
