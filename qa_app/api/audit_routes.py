"""API views for audits: list, start, read, edit (PATCH), submit. Access exactly as the web:
qa_app.data.audit_access decides who sees and edits which audit."""

from flask import current_app, jsonify, request, url_for

from qa_app.api import patch, serialise
from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import DB_INT_MAX, ApiError, Problems, bp, json_body
from qa_app.api.cycles_data import list_audits as query_audits
from qa_app.api.cycles_data import start_audit
from qa_app.api.fields import Reader
from qa_app.api.routes import (
    WORKER_LENGTH,
    case_reference,
    created,
    domain_error,
    team_by_name,
)
from qa_app.data import audit_access
from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.audits import AuditLocked, StaleAudit
from qa_app.data.users import find_by_username
from qa_app.models import Audit
from qa_app.web.calendar import council_calendar

MAX_LIMIT = 200
LIST_PARAMS = {"cycle_id", "status", "mine", "limit", "offset"}


def int_param(name: str, problems: Problems, default=None, low=1, high=DB_INT_MAX):
    """A whole number from the query string, from `low` to `high` (at most what the
    database holds)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.add(name, f"{name} must be a whole number")
        return default
    if not low <= value <= high:
        problems.add(name, f"{name} must be from {low} to {high}")
        return default
    return value


@bp.get("/audits")
@api_requires("do_audits")
def list_audits():
    problems = Problems()
    for name in sorted(set(request.args) - LIST_PARAMS):
        problems.add(name, f"Unknown parameter {name!r}")
    cycle_id = int_param("cycle_id", problems)
    limit = int_param("limit", problems, 50, 1, MAX_LIMIT)
    offset = int_param("offset", problems, 0, 0)
    status = request.args.get("status")
    if status is not None and status not in serialise.STATUSES:
        problems.add("status", f"status must be one of {', '.join(serialise.STATUSES)}")
    mine = request.args.get("mine", "false").lower()
    if mine not in ("true", "false"):
        problems.add("mine", "mine must be true or false")
    problems.check()
    audits, total = query_audits(
        api_user(),
        cycle_id=cycle_id,
        status=status,
        mine=mine == "true",
        limit=limit,
        offset=offset,
    )
    return jsonify(
        {
            "items": [serialise.audit_summary(a) for a in audits],
            "total": total,
            "limit": limit,
            "offset": offset,
        }
    )


@bp.post("/audits")
@api_requires("manage_cycles")
def create_audit():
    r = Reader(
        json_body(),
        {
            "case_reference",
            "template",
            "cycle_id",
            "auditor",
            "due_date",
            "team",
            "worker",
            "own_team_override",
        },
    )
    reference = case_reference(r)
    key = r.text("template", required=True)
    template = template_data.get_template(key) if key else None
    if key and template is None:
        r.add("template", f"No template {key!r}")
    cycle_id = r.identifier("cycle_id")
    cycle = cycle_data.get_cycle(cycle_id) if cycle_id is not None else None
    if cycle_id is not None and cycle is None:
        r.add("cycle_id", f"No cycle {cycle_id}")
    username = r.text("auditor")
    auditor = find_by_username(username) if username else None
    if username and auditor is None:
        r.add("auditor", f"No account {username!r}")
    due = r.date("due_date")
    team = team_by_name(r.text("team"), r)
    worker = r.text("worker", max_length=WORKER_LENGTH)
    override = r.boolean("own_team_override")
    r.problems.check()
    try:
        audit = start_audit(
            case_reference=reference,
            template=template,
            cycle=cycle,
            auditor=auditor,
            due_date=due,
            team=team,
            worker=worker,
            own_team_override=override,
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
@api_requires("do_audits")
def get_audit(audit_id: int):
    audit = _audit(audit_id)
    return jsonify(serialise.audit_detail(audit, api_user()))


@bp.patch("/audits/<int:audit_id>")
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
@api_requires("do_audits")
def submit_audit(audit_id: int):
    audit = _audit(audit_id, edit=True)
    r = Reader(json_body(), {"lock_version"})
    based_on = r.identifier("lock_version", required=True)
    r.problems.check()
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
