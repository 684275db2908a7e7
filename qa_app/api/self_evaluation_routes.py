"""GET /api/v1/self-evaluations: the annual self-evaluation's versions, and one version with
each area's text and its statements' evidence. Read as on the web pages (qa_app.data.reports):
QA leads read every version; other case-level readers of findings read published ones; board
viewers read none (it is internal)."""

from flask import current_app, jsonify, url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, bp
from qa_app.api.openapi import operation
from qa_app.api.schemas.self_evaluation import SelfEvaluation, SelfEvaluationList
from qa_app.api.serialise import iso
from qa_app.data import reports
from qa_app.extensions import db
from qa_app.models import Report, ReportKind
from qa_app.rules.permissions import Person, may

READERS = (
    "QA leads (every version); moderators and senior managers (published versions); never "
    "board viewers (view_findings, internal reports)"
)


def _evidence(user: Person, link) -> str | None:
    if not link:
        return None
    endpoint, args = link
    view = current_app.view_functions.get(endpoint)
    permission = getattr(view, "permission", None)
    if view is None or (permission and not may(user, permission)):
        return None
    try:
        return url_for(endpoint, **args)
    except BuildError:
        return None


def _summary(report: Report) -> dict:
    return {
        "id": report.id,
        "version": report.number,
        "title": report.title,
        "status": report.status,
        "period_from": report.scope["from"],
        "period_to": report.scope["to"],
        "drafted_at": iso(report.created_at),
        "published_at": iso(report.published_at),
    }


@bp.get("/self-evaluations")
@operation(
    "reports",
    "Self-evaluations for Ofsted, every version the caller may read",
    READERS,
    (200, SelfEvaluationList, "Newest first"),
)
@api_requires("view_findings")
def list_self_evaluations():
    found = db.session.scalars(
        select(Report)
        .where(Report.kind == ReportKind.SELF_EVALUATION, reports.readable_filter(api_user()))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(200)
    )
    return jsonify({"items": [_summary(r) for r in found]})


@bp.get("/self-evaluations/<int:report_id>")
@operation(
    "reports",
    "One version of a self-evaluation: each area's text and its statements' evidence",
    READERS,
    (200, SelfEvaluation, "The version, with the figures it was drafted from"),
    404,
    describe="Per judgement area three headings (what we know, how we know, what we are doing "
    "about it): the QA lead's text, and the statements drafted from the data with the web page "
    "each rests on.",
)
@api_requires("view_findings")
def get_self_evaluation(report_id: int):
    user = api_user()
    report = reports.get_report(report_id)
    if report is None or report.kind != ReportKind.SELF_EVALUATION:
        raise ApiError(404, f"No self-evaluation {report_id}")
    if not reports.can_read(user, report):
        raise refuse(user, "You may not read this version")
    sections = [
        {
            "key": s["key"],
            "area": s["area"],
            "area_title": s["area_title"],
            "heading": s["heading"],
            "text": s["text"],
            "statements": [
                {"text": st["text"], "evidence": _evidence(user, st.get("link"))}
                for st in s.get("statements", [])
            ],
        }
        for s in report.sections
    ]
    return jsonify(
        _summary(report)
        | {
            "framework": report.figures.get("framework", ""),
            "sections": sections,
            "figures": report.figures,
        }
    )
