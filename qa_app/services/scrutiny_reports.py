"""Drafting, saving and rendering the performance pack for the scrutiny committee.

A QA lead drafts one for a month. Versions, drafts, edits and publishing reuse the Report row
(kind "scrutiny", audience "partnership", series "scrutiny:<YYYY-MM>"): every draft keeps a
frozen snapshot of the figures (qa_app.services.scrutiny_figures) with the drafted text of each
area (the month's manager commentary on its indicators, then the figure prompts of
qa_app.documents.scrutiny_sentences; the closing sections' text starts empty, since their
figures are shown as they are). A save names the lock version it was based on; publishing
(qa_app.services.report_drafting.publish, as every report) checks the text for identifiers and
freezes the version. A stored version renders as PDF, Word or slides from its snapshot and
sections alone."""

from datetime import date
from typing import Any

from sqlalchemy import select

from qa_app.data.indicator_scorecard import add_months, first_of_month
from qa_app.data.indicator_values import commentaries_for, latest_month
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, add_draft_version, store_text, text_lines
from qa_app.documents import scrutiny_sentences as words
from qa_app.documents.scrutiny_docx import scrutiny_docx
from qa_app.documents.scrutiny_pdf import scrutiny_pdf
from qa_app.documents.scrutiny_pptx import scrutiny_pptx
from qa_app.extensions import db
from qa_app.findings.disclosure import month_end
from qa_app.models import Indicator, Report, ReportAudience, ReportKind
from qa_app.services.report_documents import status_line
from qa_app.services.scrutiny_figures import compute_scrutiny_figures
from qa_app.templates_engine.answers import clean_text

CLOSING = (
    ("demand", "Demand beside the audits"),
    ("practice_week", "Practice week"),
    ("audit_themes", "Audit themes"),
    ("actions", "Actions in the improvement plan"),
)


def series_key(month: date) -> str:
    return f"scrutiny:{month:%Y-%m}"


def default_title(month: date) -> str:
    return f"Children's social care performance: report to the scrutiny committee, {month:%B %Y}"


def default_month(today: date) -> date:
    """The latest month with indicator values that has ended (else the month before today's)."""
    latest = latest_month()
    last_ended = add_months(first_of_month(today), -1)
    return min(latest, last_ended) if latest else last_ended


def draft_sections(figures: dict[str, Any], commentary: dict[str, str]) -> list[dict[str, str]]:
    """A section per area (the month's manager commentary on its indicators, then figure
    prompts to rewrite), then the closing four, empty. `commentary` is by indicator code."""
    sections = []
    for area in figures["areas"]:
        notes = [
            line
            for ind in area["indicators"]
            for line in text_lines(commentary.get(ind["code"], ""))
        ]
        sections.append(
            {
                "key": f"area:{area['key']}",
                "title": area["title"],
                "text": words.area_text(area, notes),
            }
        )
    # The closing four state their figures (demand, the practice week's findings and quick
    # wins, the audit themes, the actions) from the frozen figures in every output; their text
    # is the QA lead's commentary on them, which starts empty rather than repeating them.
    return sections + [{"key": k, "title": t, "text": ""} for k, t in CLOSING]


def month_commentary(month: date) -> dict[str, str]:
    """The month's commentary on each indicator, by code (two queries)."""
    notes = commentaries_for(month)
    if not notes:
        return {}
    rows = db.session.execute(
        select(Indicator.id, Indicator.code).where(Indicator.id.in_(list(notes)))
    )
    codes = {indicator_id: code for indicator_id, code in rows}
    return {codes[i]: c.text for i, c in notes.items() if i in codes}


def build_content(month: date, *, today: date) -> dict[str, Any]:
    figures = compute_scrutiny_figures(month, today=today)
    return {"figures": figures, "sections": draft_sections(figures, month_commentary(month))}


def _check_month(month: date | None, today: date) -> date:
    if month is None:
        raise ReportError("Choose the month", [("month", "Choose the month the pack is for")])
    month = first_of_month(month)
    if month_end(month) >= today:
        raise ReportError(
            "The pack covers a month that has ended",
            [("month", "Choose a month that has ended")],
        )
    return month


def draft(month: date | None, actor, today: date, title: str | None = None) -> Report:
    """A new draft version of the month's pack, from the data now."""
    month = _check_month(month, today)
    key = series_key(month)
    content = build_content(month, today=today)
    return add_draft_version(
        kind=ReportKind.SCRUTINY,
        series_key=key,
        title=clean_text(title or "").strip()[:200] or default_title(month),
        audience=ReportAudience.PARTNERSHIP,
        scope={"month": month.isoformat()},
        content=content,
        actor=actor,
    )


def redraft(report: Report, actor, today: date) -> Report:
    """A new draft for the same month with today's data; earlier versions are kept."""
    return draft(date.fromisoformat(report.scope["month"]), actor, today, title=report.title)


def save_text(report: Report, *, sections: dict[str, str], based_on: int, actor) -> None:
    """Save the QA lead's text for each section (a section not given keeps its text)."""
    if report.kind != ReportKind.SCRUTINY:
        raise ReportError("This is not a scrutiny pack")
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
    return scrutiny_pdf(report.figures, report.sections, **render_inputs(report, status))


def docx_bytes(report: Report, status: str | None = None) -> bytes:
    return scrutiny_docx(report.figures, report.sections, **render_inputs(report, status))


def pptx_bytes(report: Report, status: str | None = None) -> bytes:
    return scrutiny_pptx(report.figures, report.sections, **render_inputs(report, status))
