"""The improvement plan as a Word document: the PDF's builder (improvement_pdf.plan_pdf)
written into the house-style DocxDocument, so the Word file holds what the PDF holds, RAG
status cells tinted alike. Marked OFFICIAL: the plan holds no case-level data."""

from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.improvement_pdf import PlanExport, plan_pdf


def plan_docx(export: PlanExport) -> bytes:
    return plan_pdf(export, document=DocxDocument)
