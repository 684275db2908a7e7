"""Drafting, saving and rendering the single-agency report to the safeguarding board.

A QA lead drafts one for an agency and a period (the board's form is in
qa_app.documents.board_form). Versions, drafts, edits and publishing reuse the Report row (kind
"lscb", audience "partnership", series "lscb:<agency>:<from>:<to>"): every draft keeps a frozen
snapshot of the figures it was drafted from (qa_app.services.board_figures) with the drafted text
(qa_app.documents.board_text), a save names the lock version it was based on, and publishing
freezes the version. A stored version renders as PDF or Word from its snapshot alone."""

from datetime import date

from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, add_draft_version, store_text, text_lines
from qa_app.documents.board_docx import board_report_docx
from qa_app.documents.board_form import FINDING_KINDS, form_details
from qa_app.documents.board_pdf import board_report_pdf
from qa_app.documents.board_text import draft_key_findings, draft_sections
from qa_app.extensions import db
from qa_app.findings.disclosure import period_problems
from qa_app.findings.present import period_text
from qa_app.models import Indicator, Report, ReportAudience, ReportKind
from qa_app.rules.uk_time import to_uk, uk_today
from qa_app.services.board_figures import compute_board_figures
from qa_app.services.report_documents import status_line
from qa_app.templates_engine.answers import clean_text

AGENCY_MAX = 120


def series_key(agency: str, date_from: date, date_to: date) -> str:
    return f"lscb:{agency}:{date_from.isoformat()}:{date_to.isoformat()}"[:200]


def default_title(agency: str, date_from: date, date_to: date) -> str:
    """ "Single-agency report to the safeguarding board: Children's Services, November 2013"
    (the period as people say it: qa_app.documents.board_form.period_text)."""
    period = period_text(date_from, date_to)
    return f"Single-agency report to the safeguarding board: {agency}, {period}"[:200]


def _check_scope(agency: str, date_from, date_to) -> str:
    agency = clean_text(agency or "").strip()
    problems = []
    if not agency:
        problems.append(("agency", "Enter the agency the report is for"))
    elif len(agency) > AGENCY_MAX:
        problems.append(("agency", "Keep the agency's name under 120 characters"))
    if date_from is None:
        problems.append(("period_start", "Enter the start of the period"))
    if date_to is None:
        problems.append(("period_end", "Enter the end of the period"))
    if date_from and date_to and date_to < date_from:
        problems.append(("period_end", "The end of the period must be after its start"))
    elif date_from and date_to:
        # the board reads whole months that have ended, as on its findings pages: reports a
        # day apart would otherwise single out an audit (qa_app.findings.disclosure)
        field = {"from": "period_start", "to": "period_end"}
        for name, message in period_problems(date_from, date_to, uk_today()).items():
            problems.append((field[name], message))
    if problems:
        raise ReportError("Check the agency and the period", problems)
    return agency


def build_content(
    agency: str,
    date_from: date,
    date_to: date,
    *,
    indicator_ids: list[int] | None = None,
    today: date,
) -> dict:
    """Figures, sections and key findings, not stored (the command line renders these)."""
    figures = compute_board_figures(
        agency, date_from, date_to, indicator_ids=indicator_ids, today=today
    )
    return {
        "figures": figures,
        "sections": draft_sections(figures),
        "key_findings": draft_key_findings(figures),
    }


def draft(
    *,
    agency: str,
    date_from: date | None,
    date_to: date | None,
    actor,
    today: date,
    indicator_ids: list[int] | None = None,
    title: str | None = None,
) -> Report:
    """A new draft version of the board report for the agency and period, from the data now."""
    agency = _check_scope(agency, date_from, date_to)
    assert date_from is not None and date_to is not None  # _check_scope refuses a missing date
    key = series_key(agency, date_from, date_to)
    content = build_content(agency, date_from, date_to, indicator_ids=indicator_ids, today=today)
    return add_draft_version(
        kind=ReportKind.LSCB,
        series_key=key,
        title=clean_text(title or "").strip()[:200] or default_title(agency, date_from, date_to),
        audience=ReportAudience.PARTNERSHIP,
        scope={
            "agency": agency,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "indicators": indicator_ids,
        },
        content=content,
        actor=actor,
    )


def redraft(report: Report, actor, today: date) -> Report:
    """A new draft from the same agency, period and indicators with today's data."""
    scope = report.scope
    return draft(
        agency=scope["agency"],
        date_from=date.fromisoformat(scope["from"]),
        date_to=date.fromisoformat(scope["to"]),
        indicator_ids=scope.get("indicators"),
        actor=actor,
        today=today,
        title=report.title,
    )


def save_text(
    report: Report,
    *,
    sections: dict[str, str],
    findings: dict[str, str],
    based_on: int,
    actor,
) -> None:
    """Save the QA lead's text for each section and the key findings (one per line)."""
    if report.kind != ReportKind.LSCB:
        raise ReportError("This is not a board report")
    kept = report.key_findings
    new_findings = {
        name: text_lines(findings[name]) if findings.get(name) is not None else kept.get(name, [])
        for name, _label in FINDING_KINDS
    }
    store_text(report, sections=sections, findings=new_findings, based_on=based_on, actor=actor)


def active_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.active.is_(True))
            .order_by(Indicator.position, Indicator.name)
        )
    )


# ---- rendering a stored version ---------------------------------------------------------------


def report_details(report: Report) -> list[tuple[str, str]]:
    """Author, agency, date of report (published, or drafted for a draft) and period."""
    author = report.created_by.display_name if report.created_by else ""
    when = report.published_at or report.created_at
    return form_details(report.figures, author, to_uk(when).date() if when else None)


def render_inputs(report: Report, status: str | None = None) -> dict:
    return {
        "details": report_details(report),
        "title": report.title,
        "sections": report.sections,
        "key_findings": report.key_findings,
        "figures": report.figures,
        "status": status or status_line(report),
        "organisation": f"{get_settings().council_name}: children's services",
    }


def pdf_bytes(report: Report, status: str | None = None) -> bytes:
    return board_report_pdf(**render_inputs(report, status))


def docx_bytes(report: Report, status: str | None = None) -> bytes:
    return board_report_docx(**render_inputs(report, status))
