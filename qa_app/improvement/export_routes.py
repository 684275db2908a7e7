"""Downloads of an improvement plan: XLSX, PDF and Word, for everyone who may read the plan.
qa_app.services.improvement_exports gathers the plan and the renderers write it
(qa_app.documents.improvement_pdf / improvement_docx / improvement_xlsx); these views only find
the plan and name the file."""

from flask import Blueprint, abort

from qa_app.data.improvement_queries import get_plan
from qa_app.rules.uk_time import uk_today
from qa_app.services.improvement_exports import plan_docx_bytes, plan_pdf_bytes, plan_xlsx_bytes
from qa_app.web.downloads import download
from qa_app.web.security import requires

bp = Blueprint("improvement_exports", __name__, url_prefix="/improvement")


def _plan(plan_id: int):
    plan = get_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


@bp.route("/plans/<int:plan_id>/plan.xlsx")
@requires("view_improvement_plan")
def plan_xlsx(plan_id: int):
    plan, today = _plan(plan_id), uk_today()
    return download(plan_xlsx_bytes(plan, today), f"improvement-plan-{plan.id}-{today}.xlsx")


@bp.route("/plans/<int:plan_id>/plan.pdf")
@requires("view_improvement_plan")
def plan_pdf(plan_id: int):
    plan, today = _plan(plan_id), uk_today()
    return download(plan_pdf_bytes(plan, today), f"improvement-plan-{plan.id}-{today}.pdf")


@bp.route("/plans/<int:plan_id>/plan.docx")
@requires("view_improvement_plan")
def plan_docx(plan_id: int):
    plan, today = _plan(plan_id), uk_today()
    return download(plan_docx_bytes(plan, today), f"improvement-plan-{plan.id}-{today}.docx")
