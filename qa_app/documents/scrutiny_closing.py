"""The closing sections of the scrutiny committee's performance pack, as words and table rows
the three renderers share: demand beside the audit findings (the demand rows' sentences and
the audits line), the practice week's headline findings and quick wins, the audit themes' key
findings and the improvement-plan actions that answer them. A part that is missing or empty
reads as a sentence. Pure: no Flask, no database."""

from typing import Any

from qa_app.data.indicator_scorecard import format_value
from qa_app.documents.improvement_pdf import RAG_LOOK
from qa_app.documents.scrutiny_parts import as_dict, change, number, period_text, uk_date, value
from qa_app.findings.present import counted
from qa_app.models.improvement import ActionStatus

NO_PRACTICE_WEEK = "No practice week was held in this period."
NO_ACTIONS = "No improvement-plan actions are recorded for this period."


DEMAND_HEADER = ["Measure", "This period", "Same period last year", "Change"]


def demand(figures: dict[str, Any]) -> dict[str, Any]:
    """The demand section: its period, the table rows, the sentences and the audits line."""
    d = as_dict(figures.get("demand"))
    rows, sentences = [], []
    for r in d.get("rows") or []:
        if not isinstance(r, dict):
            continue
        unit = str(r.get("unit") or "count")
        rows.append(
            [
                str(r.get("name") or ""),
                value(r.get("value"), unit),
                value(r.get("previous"), unit),
                change(r.get("change")),
            ]
        )
        if r.get("sentence"):
            sentences.append(str(r["sentence"]))
    return {
        "period": period_text(d.get("from"), d.get("to")),
        "rows": rows,
        "sentences": sentences,
        "audits": audits_line(d.get("audits")),
    }


def audits_line(audits: object) -> str:
    """The audits of the period as demand_context words them (per grading scale), else
    "120 audits were completed in the period; 70 (58%) were judged good or better."."""
    if isinstance(audits, dict) and isinstance(audits.get("sentence"), str) and audits["sentence"]:
        return str(audits["sentence"])
    if not isinstance(audits, dict) or not number(audits.get("count")):
        return "No case-file audits were completed in the period."
    count = int(audits["count"])
    text = f"{count:,} audit{'s were' if count != 1 else ' was'} completed in the period"
    good, share = number(audits.get("good_or_better")), number(audits.get("share"))
    if good is not None:
        text += f"; {int(good):,}"
        text += f" ({format_value(share, 'percentage')})" if share is not None else ""
        text += " judged good or better"
    return text + "."


def practice_week(figures: dict[str, Any]) -> dict[str, Any] | None:
    week = figures.get("practice_week")
    if not isinstance(week, dict):
        return None
    return {
        "title": str(week.get("title") or "Practice week"),
        "dates": str(week.get("dates") or ""),
        "headlines": [str(h) for h in week.get("headlines") or [] if str(h).strip()],
        "quick_wins": [str(q) for q in week.get("quick_wins") or [] if str(q).strip()],
    }


def audit_themes(figures: dict[str, Any]) -> dict[str, Any]:
    t = as_dict(figures.get("audit_themes"))
    count = number(t.get("audits"))
    lead = (
        f"Key findings from {counted(int(count), 'case-file audit')} in the period."
        if count
        else "No case-file audits were completed in the period."
    )
    return {
        "lead": lead,
        "strengths": [str(s) for s in t.get("strengths") or [] if str(s).strip()],
        "development": [str(s) for s in t.get("development") or [] if str(s).strip()],
    }


ACTION_HEADER = ["No.", "Action", "Owner", "Due", "Status"]


def action_rows(figures: dict[str, Any]) -> list[list[str]]:
    rows = []
    for a in figures.get("actions") or []:
        if not isinstance(a, dict):
            continue
        rows.append(
            [
                str(a.get("number") or ""),
                str(a.get("description") or ""),
                str(a.get("owner") or ""),
                uk_date(a.get("due_date")) if a.get("due_date") else "no date",
                str(a.get("status_text") or a.get("status") or ""),
            ]
        )
    return rows


def action_fills(figures: dict[str, Any]) -> list[str]:
    """Each action's status tint ('#rrggbb') from its RAG; grey when the status is unknown."""
    out = []
    for a in figures.get("actions") or []:
        if isinstance(a, dict):
            status = str(a.get("status") or "")
            known = status in {s.value for s in ActionStatus}
            out.append(RAG_LOOK[ActionStatus(status).rag if known else "grey"][1])
    return out
