"""Drafting a cycle or period report from the findings, and publishing a version: the figures
for the report's audience (qa_app.findings.disclosure), the narrative and key findings drafted
from them (qa_app.documents.narrative), and the check for identifiers before a report leaves
the internal tier (qa_app.services.publication_check). The Report rows themselves (reading,
access, saving the QA lead's text) are qa_app.data.reports.

An internal report keeps the case-level list of actions raised and is marked
OFFICIAL-SENSITIVE; a report for publication is drafted from the board-tier copy of the figures
(small numbers hidden, nothing per auditor, no case references) and is what board viewers read."""

from datetime import date
from urllib.parse import urlencode

from qa_app.data import changelog, notification_events
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, add_draft_version, claim_version
from qa_app.documents.narrative import draft_key_findings, draft_sections
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.findings.audiences import rules_for
from qa_app.findings.disclosure import for_audience, period_problems
from qa_app.findings.present import period_text
from qa_app.findings.queries import action_list
from qa_app.models import (
    AuditCycle,
    Report,
    ReportAudience,
    ReportKind,
    ReportStatus,
    utcnow,
)
from qa_app.rules.uk_time import uk_today
from qa_app.services.publication_check import report_problems
from qa_app.templates_engine.answers import clean_text


class PublicationRefused(ReportError):
    """Text that would leave the internal tier holds what looks like an identifier: `found`
    lists the places (qa_app.services.publication_check.Problem); nothing was published."""

    def __init__(self, found: list):
        super().__init__(
            "This version cannot be published until the text is fixed: each place listed holds "
            "what looks like a case reference or another identifier",
            [(p.field, p.message) for p in found],
        )
        self.found = found


def report_filters(cycle: AuditCycle | None, filters: Filters) -> Filters:
    """A cycle's report covers the cycle's audits whenever they were completed."""
    if cycle is not None:
        return Filters(cycle_id=cycle.id, template=filters.template, team_id=filters.team_id)
    return filters


def default_title(cycle: AuditCycle | None, filters: Filters) -> str:
    if cycle is not None:
        return f"Audit cycle report: {cycle.name}"
    if filters.date_from and filters.date_to:
        return f"Audit findings, {period_text(filters.date_from, filters.date_to)}"
    return "Audit findings"


def series_key(cycle: AuditCycle | None, filters: Filters, audience: str) -> str:
    scope = (
        f"cycle:{cycle.id}"
        if cycle is not None
        else "period:" + urlencode(sorted(filters.to_args().items()))
    )
    return f"{scope}:{audience}"[:200]


def build_content(
    filters: Filters, audience: str, *, cycle: AuditCycle | None = None, today: date | None = None
) -> dict:
    """Figures, narrative and key findings for a report, not stored: used to draft a version
    and by the command line to render a report that has not been drafted."""
    rules = rules_for(audience, get_settings())
    figures = for_audience(filters, rules, compute_findings)
    if cycle is not None:
        figures["cycle"] = {
            "name": cycle.name,
            "period_start": cycle.period_start.isoformat(),
            "period_end": cycle.period_end.isoformat(),
        }
    limit = rules.threshold
    if rules.case_level:
        figures["action_list"] = action_list(filters, today or uk_today())
    else:
        figures["action_list"] = []
    figures["audience"] = rules.audience.value
    return {
        "figures": figures,
        "sections": draft_sections(figures, limit),
        "key_findings": draft_key_findings(figures, limit),
    }


def _check_scope(cycle: AuditCycle | None, filters: Filters, audience: str) -> None:
    """Below the internal tier a period report covers whole months that have ended, and a
    report for the public covers a period alone (qa_app.findings.disclosure)."""
    rules = rules_for(audience, get_settings())
    if rules.case_level:
        return
    if rules.suppresses and (cycle is not None or filters.team_id or filters.template):
        raise ReportError(
            "A report where small numbers are hidden covers a period of whole months alone",
            [("cycle", "Choose no cycle and no template, and a period of whole months")],
        )
    if cycle is None:
        problems = period_problems(filters.date_from, filters.date_to, uk_today())
        if problems:
            field = {"from": "period_start", "to": "period_end"}
            raise ReportError(
                "A report outside the QA team covers whole months that have ended",
                [(field[name], message) for name, message in problems.items()],
            )


def draft(
    *,
    cycle: AuditCycle | None,
    filters: Filters,
    audience: str,
    actor,
    title: str | None = None,
) -> Report:
    """A new draft version in the report's series, drafted from the data as it is now."""
    if audience not in {a.value for a in ReportAudience}:
        raise ReportError("Choose who the report is for", [("audience", "Choose who it is for")])
    if cycle is None and not (filters.date_from and filters.date_to):
        raise ReportError(
            "Choose a cycle or a period", [("cycle", "Choose a cycle, or enter a period")]
        )
    _check_scope(cycle, filters, audience)
    filters = report_filters(cycle, filters)
    key = series_key(cycle, filters, audience)
    content = build_content(filters, audience, cycle=cycle)
    return add_draft_version(
        kind=ReportKind.CYCLE,
        series_key=key,
        title=clean_text(title or "")[:200] or default_title(cycle, filters),
        audience=audience,
        scope=filters.to_args(),
        content=content,
        actor=actor,
        cycle_id=cycle.id if cycle else None,
    )


def redraft(report: Report, actor) -> Report:
    """A new draft of a cycle or period report from the same scope with today's data; the
    earlier versions are kept (a board report: qa_app.services.board_reports.redraft)."""
    return draft(
        cycle=report.cycle,
        filters=Filters.from_args(report.scope)[0],
        audience=report.audience,
        actor=actor,
        title=report.title,
    )


def publish(report: Report, *, based_on: int, actor) -> None:
    """Freeze the draft as published. Earlier published versions stay as they were. A report
    for the partnership or the public is refused (PublicationRefused) while any of its text
    holds what looks like an identifier."""
    if report.status == ReportStatus.DRAFT and (found := report_problems(report)):
        raise PublicationRefused(found)
    claim_version(report, based_on)
    report.status = ReportStatus.PUBLISHED
    report.published_at = utcnow()
    report.published_by_id = actor.id
    changelog.record(actor, "report", report.id, "published", {"version": report.number})
    notification_events.report_published(report, actor=actor)
    db.session.commit()
