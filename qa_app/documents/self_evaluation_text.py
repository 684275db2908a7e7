"""The self-evaluation's statements in plain English, from one judgement area's frozen figures
(qa_app.services.self_evaluation_figures): three headings, "What we know", "How we know" and
"What we are doing about it", each a list of statements with the evidence each rests on (an
endpoint and its arguments on the internal tier: the findings view, the scorecard, the
practice week, the action). Exact counts, dates in words, counts with the right grammar."""

from datetime import date
from typing import Any

from qa_app.findings.present import counted, day_text, percent_value, period_text

HEADINGS = (
    ("know", "What we know"),
    ("how", "How we know"),
    ("doing", "What we are doing about it"),
)


def _statement(text: str, endpoint: str | None = None, **args: Any) -> dict[str, Any]:
    return {"text": text, "link": [endpoint, args] if endpoint else None}


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _share(part: int, whole: int) -> str:
    return f"{part:,} ({percent_value(part, whole)}%)"


def _compared(row: dict[str, Any]) -> str:
    was_n, was = row.get("previous_completed"), row.get("previous_good_or_better")
    if not was_n or was is None:
        return ""
    now, before = percent_value(row["good_or_better"], row["completed"]), percent_value(was, was_n)
    if now is None or before is None:
        return ""
    if now == before:
        return f", the same share as in the previous year ({before}%)"
    return f", {'up' if now > before else 'down'} from {before}% in the previous year"


def audit_statements(area: dict[str, Any], period: str) -> list[dict[str, Any]]:
    out = []
    for row in area["audits"]:
        if not row["completed"]:
            continue
        args = row["filters"]
        out.append(
            _statement(
                f"Of {counted(row['completed'], row['one'], row['many'])} audited, "
                f"{_share(row['good_or_better'], row['completed'])} "
                f"{_were(row['good_or_better'])} judged good or better"
                f"{_compared(row)}.",
                "dashboards.template",
                key=row["template"],
                **{k: v for k, v in args.items() if k != "template"},
            )
        )
    if area["templates"] and not out:
        out.append(_statement(f"No audits of this area's templates were completed from {period}."))
    return out


def theme_statements(area: dict[str, Any]) -> list[dict[str, Any]]:
    themes, args = area["themes"], area["theme_filters"]
    out = []
    if best := themes.get("strongest"):
        out.append(
            _statement(
                f"The strongest theme was {best['name'].lower()}: a strength in "
                f"{best['strength']:,} of the {counted(best['n'], 'audit')} that assessed it "
                f"({percent_value(best['strength'], best['n'])}%).",
                "dashboards.overview",
                **args,
            )
        )
    if worst := themes.get("weakest"):
        out.append(
            _statement(
                f"The weakest theme was {worst['name'].lower()}: an area for development in "
                f"{worst['development']:,} of the {counted(worst['n'], 'audit')} that assessed "
                f"it ({percent_value(worst['development'], worst['n'])}%).",
                "dashboards.overview",
                **args,
            )
        )
    return out


def indicator_statements(area: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ind in area["indicators"]:
        month = date.fromisoformat(ind["month"])
        text = f"{ind['name']}: {ind['value']} in {month:%B %Y}"
        if ind.get("rag"):
            text += f" ({ind['rag']})"
        if ind.get("trend"):
            text += f"; on the month before: {ind['trend']}"
        if ind.get("last_year") is not None:
            text += f"; a year before: {ind['last_year']}"
        out.append(_statement(text + ".", "indicators.scorecard", month=f"{month:%Y-%m}"))
    return out


def know(area: dict[str, Any], period: str) -> list[dict[str, Any]]:
    return audit_statements(area, period) + theme_statements(area) + indicator_statements(area)


def how(area: dict[str, Any], period: str) -> list[dict[str, Any]]:
    out = []
    audited = sum(row["completed"] for row in area["audits"])
    mod = area["moderation"]
    if area["templates"] and audited:
        out.append(
            _statement(
                f"{counted(audited, 'audit')} of this area's templates {_were(audited)} "
                f"completed from {period}."
            )
        )
    elif area["templates"] and area["indicators"]:
        out.append(
            _statement("With no audit of this area's templates, we know it from its indicators.")
        )
    if mod["completed"]:
        text = (
            f"Of {counted(mod['completed'], 'completed audit')}, "
            f"{_share(mod['moderated'], mod['completed'])} {_were(mod['moderated'])} moderated"
        )
        if mod["pairs"]:
            text += (
                f"; the moderator agreed with the auditor on {_share(mod['agreed'], mod['pairs'])}"
                f" of {counted(mod['pairs'], 'grade')} compared"
            )
        out.append(_statement(text + ".", "dashboards.overview", **area["theme_filters"]))
    for week in area["weeks"]:
        span = period_text(
            date.fromisoformat(week["starts_on"]), date.fromisoformat(week["ends_on"])
        )
        activities = counted(week["activities"], "activity", "activities")
        text = f"Practice week ‘{week['name']}’, {span}: {activities}."
        if week["observed"]:
            text += " It observed: " + "; ".join(week["observed"]) + "."
        out.append(_statement(text, "practice_weeks.week", week_id=week["id"]))
    if area["sources"]:
        out.append(
            _statement("The indicator figures come from " + ", ".join(area["sources"]) + ".")
        )
    elif area["indicators"]:
        out.append(_statement("The indicator figures were entered in the product."))
    return out


def doing(area: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for action in area["actions"]:
        text = f"Action {action['number']} of ‘{action['plan']}’: {action['description'].strip()}"
        text = text.rstrip(".") + f" ({action['status']}"
        if action.get("due_date"):
            text += f", due {day_text(date.fromisoformat(action['due_date']))}"
        text += ")."
        if action["impact"]:
            text += " " + " ".join(action["impact"])
        elif action.get("impact_note"):
            text += " " + action["impact_note"]
        out.append(_statement(text, "improvement.action", action_id=action["id"]))
    if not out:
        out.append(_statement("No improvement action in the period answers this area's themes."))
    return out


def area_statements(
    area: dict[str, Any], period_from: date, period_to: date
) -> dict[str, list[dict[str, Any]]]:
    """The statements under each heading, by heading key."""
    period = period_text(period_from, period_to)
    return {"know": know(area, period), "how": how(area, period), "doing": doing(area)}
