"""API views for templates, cycles and the OpenAPI document. Thin: JSON in, qa_app.data out."""

from collections import Counter

from flask import current_app, jsonify, url_for

from qa_app.api import serialise
from qa_app.api.auth import api_public, api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, Problems, bp
from qa_app.api.cycles_data import visible_cycle_ids
from qa_app.api.openapi import document, operation
from qa_app.api.schemas import audits as audit_shapes
from qa_app.api.schemas import catalogue as shapes
from qa_app.api.validation import read_body
from qa_app.data import cases
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.organisation import list_teams
from qa_app.rules.uk_time import uk_today

TEMPLATE_READERS = ("view_templates", "do_audits")
READ_TEMPLATES = "QA leads, moderators, auditors and senior managers (view_templates or do_audits)"
CASE_LEVEL = "Auditors, QA leads, moderators and senior managers (do_audits)"
QA_LEAD = "QA leads (manage_cycles)"


def created(body: dict, location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.get("/openapi.json")
@operation("meta", "This document", None, (200, {"type": "object"}, "The OpenAPI 3.1 document"))
@api_public
def openapi():
    return jsonify(document(current_app))


# ---- templates ----------------------------------------------------------------------------


@bp.get("/templates")
@operation(
    "templates",
    "Audit templates",
    READ_TEMPLATES,
    (200, shapes.TemplateList, "Every template, active first"),
)
@api_requires(*TEMPLATE_READERS)
def list_templates():
    return jsonify(
        {"items": [serialise.template_summary(s) for s in template_data.list_templates()]}
    )


@bp.get("/templates/<key>")
@operation(
    "templates",
    "A template and its versions",
    READ_TEMPLATES,
    (200, shapes.Template, "The template"),
    404,
)
@api_requires(*TEMPLATE_READERS)
def get_template(key: str):
    template = template_data.get_template(key)
    if template is None:
        raise ApiError(404, f"No template {key!r}")
    return jsonify(serialise.template_detail(template))


@bp.get("/templates/<key>/versions/<int:number>")
@operation(
    "templates",
    "One stored template version",
    READ_TEMPLATES,
    (200, shapes.TemplateVersion, "The version with its content"),
    404,
    describe="The content is immutable; audits keep the version they were started with.",
)
@api_requires(*TEMPLATE_READERS)
def get_template_version(key: str, number: int):
    version = template_data.get_version(key, number)
    if version is None:
        raise ApiError(404, f"No version {number} of template {key!r}")
    return jsonify(serialise.version_detail(version))


# ---- cycles -------------------------------------------------------------------------------


def domain_error(error) -> ApiError:
    """A data layer's refusal (an error with .field) as a 422."""
    field = getattr(error, "field", None)
    return ApiError(
        422, str(error), field=field, problems=[{"field": field, "message": str(error)}]
    )


def _cycle_json(cycle_id: int) -> dict:
    for cycle, progress, listed in cycle_data.list_cycles(uk_today()):
        if cycle.id == cycle_id:
            return serialise.cycle(cycle, progress, listed)
    raise ApiError(404, f"No cycle {cycle_id}")


def _cycle_or_404(cycle_id: int):
    cycle = cycle_data.get_cycle(cycle_id)
    if cycle is None:
        raise ApiError(404, f"No cycle {cycle_id}")
    return cycle


@bp.get("/cycles")
@operation(
    "cycles",
    "Audit cycles with progress",
    CASE_LEVEL,
    (200, shapes.CycleList, "Newest period first"),
    describe="Auditors see the cycles they audit in; the others see all.",
)
@api_requires("do_audits")
def list_cycles():
    visible = visible_cycle_ids(api_user())
    return jsonify(
        {
            "items": [
                serialise.cycle(c, p, n)
                for c, p, n in cycle_data.list_cycles(uk_today())
                if visible is None or c.id in visible
            ]
        }
    )


@bp.get("/cycles/<int:cycle_id>")
@operation("cycles", "One cycle with progress", CASE_LEVEL, (200, shapes.Cycle, "The cycle"), 404)
@api_requires("do_audits")
def get_cycle(cycle_id: int):
    _cycle_or_404(cycle_id)
    visible = visible_cycle_ids(api_user())
    if visible is not None and cycle_id not in visible:
        raise refuse(api_user())
    return jsonify(_cycle_json(cycle_id))


def _templates_by_key(keys: list[str], problems: Problems, field: str) -> list:
    """The active templates with these keys, each once (a key listed twice is a problem: a
    cycle has each template once)."""
    active = {t.key: t for t in cycle_data.active_templates()}
    chosen = []
    for key, times in Counter(keys).items():
        if times > 1:
            problems.add(field, f"{key!r} is listed {_times(times)}")
        elif key not in active:
            problems.add(field, f"No active template {key!r}")
        else:
            chosen.append(active[key])
    return chosen


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


@bp.post("/cycles")
@operation(
    "cycles",
    "Create a cycle",
    QA_LEAD,
    (201, shapes.Cycle, "Created; Location names it"),
    body=shapes.CycleCreate,
)
@api_requires("manage_cycles")
def create_cycle():
    body, problems = read_body(shapes.CycleCreate)
    templates = _templates_by_key(body.templates or [], problems, "templates")
    theme = body.theme_focus
    if theme and theme not in {t.key for t in cycle_data.active_themes()}:
        problems.add("theme_focus", f"No active theme {theme!r}")
    problems.check()
    try:
        cycle = cycle_data.save_cycle(
            name=body.name,
            kind=body.kind,
            description=body.description or "",
            period_start=body.period_start,
            period_end=body.period_end,
            due_date=body.due_date,
            templates=templates,
            theme_focus=theme,
            moderation_share=10 if body.moderation_share is None else body.moderation_share,
            actor=api_user(),
        )
    except cycle_data.CycleError as error:
        raise domain_error(error) from None
    return created(_cycle_json(cycle.id), url_for(".get_cycle", cycle_id=cycle.id))


def team_by_name(name: str | None, problems: Problems, field: str = "team"):
    if name is None:
        return None
    teams = {t.name.lower(): t for t in list_teams(active_only=True)}
    team = teams.get(name.strip().lower())
    if team is None:
        problems.add(field, f"No active team called {name!r}")
    return team


@bp.post("/cycles/<int:cycle_id>/cases")
@operation(
    "cycles",
    "Add a case to a cycle, with a not yet assigned audit",
    QA_LEAD,
    (201, audit_shapes.AuditSummary, "The new audit"),
    404,
    body=shapes.CaseCreate,
    describe="A case already known is reused and its team and worker brought up to date (a "
    "worker left out of the body is kept). A case may have one audit per template per cycle.",
)
@api_requires("manage_cycles")
def add_case(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    body, problems = read_body(shapes.CaseCreate)
    team = team_by_name(body.team, problems)
    template = template_data.get_template(body.template) if body.template else None
    if body.template and template is None:
        problems.add("template", f"No template {body.template!r}")
    problems.check()
    reference, worker = body.case_reference, body.worker
    if "worker" not in body.model_fields_set:  # a known case keeps its worker (null clears it)
        known = cases.find_case(reference)
        worker = known.worker if known is not None else None
    try:
        audit = cycle_data.add_case(
            cycle,
            case_reference=reference,
            team=team,
            worker=worker,
            template=template,
            actor=api_user(),
        )
    except cycle_data.CycleError as error:
        raise domain_error(error) from None
    return created(serialise.audit_summary(audit), url_for(".get_audit", audit_id=audit.id))
