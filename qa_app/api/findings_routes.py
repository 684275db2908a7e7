"""GET /api/v1/findings: the computed findings (qa_app.findings) as JSON, in two tiers.

Case-level roles (view_all_audits: QA leads, moderators, senior managers) get the figures as
the engine computes them, with "tier": "case". Everyone else who may read findings (board
viewers) gets the board-tier copy: counts below the organisation's small-number threshold are
null, per-auditor figures are left out, "suppression" says the threshold, and "tier" is
"board". A board-tier caller may not filter by auditor (403, logged, before the value is
read): board figures hold nothing about named staff."""

from flask import jsonify, request

from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import Problems, bp
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.organisation import get_locality, get_settings, get_team
from qa_app.data.users import get_user
from qa_app.findings import Filters, compute_findings
from qa_app.findings.filters import ARG_NAMES, MAX_ID
from qa_app.findings.suppression import suppress
from qa_app.security import may

PARAMS = set(ARG_NAMES.values())  # from, to, cycle, template, team, locality, auditor
BOARD_AUDITOR = (
    "The auditor filter is not available to board-tier accounts: board figures hold nothing "
    "about named staff"
)


def _message(name: str, engine_message: str) -> str:
    """The engine's message is written for a form with drop-down lists; say what to send."""
    if name in ("from", "to"):
        return f"{name}: {engine_message}"
    if name == "template":
        return "template must be a template key: letters, digits and underscores, at most 60"
    return f"{name} must be a whole number from 1 to {MAX_ID}"


def _unknown_objects(f: Filters, problems: Problems) -> None:
    """A filter naming nothing is a 422 too, rather than a page of zeros."""
    if f.template and template_data.get_template(f.template) is None:
        problems.add("template", f"No template {f.template!r}")
    if f.cycle_id and cycle_data.get_cycle(f.cycle_id) is None:
        problems.add("cycle", f"No cycle {f.cycle_id}")
    if f.team_id and get_team(f.team_id) is None:
        problems.add("team", f"No team {f.team_id}")
    if f.locality_id and get_locality(f.locality_id) is None:
        problems.add("locality", f"No locality {f.locality_id}")
    if f.auditor_id and get_user(f.auditor_id) is None:
        problems.add("auditor", f"No account {f.auditor_id}")


@bp.get("/findings")
@api_requires("view_findings")
def get_findings():
    user = api_user()
    case_tier = may(user, "view_all_audits")
    if not case_tier and "auditor" in request.args:
        error = refuse(user, BOARD_AUDITOR)
        error.field = "auditor"
        error.problems = [{"field": "auditor", "message": BOARD_AUDITOR}]
        raise error
    problems = Problems()
    for name in sorted(set(request.args) - PARAMS):
        problems.add(name, f"Unknown parameter {name!r}")
    filters, errors = Filters.from_args(request.args)
    for name in (n for n in ARG_NAMES.values() if n in errors):
        problems.add(name, _message(name, errors[name]))
    _unknown_objects(filters, problems)
    problems.check()
    figures = compute_findings(filters)
    if case_tier:
        figures["tier"] = "case"
    else:
        figures = suppress(figures, get_settings().small_number_threshold)
        figures["tier"] = "board"
    return jsonify(figures)
