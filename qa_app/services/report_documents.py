"""A stored report version as PDF, Word or XLSX: the one place that turns a Report row and the
council's settings into the renderers' inputs (qa_app.documents.cycle_pdf, xlsx), used by the
pages and the command line alike. The Word file is the PDF's builder written into the
house-style Word document (qa_app.documents.docx_base)."""

from typing import Any

from qa_app.data.organisation import get_settings
from qa_app.documents.cycle_pdf import cycle_report_pdf
from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.xlsx import workbook
from qa_app.models import Report, ReportAudience
from qa_app.rules.uk_time import uk_date


def status_line(report: Report) -> str:
    if report.is_published:
        who = report.published_by.display_name if report.published_by else "the QA lead"
        return f"Version {report.number}, published {uk_date(report.published_at)} by {who}"
    return f"Draft version {report.number}: not for circulation"


def status_beside_tag(report: Report) -> str:
    """The status line on a report's page, after its Published or Draft tag, which already says
    which: "Version 2, published 7 December 2026 by Sam Lead", "Version 1, not for circulation"
    (never "Draft Draft version 1")."""
    if report.is_published:
        who = report.published_by.display_name if report.published_by else "the QA lead"
        return f"Version {report.number}, {uk_date(report.published_at)}, by {who}"
    return f"Version {report.number}, not for circulation"


def _inputs(report: Report) -> dict[str, Any]:
    settings = get_settings()
    return {
        "title": report.title,
        "sections": report.sections,
        "key_findings": report.key_findings,
        "figures": report.figures,
        "threshold": report.figures.get("suppression", {}).get(
            "threshold", settings.small_number_threshold
        ),
    }


def pdf_bytes(report: Report, *, status: str | None = None) -> bytes:
    settings = get_settings()
    return cycle_report_pdf(
        **_inputs(report),
        internal=report.audience == ReportAudience.INTERNAL,
        status=status or status_line(report),
        organisation=f"{settings.council_name}: children's services quality assurance",
    )


def docx_bytes(report: Report, *, status: str | None = None) -> bytes:
    settings = get_settings()
    return cycle_report_pdf(
        **_inputs(report),
        internal=report.audience == ReportAudience.INTERNAL,
        status=status or status_line(report),
        organisation=f"{settings.council_name}: children's services quality assurance",
        document=DocxDocument,
    )


def xlsx_bytes(report: Report) -> bytes:
    inputs = _inputs(report)
    return workbook(
        inputs["title"],
        inputs["sections"],
        inputs["key_findings"],
        inputs["figures"],
        inputs["threshold"],
    )
