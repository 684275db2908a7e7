"""The improvement plan as a Word document: the PDF's builder (improvement_pdf.plan_pdf)
written into the house-style DocxDocument, so the Word file holds what the PDF holds, RAG
status cells tinted alike. Marked OFFICIAL: the plan holds no case-level data."""

from datetime import date

from qa_app.documents.docx_base import DocxDocument
from qa_app.documents.improvement_pdf import plan_export, plan_pdf
from qa_app.models import ImprovementPlan


def plan_docx_bytes(plan: ImprovementPlan, today: date) -> bytes:
    return plan_pdf(plan_export(plan, today), document=DocxDocument)
