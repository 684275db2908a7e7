"""The practice-week report as a Word document: the same builder as the PDF
(qa_app.documents.practice_week_pdf.build) written into the house-style DocxDocument, so the two
hold the same text, the one-page summary first. No Flask here."""

from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.practice_week_pdf import WeekReport, build, document_args


def practice_week_docx(view: WeekReport, *, organisation: str, status: str | None = None) -> bytes:
    return build(
        DocxDocument(**document_args(view, organisation=organisation, status=status)), view
    )
