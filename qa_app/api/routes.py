"""API views for templates, cycles and the OpenAPI document. Thin: JSON in, qa_app.data out."""

from collections import Counter
from datetime import date

from flask import jsonify, url_for

from qa_app.api import serialise
from qa_app.api.auth import api_public, api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, bp, json_body
from qa_app.api.cycles_data import visible_cycle_ids
from qa_app.api.fields import Reader
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.organisation import list_teams
from qa_app.models import Case

TEMPLATE_READERS = ("view_templates", "do_audits")
# What the cases table holds: a longer reference or worker is refused before it reaches it.
CASE_REFERENCE_LENGTH = Case.__table__.c.case_reference.type.length
WORKER_LENGTH = Case.__table__.c.worker.type.length


def created(body: dict, location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.get("/openapi.json")
@api_public
def openapi():
    from qa_app.api.openapi import document

    return jsonify(document())


# ---- templates ----------------------------------------------------------------------------


@bp.get("/templates")
@api_requires(*TEMPLATE_READERS)
def list_templates():
    return jsonify(
        {"items": [serialise.template_summary(s) for s in template_data.list_templates()]}
    )


@bp.get("/templates/<key>")
@api_requires(*TEMPLATE_READERS)
def get_template(key: str):
    template = template_data.get_template(key)
    if template is None:
        raise ApiError(404, f"No template {key!r}")
    return jsonify(serialise.template_detail(template))


@bp.get("/templates/<key>/versions/<int:number>")
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
    for cycle, progress, listed in cycle_data.list_cycles(date.today()):
        if cycle.id == cycle_id:
            return serialise.cycle(cycle, progress, listed)
    raise ApiError(404, f"No cycle {cycle_id}")


def _cycle_or_404(cycle_id: int):
    cycle = cycle_data.get_cycle(cycle_id)
    if cycle is None:
        raise ApiError(404, f"No cycle {cycle_id}")
    return cycle


@bp.get("/cycles")
@api_requires("do_audits")
def list_cycles():
    visible = visible_cycle_ids(api_user())
    return jsonify(
        {
            "items": [
                serialise.cycle(c, p, n)
                for c, p, n in cycle_data.list_cycles(date.today())
                if visible is None or c.id in visible
            ]
        }
    )


@bp.get("/cycles/<int:cycle_id>")
@api_requires("do_audits")
def get_cycle(cycle_id: int):
    _cycle_or_404(cycle_id)
    visible = visible_cycle_ids(api_user())
    if visible is not None and cycle_id not in visible:
        raise refuse(api_user())
    return jsonify(_cycle_json(cycle_id))


def _templates_by_key(keys: list[str], reader: Reader, field: str) -> list:
    """The active templates with these keys, each once (a key listed twice is a problem: a
    cycle has each template once)."""
    active = {t.key: t for t in cycle_data.active_templates()}
    chosen = []
    for key, times in Counter(keys).items():
        if times > 1:
            reader.problems.add(field, f"{key!r} is listed {_times(times)}")
        elif key not in active:
            reader.problems.add(field, f"No active template {key!r}")
        else:
            chosen.append(active[key])
    return chosen


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


@bp.post("/cycles")
@api_requires("manage_cycles")
def create_cycle():
    r = Reader(
        json_body(),
        {
            "name",
            "kind",
            "description",
            "period_start",
            "period_end",
            "due_date",
            "templates",
            "theme_focus",
            "moderation_share",
        },
    )
    name = r.text("name", required=True, max_length=200)
    kind = r.text("kind", required=True)
    description = r.text("description", max_length=20000) or ""
    start, end = r.date("period_start", required=True), r.date("period_end", required=True)
    due = r.date("due_date")
    templates = _templates_by_key(r.strings("templates", required=True), r, "templates")
    theme = r.text("theme_focus")
    if theme and theme not in {t.key for t in cycle_data.active_themes()}:
        r.problems.add("theme_focus", f"No active theme {theme!r}")
    share = r.integer("moderation_share", default=10, low=0, high=100)
    r.problems.check()
    try:
        cycle = cycle_data.save_cycle(
            name=name,
            kind=kind,
            description=description,
            period_start=start,
            period_end=end,
            due_date=due,
            templates=templates,
            theme_focus=theme,
            moderation_share=share,
            actor=api_user(),
        )
    except cycle_data.CycleError as error:
        raise domain_error(error) from None
    return created(_cycle_json(cycle.id), url_for(".get_cycle", cycle_id=cycle.id))


def case_reference(reader: Reader) -> str | None:
    """The body's case_reference (required), at most as long as the cases table holds. Its
    pattern is the data layer's rule."""
    return reader.text("case_reference", required=True, max_length=CASE_REFERENCE_LENGTH)


def team_by_name(name: str | None, reader: Reader, field: str = "team"):
    if name is None:
        return None
    teams = {t.name.lower(): t for t in list_teams(active_only=True)}
    team = teams.get(name.strip().lower())
    if team is None:
        reader.problems.add(field, f"No active team called {name!r}")
    return team


@bp.post("/cycles/<int:cycle_id>/cases")
@api_requires("manage_cycles")
def add_case(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    body = json_body()
    r = Reader(body, {"case_reference", "team", "worker", "template"})
    reference = case_reference(r)
    team = team_by_name(r.text("team", required=True), r)
    worker = r.text("worker", max_length=WORKER_LENGTH)
    key = r.text("template", required=True)
    template = template_data.get_template(key) if key else None
    if key and template is None:
        r.problems.add("template", f"No template {key!r}")
    r.problems.check()
    if "worker" not in body:  # not sent: a known case keeps its worker (null clears it)
        known = cycle_data.find_case(reference)
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
