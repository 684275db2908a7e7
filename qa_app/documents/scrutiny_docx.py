"""The scrutiny committee's performance pack as a Word document: the PDF's builder
(scrutiny_pdf.build) written into the house-style DocxDocument, so the Word file holds what the
PDF holds (the trend charts stay in the PDF; their data tables are here). Marked OFFICIAL."""

from typing import Any

from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.scrutiny_pdf import scrutiny_pdf


def scrutiny_docx(
    figures: dict[str, Any],
    sections: list[dict[str, Any]],
    *,
    title: str,
    status: str,
    organisation: str,
) -> bytes:
    return scrutiny_pdf(
        figures,
        sections,
        title=title,
        status=status,
        organisation=organisation,
        document=DocxDocument,
    )
