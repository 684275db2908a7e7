"""Drafting, saving and rendering the annual self-evaluation (what we know about the quality
and impact of practice, how we know, what we are doing about it, per judgement area).

A QA lead drafts one for a period (default: the last twelve whole months, UK time). Versions,
edits and publishing reuse the Report row (kind "self_evaluation", audience "internal", series
"self_evaluation:<from>:<to>"): every draft keeps a frozen snapshot of the figures
(qa_app.services.self_evaluation_figures) and a section per area and heading whose drafted
text is its statements, one a paragraph; each section keeps its statements with their evidence
links beside the text the QA lead edits. The judgement areas come from the framework file
(qa_app.data.judgement_areas), so a new framework needs no code."""

from datetime import date
from typing import Any

from qa_app.data.judgement_areas import load
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, add_draft_version, store_text
from qa_app.documents.self_evaluation_pdf import self_evaluation_docx, self_evaluation_pdf
from qa_app.documents.self_evaluation_text import HEADINGS, area_statements
from qa_app.findings.present import period_text
from qa_app.models import Report, ReportAudience, ReportKind
from qa_app.services.report_documents import status_line
from qa_app.services.self_evaluation_figures import (
    compute_self_evaluation_figures,
    default_period,
)
from qa_app.templates_engine.answers import clean_text

__all__ = ["default_period"]
MAX_DAYS = 2 * 366


def series_key(date_from: date, date_to: date) -> str:
    return f"self_evaluation:{date_from.isoformat()}:{date_to.isoformat()}"


def default_title(date_from: date, date_to: date) -> str:
    return f"Self-evaluation of social work practice, {period_text(date_from, date_to)}"


def draft_sections(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """A section per area and heading: its statements, and their text as the starting point."""
    start = date.fromisoformat(figures["period"]["from"])
    end = date.fromisoformat(figures["period"]["to"])
    sections = []
    for area in figures["areas"]:
        statements = area_statements(area, start, end)
        for key, heading in HEADINGS:
            sections.append(
                {
                    "key": f"{area['key']}:{key}",
                    "title": f"{area['title']}: {heading}",
                    "area": area["key"],
                    "area_title": area["title"],
                    "heading": heading,
                    "statements": statements[key],
                    "text": "\n\n".join(s["text"] for s in statements[key]),
                }
            )
    return sections


def build_content(date_from: date, date_to: date, *, today: date) -> dict[str, Any]:
    figures = compute_self_evaluation_figures(load(), date_from, date_to, today=today)
    return {"figures": figures, "sections": draft_sections(figures)}


def check_period(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    problems = []
    if date_from is None:
        problems.append(("period_start", "Enter the first day of the period"))
    if date_to is None:
        problems.append(("period_end", "Enter the last day of the period"))
    if date_from and date_to:
        if date_to < date_from:
            problems.append(("period_end", "The period must end on or after its first day"))
        elif date_to >= today:
            problems.append(("period_end", "Choose a period that has ended"))
        elif (date_to - date_from).days > MAX_DAYS:
            problems.append(("period_start", "Choose a period of at most two years"))
    if problems or date_from is None or date_to is None:
        raise ReportError("Check the period", problems)
    return date_from, date_to


def draft(
    date_from: date | None, date_to: date | None, actor, today: date, title: str | None = None
) -> Report:
    """A new draft version of the period's self-evaluation, from the data now."""
    start, end = check_period(date_from, date_to, today)
    return add_draft_version(
        kind=ReportKind.SELF_EVALUATION,
        series_key=series_key(start, end),
        title=clean_text(title or "").strip()[:200] or default_title(start, end),
        audience=ReportAudience.INTERNAL,
        scope={"from": start.isoformat(), "to": end.isoformat()},
        content=build_content(start, end, today=today),
        actor=actor,
    )


def redraft(report: Report, actor, today: date) -> Report:
    """A new draft for the same period with today's data; earlier versions are kept."""
    start = date.fromisoformat(report.scope["from"])
    end = date.fromisoformat(report.scope["to"])
    return draft(start, end, actor, today, title=report.title)


def save_text(report: Report, *, sections: dict[str, str], based_on: int, actor) -> None:
    """Save the QA lead's text for each section (a section not given keeps its text)."""
    if report.kind != ReportKind.SELF_EVALUATION:
        raise ReportError("This is not a self-evaluation")
    store_text(report, sections=sections, findings={}, based_on=based_on, actor=actor)


# ---- rendering a stored version ---------------------------------------------------------------


def render_inputs(report: Report, status: str | None = None) -> dict[str, Any]:
    return {
        "title": report.title,
        "status": status or status_line(report),
        "organisation": f"{report.figures.get('council') or get_settings().council_name}: "
        "children's services",
    }


def pdf_bytes(report: Report, status: str | None = None) -> bytes:
    return self_evaluation_pdf(report.figures, report.sections, **render_inputs(report, status))


def docx_bytes(report: Report, status: str | None = None) -> bytes:
    return self_evaluation_docx(report.figures, report.sections, **render_inputs(report, status))
