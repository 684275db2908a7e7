"""The figures of the annual self-evaluation: per judgement area (qa_app.data.judgement_areas),
what the product holds for a period. `compute_self_evaluation_figures` returns a JSON-ready
snapshot a draft freezes: the audits of the area's templates (good or better now and in the
period before), its strongest and weakest themes, its indicators (latest value, trend, RAG),
moderation, the practice weeks held, the indicators' sources, and the improvement actions
answering its themes with their measured impact. Internal tier: case-level links are kept."""

from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_app.data.improvement_queries import actions_live_in
from qa_app.data.indicator_areas import area_title
from qa_app.data.indicator_scorecard import RAG_LABELS, first_of_month, format_value
from qa_app.data.indicator_values import scorecard_rows
from qa_app.data.judgement_areas import Framework, JudgementArea
from qa_app.data.organisation import get_settings
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.findings.impact import impacts
from qa_app.findings.present import percent_value
from qa_app.models import (
    ActionStatus,
    Activity,
    Indicator,
    IndicatorValue,
    PracticeWeek,
    utcnow,
)

SCHEMA = 1
WEEK_LINES = 5  # what a practice week observed: its first key findings


def default_period(today: date) -> tuple[date, date]:
    """The last twelve whole months before today's month (UK time)."""
    end = first_of_month(today)
    start = end.replace(year=end.year - 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _findings(f: Filters) -> dict[str, Any]:
    return compute_findings(f, include_answers=False, by_group=False)


def _audits(area: JudgementArea, period: Filters) -> tuple[list[dict], list[dict], dict]:
    """Per template of the area: completed audits and good or better, now and in the period
    before; the theme rows of those audits (or of every audit, for an area with no template);
    moderation summed over the templates."""
    rows: list[dict[str, Any]] = []
    themes: list[dict[str, Any]] = []
    moderation = {"completed": 0, "moderated": 0, "pairs": 0, "agreed": 0}
    scopes: list[tuple[str | None, Filters]] = [
        (key, Filters(period.date_from, period.date_to, template=key)) for key in area.templates
    ]
    for key, f in scopes or [(None, period)]:
        figures = _findings(f)
        themes.extend(figures.get("themes") or [])
        mod = figures.get("moderation") or {}
        moderation["completed"] += mod.get("completed_audits", 0)
        moderation["moderated"] += mod.get("moderated", 0)
        moderation["pairs"] += mod.get("pairs", 0)
        moderation["agreed"] += mod.get("agreed", 0)
        if key is None:
            continue
        found = get_template(key)
        entries = [t for t in figures["templates"] if t["key"] == key]
        noun = (entries[0].get("noun") if entries else None) or {}
        previous = figures.get("previous") or {}
        rows.append(
            {
                "template": key,
                "name": found.name if found else key.replace("_", " ").capitalize(),
                "one": noun.get("one") or f"{key.replace('_', ' ')} audit",
                "many": noun.get("many") or f"{key.replace('_', ' ')} audits",
                "completed": sum(t["overall"]["n"] for t in entries),
                "good_or_better": sum(t["overall"]["good_or_better"] for t in entries),
                "previous_completed": previous.get("completed"),
                "previous_good_or_better": previous.get("good_or_better"),
                "filters": f.to_args(),
            }
        )
    return rows, themes, moderation


def _theme_extremes(area: JudgementArea, rows: list[dict]) -> dict[str, Any]:
    """The area's strongest theme (highest share marked a strength) and weakest (highest share
    marked for development), summed over the templates' audits."""
    summed: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["key"] not in area.themes:
            continue
        mine = summed.setdefault(
            row["key"],
            {"key": row["key"], "name": row["name"], "strength": 0, "development": 0, "n": 0},
        )
        for k in ("strength", "development", "n"):
            mine[k] += row[k] or 0
    counted = [r for r in summed.values() if r["n"]]
    if not counted:
        return {"strongest": None, "weakest": None}
    strongest = max(counted, key=lambda r: (r["strength"] / r["n"], r["n"], r["name"]))
    weakest = max(counted, key=lambda r: (r["development"] / r["n"], r["n"], r["name"]))
    return {
        "strongest": strongest if strongest["strength"] > strongest["development"] else None,
        "weakest": weakest if weakest["development"] > weakest["strength"] else None,
    }


def _indicators(area: JudgementArea, date_to: date) -> tuple[list[dict], list[str]]:
    """The area's active indicators at their latest month with a value up to the period's end,
    and the files their values in the period came from."""
    indicators = list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.active.is_(True), Indicator.area.in_(area.indicator_areas or ["-"]))
            .order_by(Indicator.position, Indicator.name)
        )
    )
    ids = [i.id for i in indicators] or [-1]
    month = db.session.scalar(
        select(func.max(IndicatorValue.month)).where(
            IndicatorValue.indicator_id.in_(ids), IndicatorValue.month <= date_to
        )
    )
    if month is None:
        return [], []
    out = []
    for row in scorecard_rows(month, indicators):
        if row.value is None:
            continue
        ind = row.indicator
        out.append(
            {
                "id": ind.id,
                "code": ind.code,
                "name": ind.name,
                "area": area_title(ind.area),
                "month": month.isoformat(),
                "value": format_value(row.value, ind.unit),
                "last_year": None
                if row.last_year is None
                else format_value(row.last_year, ind.unit),
                "trend": row.trend.text if row.trend else None,
                "rag": RAG_LABELS.get(row.rag or "") if row.rag else None,
            }
        )
    start = first_of_month(month).replace(year=month.year - 1)
    sources = db.session.scalars(
        select(IndicatorValue.source)
        .where(
            IndicatorValue.indicator_id.in_(ids),
            IndicatorValue.month > start,
            IndicatorValue.month <= month,
            IndicatorValue.source != "",
        )
        .distinct()
        .order_by(IndicatorValue.source)
    )
    return out, list(sources)


def _weeks(date_from: date, date_to: date) -> list[dict[str, Any]]:
    """The practice weeks that ended in the period: their activities and what they observed."""
    weeks = list(
        db.session.scalars(
            select(PracticeWeek)
            .where(PracticeWeek.ends_on >= date_from, PracticeWeek.ends_on <= date_to)
            .order_by(PracticeWeek.starts_on, PracticeWeek.id)
        )
    )
    counts = dict(
        db.session.execute(
            select(Activity.week_id, func.count())
            .where(Activity.week_id.in_([w.id for w in weeks] or [-1]))
            .group_by(Activity.week_id)
        ).all()
    )
    return [
        {
            "id": w.id,
            "name": w.name,
            "starts_on": w.starts_on.isoformat(),
            "ends_on": w.ends_on.isoformat(),
            "activities": int(counts.get(w.id, 0)),
            "observed": [
                line.strip() for line in (w.themes_summary or "").splitlines() if line.strip()
            ][:WEEK_LINES],
        }
        for w in weeks
    ]


def _actions(area: JudgementArea, date_from: date, date_to: date, today: date) -> list[dict]:
    """The improvement actions open, or completed in the period, that target the area's
    themes, with the impact measured on each theme they target."""
    mine = [
        a for a in actions_live_in(date_from, date_to) if set(a.themes or []) & set(area.themes)
    ]
    measured = impacts(mine, today=today)
    rows = []
    for a in mine:
        impact = measured.get(a.id)
        rows.append(
            {
                "id": a.id,
                "number": a.number,
                "plan": a.plan.title,
                "description": a.description,
                "status": ActionStatus(a.status).label,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "impact": [t.sentence for t in impact.themes] if impact else [],
                "impact_note": impact.message if impact else "",
            }
        )
    return rows


def area_figures(
    area: JudgementArea, date_from: date, date_to: date, today: date, weeks: list[dict]
) -> dict[str, Any]:
    audits, theme_rows, moderation = _audits(area, Filters(date_from, date_to))
    indicators, sources = _indicators(area, date_to)
    return {
        "key": area.key,
        "title": area.title,
        "templates": list(area.templates),
        "audits": audits,
        "themes": _theme_extremes(area, theme_rows),
        "theme_filters": Filters(date_from, date_to).to_args(),
        "moderation": moderation
        | {"share": percent_value(moderation["moderated"], moderation["completed"])},
        "indicators": indicators,
        "sources": sources,
        "weeks": weeks if area.practice_weeks else [],
        "actions": _actions(area, date_from, date_to, today),
    }


def compute_self_evaluation_figures(
    framework: Framework, date_from: date, date_to: date, *, today: date
) -> dict[str, Any]:
    """Every figure the self-evaluation states for the period, area by area."""
    weeks = _weeks(date_from, date_to)
    return {
        "schema": SCHEMA,
        "framework": framework.name,
        "questions": framework.questions,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "council": get_settings().council_name,
        "areas": [area_figures(a, date_from, date_to, today, weeks) for a in framework.areas],
    }
