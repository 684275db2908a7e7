"""Report versions: editing a draft's narrative (with the lock version it was based on), and
who may read which version. Every write is recorded in the change log with who and when; a
published version never changes again. Drafting a version from the findings and publishing it
are qa_app.services.report_drafting (cycle and period reports) and
qa_app.services.board_reports (the report to the safeguarding board)."""

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError

from qa_app.data import changelog, locking
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import AuditCycle, Report, ReportAudience, ReportStatus, User
from qa_app.rules.permissions import Person, may
from qa_app.templates_engine.answers import clean_text

MAX_SECTION_TEXT = 20_000
MAX_FINDINGS = 20
MAX_FINDING_TEXT = 1_000


class ReportError(ValueError):
    """Why a report cannot be changed. `problems` lists (field, message) pairs."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


class StaleReport(ReportError):
    """The draft changed since the person loaded it."""


def threshold() -> int:
    return get_settings().small_number_threshold


DRAFT_ATTEMPTS = 3


def next_number(series_key: str) -> int:
    """The number the series' next version takes."""
    stmt = select(func.max(Report.number)).where(Report.series_key == series_key)
    return (db.session.scalar(stmt) or 0) + 1


def add_draft_version(
    *,
    kind: str,
    series_key: str,
    title: str,
    audience: str,
    scope: dict[str, Any],
    content: dict[str, Any],
    actor: User | None,
    cycle_id: int | None = None,
) -> Report:
    """A new draft version at the end of the series `series_key`, holding the drafted
    `content` (figures, sections, key findings), recorded in the change log; commits. Every
    report kind drafts through here (qa_app.services.report_drafting, board_reports,
    scrutiny_reports)."""
    for attempt in range(DRAFT_ATTEMPTS):
        number = next_number(series_key)
        report = Report(
            kind=kind,
            series_key=series_key,
            number=number,
            title=title,
            audience=audience,
            status=ReportStatus.DRAFT,
            cycle_id=cycle_id,
            scope=scope,
            created_by_id=getattr(actor, "id", None),
            **{"key_findings": {}, **content},
        )
        db.session.add(report)
        try:
            db.session.flush()
            break
        except IntegrityError:  # someone drafted the same number at the same moment: next one
            db.session.rollback()
            if attempt == DRAFT_ATTEMPTS - 1:
                raise
    changelog.record(
        actor,
        "report",
        report.id,
        "drafted",
        {
            "series": series_key,
            "version": number,
            "kind": kind,
            "audience": audience,
            "title": title,
        },
    )
    db.session.commit()
    return report


def claim_version(report: Report, based_on: int) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ReportError("This version has been published and can no longer be changed")
    if not locking.claim_version(report, based_on, Report.status == ReportStatus.DRAFT):
        raise StaleReport(
            "Someone else changed or published this draft since you opened it. "
            "Your text is below: copy what you need, then open the draft again."
        )


def text_lines(text: str) -> list[str]:
    return [clean_text(line).strip() for line in (text or "").splitlines() if line.strip()]


def save_text(
    report: Report,
    *,
    sections: dict[str, str],
    strengths: str,
    development: str,
    based_on: int,
    actor: User | None,
    concerns: str | None = None,
) -> None:
    """Save the QA lead's narrative and key findings (one per line) to a draft. Concerns not
    given keep what the draft has (a report drafted before concerns were listed has none)."""
    findings = {"strengths": text_lines(strengths), "development": text_lines(development)}
    if concerns is not None:
        findings["concerns"] = text_lines(concerns)
    elif "concerns" in report.key_findings:
        findings["concerns"] = report.key_findings["concerns"]
    store_text(report, sections=sections, findings=findings, based_on=based_on, actor=actor)


def store_text(
    report: Report,
    *,
    sections: dict[str, str],
    findings: dict[str, list[str]],
    based_on: int,
    actor: User | None,
) -> None:
    """Check and save a draft's section texts (by section key; a section not given keeps its
    text) and its key findings (lists by kind), from the version `based_on`; commits. Every
    kind of report edits its text through here."""
    problems = []
    new_sections = []
    for section in report.sections:
        text = clean_text(sections.get(section["key"], section["text"]) or "").strip()
        if len(text) > MAX_SECTION_TEXT:
            problems.append(
                (f"section__{section['key']}", f"Keep {section['title']} under 20,000 characters")
            )
        new_sections.append(section | {"text": text})
    for name, items in findings.items():
        if len(items) > MAX_FINDINGS or any(len(i) > MAX_FINDING_TEXT for i in items):
            problems.append(
                (name, "List at most 20 findings, one per line, each under 1,000 characters")
            )
    if problems:
        raise ReportError("Check the text", problems)
    claim_version(report, based_on)
    before = {s["key"]: s["text"] for s in report.sections} | {
        f"key_findings.{k}": v for k, v in report.key_findings.items()
    }
    after = {s["key"]: s["text"] for s in new_sections} | {
        f"key_findings.{k}": v for k, v in findings.items()
    }
    report.sections = new_sections
    report.key_findings = findings
    changelog.record(actor, "report", report.id, "edited", changelog.diff(before, after))
    db.session.commit()


# ---- reading ---------------------------------------------------------------------------------


def get_report(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


def can_read(user: Person, report: Report) -> bool:
    """QA leads read every version; other readers of findings read published versions, and
    only case-level roles read internal ones. Board viewers read published reports for
    publication, nothing else."""
    if may(user, "manage_reports"):
        return True
    if not (may(user, "view_findings") and report.is_published):
        return False
    return report.audience != ReportAudience.INTERNAL or may(user, "view_all_audits")


def readable_filter(user: Person) -> ColumnElement[bool]:
    if may(user, "manage_reports"):
        return Report.id.is_not(None)
    if not may(user, "view_findings"):
        return Report.id.is_(None)
    published = Report.status == ReportStatus.PUBLISHED
    if may(user, "view_all_audits"):
        return published
    return published & (Report.audience != ReportAudience.INTERNAL)


def list_reports(user: Person, limit: int = 200) -> list[Report]:
    stmt = (
        select(Report)
        .where(readable_filter(user))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def versions(report: Report, user: Person) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.series_key == report.series_key, readable_filter(user))
        .order_by(Report.number.desc())
    )
    return list(db.session.scalars(stmt))


def latest_published(cycle: AuditCycle, audience: str) -> Report | None:
    stmt = (
        select(Report)
        .where(
            Report.cycle_id == cycle.id,
            Report.audience == audience,
            Report.status == ReportStatus.PUBLISHED,
        )
        .order_by(Report.number.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def latest_published_in(series_key: str) -> Report | None:
    """The series' latest published version (a board report's agency and period, a scrutiny
    pack's month), or None."""
    stmt = (
        select(Report)
        .where(Report.series_key == series_key, Report.status == ReportStatus.PUBLISHED)
        .order_by(Report.number.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)
