"""API views for audits: list, start, read, edit (PATCH), submit. Access exactly as the web:
qa_app.data.audit_access decides who sees and edits which audit."""

from flask import current_app, jsonify, url_for

from qa_app.api import patch, serialise
from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, bp, json_body
from qa_app.api.cycles_data import list_audits as query_audits
from qa_app.api.cycles_data import start_audit
from qa_app.api.openapi import operation
from qa_app.api.routes import CASE_LEVEL, QA_LEAD, created, domain_error, team_by_name
from qa_app.api.schemas import audits as shapes
from qa_app.api.schemas.queries import AuditQuery
from qa_app.api.validation import checked_body, read_body, read_query
from qa_app.data import audit_access
from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.audits import AuditLocked, StaleAudit
from qa_app.data.users import find_by_username
from qa_app.models import Audit
from qa_app.web.calendar import council_calendar


@bp.get("/audits")
@operation(
    "audits",
    "Audits the caller may see",
    CASE_LEVEL,
    (200, shapes.AuditList, "One page, oldest first"),
    query=AuditQuery,
    describe="Auditors see their own audits and those of the cycles they audit in; QA leads, "
    "moderators and senior managers see all.",
)
@api_requires("do_audits")
def list_audits():
    query, problems = read_query(AuditQuery)
    problems.check()
    audits, total = query_audits(
        api_user(),
        cycle_id=query.cycle_id,
        status=query.status,
        mine=query.mine,
        limit=query.limit,
        offset=query.offset,
    )
    return jsonify(
        {
            "items": [serialise.audit_summary(a) for a in audits],
            "total": total,
            "limit": query.limit,
            "offset": query.offset,
        }
    )


@bp.post("/audits")
@operation(
    "audits",
    "Start an audit of a case",
    QA_LEAD,
    (201, shapes.Audit, "The new audit; Location names it"),
    body=shapes.AuditCreate,
    describe="Optionally in a cycle, assigned to an auditor (never one from the case's own "
    "team unless own_team_override), due on a date. A new case needs its team.",
)
@api_requires("manage_cycles")
def create_audit():
    body, problems = read_body(shapes.AuditCreate)
    template = template_data.get_template(body.template) if body.template else None
    if body.template and template is None:
        problems.add("template", f"No template {body.template!r}")
    cycle = cycle_data.get_cycle(body.cycle_id) if body.cycle_id is not None else None
    if body.cycle_id is not None and cycle is None:
        problems.add("cycle_id", f"No cycle {body.cycle_id}")
    auditor = find_by_username(body.auditor) if body.auditor else None
    if body.auditor and auditor is None:
        problems.add("auditor", f"No account {body.auditor!r}")
    team = team_by_name(body.team, problems)
    problems.check()
    try:
        audit = start_audit(
            case_reference=body.case_reference,
            template=template,
            cycle=cycle,
            auditor=auditor,
            due_date=body.due_date,
            team=team,
            worker=body.worker,
            own_team_override=bool(body.own_team_override),
            actor=api_user(),
        )
    except cycle_data.CycleError as error:
        raise domain_error(error) from None
    audit = audit_data.get_audit(audit.id)
    return created(
        serialise.audit_detail(audit, api_user()), url_for(".get_audit", audit_id=audit.id)
    )


def _audit(audit_id: int, *, edit: bool = False) -> Audit:
    user = api_user()
    audit = audit_data.get_audit(audit_id)
    if audit is None:
        raise ApiError(404, f"No audit {audit_id}")
    if not audit_access.can_view(user, audit):
        raise refuse(user)
    if edit and not audit_access.can_edit(user, audit):
        if audit.auditor_id == user.id and audit.status not in audit_data.EDITABLE:
            raise _locked(audit)
        raise refuse(user, "Only the audit's auditor may change it, until it is submitted")
    return audit


def _locked(audit: Audit) -> ApiError:
    return ApiError(
        409,
        "The audit has been submitted and can no longer be changed",
        extra={"lock_version": audit.lock_version, "changes_since": []},
    )


def _stale(error: StaleAudit) -> ApiError:
    audit = error.audit
    steps = getattr(error, "steps_saved", 0)
    return ApiError(
        409,
        f"The audit is at version {audit.lock_version}, not {error.based_on}: someone changed "
        "it since you read it, so your changes were not saved"
        + (
            f" (except the first {steps} step{'s' if steps != 1 else ''}, saved before the "
            "other change)"
            if steps
            else ""
        )
        + ". Read the audit again and send your changes with its new lock_version.",
        field="lock_version",
        extra={
            "lock_version": audit.lock_version,
            "changes_since": [serialise.change(e) for e in error.changes_since()],
        },
    )


def _detail(audit_id: int):
    return jsonify(serialise.audit_detail(audit_data.get_audit(audit_id), api_user()))


@bp.get("/audits/<int:audit_id>")
@operation(
    "audits",
    "One audit: answers, blocks, grades, themes, overall",
    CASE_LEVEL + ", for audits they may see",
    (200, shapes.Audit, "The audit"),
    404,
)
@api_requires("do_audits")
def get_audit(audit_id: int):
    audit = _audit(audit_id)
    return jsonify(serialise.audit_detail(audit, api_user()))


@bp.patch("/audits/<int:audit_id>")
@operation(
    "audits",
    "Save answers, grades, blocks, themes, overall",
    "The assigned auditor, until the audit is submitted",
    (200, shapes.Audit, "The audit as saved, with its new lock_version"),
    404,
    409,
    body=shapes.AuditPatch,
    describe="Send the lock_version you read. The whole body is checked first (422 lists every "
    "problem; nothing saved). It is then saved in this order, each step a new version with a "
    "change-log entry: add_blocks, answers and section grades (per section), remove_blocks, "
    "theme_marks, overall. 409 if the audit changed since your lock_version: nothing is "
    "overwritten.",
)
@api_requires("do_audits")
def patch_audit(audit_id: int):
    audit = _audit(audit_id, edit=True)
    todo = patch.plan(audit, json_body())
    try:
        patch.apply(audit, todo, actor=api_user())
    except StaleAudit as error:
        raise _stale(error) from None
    except AuditLocked:
        raise _locked(audit) from None
    return _detail(audit_id)


def submit_field(p) -> str:
    """A submit problem's web-form field as the path of the API field to change."""
    if p.field.startswith(("q__", "r__")):
        return f"answers.{p.field}"
    if p.field.startswith("group__"):
        return f"blocks.{p.field.removeprefix('group__')}"
    if p.field in ("section_grade", "section_rationale"):
        return f"section_grades.{p.section_key}.{p.field.removeprefix('section_')}"
    if p.field == "themes":
        return "theme_marks"
    return f"overall.{p.field}"


@bp.post("/audits/<int:audit_id>/submit")
@operation(
    "audits",
    "Submit the audit",
    "The assigned auditor",
    (200, shapes.Audit, "Submitted"),
    404,
    409,
    body=shapes.Submit,
    describe="422 lists what stops it, as the web form's error summary does; nothing is saved.",
)
@api_requires("do_audits")
def submit_audit(audit_id: int):
    audit = _audit(audit_id, edit=True)
    based_on = checked_body(shapes.Submit).lock_version
    try:
        if audit.lock_version != based_on:
            raise StaleAudit(audit, based_on)
        problems = submission.submit(
            audit,
            based_on=based_on,
            actor=api_user(),
            calendar=council_calendar(current_app),
            response_days=current_app.config["QA_RESPONSE_WORKING_DAYS"],
        )
    except StaleAudit as error:
        raise _stale(error) from None
    except AuditLocked:
        raise _locked(audit) from None
    if problems:
        items = [
            {"field": submit_field(p), "message": p.message, "section": p.section_key}
            for p in problems
        ]
        raise ApiError(
            422,
            f"The audit cannot be submitted yet: {len(items)} "
            f"problem{'s' if len(items) != 1 else ''}. Nothing was saved.",
            field=items[0]["field"],
            problems=items,
        )
    return _detail(audit_id)
