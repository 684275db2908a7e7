"""GET /api/v1/findings: the computed findings (qa_app.findings) as JSON, by audience.

Case-level roles (view_all_audits: QA leads, moderators, senior managers) get the figures as
the engine computes them, with "tier": "internal". Everyone else who may read findings (board
viewers) gets the partnership tier ("tier": "partnership"; qa_app.findings.disclosure): exact
counts unless the council sets a partnership threshold (then counts below it are null and
"suppression" says the threshold), nothing per auditor, a period of whole months that have
ended, teams and localities only above the council's minimum size. A partnership caller may
not filter by auditor (403, logged, before the value is read)."""

from flask import jsonify, request

from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import Problems, bp
from qa_app.api.openapi import operation
from qa_app.api.schemas.findings import Findings
from qa_app.api.schemas.queries import FindingsQuery
from qa_app.api.validation import read_query
from qa_app.data import cycles as cycle_data
from qa_app.data import templates as template_data
from qa_app.data.organisation import get_locality, get_settings, get_team
from qa_app.data.users import get_user
from qa_app.findings import Filters, compute_findings
from qa_app.findings.audiences import Audience, rules_for
from qa_app.findings.disclosure import (
    for_audience,
    group_filter_problems,
    last_whole_months,
    period_problems,
)
from qa_app.findings.filters import ARG_NAMES, MAX_ID
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today

FINDINGS_READERS = (
    "QA leads, moderators and senior managers (case tier); board viewers (board tier, small "
    "numbers hidden) (view_findings)"
)
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
@operation(
    "findings",
    "The findings: grades, themes, trends, agreement, as figures",
    FINDINGS_READERS,
    (200, Findings, "The figures, with the tier they were made for"),
    query=FindingsQuery,
    describe="The figures every dashboard and report reads, for the audits the filters cover "
    "(completed audits are dated by when they were submitted). Counts only, never percentages. "
    "Callers who may see case records (view_all_audits) get tier 'internal'. Others get tier "
    "'partnership': whole months that have ended, nothing per auditor, and where the council "
    "sets a partnership threshold every count from 1 to it minus 1 is null (with a second cell "
    "hidden where one hidden cell could be worked out), summaries over a hidden count are null, "
    "and suppression.threshold says the threshold. A partnership caller sending auditor gets "
    "403 (logged). A filter naming nothing, or a period that ends before it starts, is 422 "
    "naming the parameter.",
)
@api_requires("view_findings")
def get_findings():
    user = api_user()
    case_tier = may(user, "view_all_audits")
    if not case_tier and "auditor" in request.args:
        error = refuse(user, BOARD_AUDITOR)
        error.field = "auditor"
        error.problems = [{"field": "auditor", "message": BOARD_AUDITOR}]
        raise error
    _, problems = read_query(FindingsQuery)
    filters, errors = Filters.from_args(request.args)
    named = {item["field"] for item in problems.items}
    for name in (n for n in ARG_NAMES.values() if n in errors and n not in named):
        problems.add(name, _message(name, errors[name]))
    _unknown_objects(filters, problems)
    rules = rules_for(Audience.INTERNAL if case_tier else Audience.PARTNERSHIP, get_settings())
    if not case_tier:
        if filters.date_from is None and filters.date_to is None and not errors:
            filters = filters.with_period(*last_whole_months(uk_today()))
        _partnership_problems(filters, rules, problems)
    problems.check()
    figures = for_audience(
        filters,
        rules,
        compute_findings,
        lambda month: compute_findings(month, compare_previous=False, by_group=False),
    )
    figures.pop("audience", None)  # the tier says it
    figures["tier"] = rules.audience.value
    return jsonify(figures)


def _partnership_problems(f: Filters, rules, problems: Problems) -> None:
    """Below the internal tier: whole months that have ended, groups of the minimum size, and
    where small numbers are hidden, a period alone (see qa_app.findings.disclosure)."""
    fields = {item["field"] for item in problems.items}
    if "from" in fields or "to" in fields:
        return
    for name, message in period_problems(f.date_from, f.date_to, uk_today()).items():
        problems.add(name, f"{name}: {message} (for example from=2026-04-01&to=2026-06-30)")
    if rules.suppresses:
        for name, value in (
            ("cycle", f.cycle_id),
            ("team", f.team_id),
            ("locality", f.locality_id),
        ):
            if value is not None:
                problems.add(name, f"{name} is not available where small numbers are hidden")
    elif (f.team_id or f.locality_id) and not problems:
        unfiltered = compute_findings(
            Filters(date_from=f.date_from, date_to=f.date_to, cycle_id=f.cycle_id),
            compare_previous=False,
            include_answers=False,
        )
        for name, message in group_filter_problems(unfiltered, f, rules.min_group_size).items():
            problems.add(name, message)
