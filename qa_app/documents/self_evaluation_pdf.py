"""The annual self-evaluation as a PDF or a Word document (one builder, either class): per
judgement area the three headings and the QA lead's text under each, as the stored version
holds them. Internal tier, marked OFFICIAL-SENSITIVE: it is the council's own account to
Ofsted, with case-level evidence behind it."""

from datetime import date
from typing import Any

from qa_app.documents.builder import BuilderClass
from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.findings.present import period_text

OWN_DOCUMENT = (
    "This is the council's own self-evaluation for Ofsted: what we know about the quality and "
    "impact of our practice, how we know it, and what we are doing about it. It is drafted "
    "from the audits, indicators, practice weeks and improvement plan in this service, and "
    "each statement rests on evidence held on the internal tier."
)


def period_of(figures: dict[str, Any]) -> str:
    period = figures["period"]
    return period_text(date.fromisoformat(period["from"]), date.fromisoformat(period["to"]))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def build(
    figures: dict[str, Any],
    sections: list[dict[str, Any]],
    *,
    title: str,
    status: str,
    organisation: str,
    document: BuilderClass = ReportDocument,
) -> bytes:
    doc = document(
        title,
        subtitle="Annual self-evaluation of social work practice",
        organisation=organisation,
        marking=Marking.OFFICIAL_SENSITIVE,
        status_line=status,
        meta=[
            ("Period", period_of(figures)),
            ("Framework", str(figures.get("framework") or "")),
            ("Audience", "Internal: the council's own document to Ofsted"),
        ],
    )
    with doc.first_page():
        doc.paragraph(OWN_DOCUMENT)
    current_area = None
    for section in sections:
        if section.get("area") != current_area:
            current_area = section.get("area")
            doc.heading(str(section.get("area_title") or section["title"]), 1)
        doc.heading(str(section.get("heading") or section["title"]), 2)
        paragraphs = _paragraphs(section.get("text", ""))
        if not paragraphs:
            doc.note("Nothing written under this heading yet.")
        for paragraph in paragraphs:
            doc.paragraph(paragraph)
    return doc.build()


def self_evaluation_pdf(
    figures: dict[str, Any], sections: list[dict[str, Any]], **kw: Any
) -> bytes:
    return build(figures, sections, **kw)


def self_evaluation_docx(
    figures: dict[str, Any], sections: list[dict[str, Any]], **kw: Any
) -> bytes:
    return build(figures, sections, document=DocxDocument, **kw)
