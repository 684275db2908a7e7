"""The API's role matrix, with tokens: each role against each endpoint, with objects that
belong to someone else (as the web's route walk does), and again with objects that belong to
the caller (OWNER: the audit assigned to them, in a cycle; their submitted audit in the
moderation queue; the improvement action they own). Written from PRODUCT.md's roles,
independently of qa_app.web.security: a decorator that drifts fails here. Every answer, allowed or
refused, also carries the security headers.

(Named test_api_permissions.py, not test_permissions.py: the test folders are not packages, so
two test modules with one name anywhere in tests/ would clash.)"""

from datetime import date

import pytest

from qa_app.data import calibration, cycles, follow_up, improvement
from qa_app.data.organisation import save_team
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Moderation, Role
from qa_app.rules.uk_time import uk_today
from qa_app.services import self_evaluation
from tests.api.support import PREFIX, api_as
from tests.audits.factory import make_audit
from tests.calibration.round_factory import answer_all, make_round
from tests.support.route_walk import header_problems

EVERYONE = frozenset(Role)
CASE_LEVEL = frozenset({Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER})
ALL_AUDITS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER})
QA_LEAD = frozenset({Role.QA_LEAD})
MODERATORS = frozenset({Role.MODERATOR, Role.QA_LEAD})
NOBODY = frozenset()
# Aggregate findings: case-level readers, and board viewers (board tier, small numbers hidden).
FINDINGS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER})
# The improvement plan: read by the service's staff; written by QA leads and senior managers.
PLAN_READERS = frozenset({Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER})
PLAN_MANAGERS = frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER})

# endpoint: (roles that may, the status they get). Everyone else gets 403.
MATRIX = {
    "api.openapi": (EVERYONE, 200),
    "api.list_templates": (CASE_LEVEL, 200),
    "api.get_template": (CASE_LEVEL, 200),
    "api.get_template_version": (CASE_LEVEL, 200),
    "api.list_cycles": (CASE_LEVEL, 200),
    # Someone else's cycle: an auditor sees only the cycles they audit in.
    "api.get_cycle": (ALL_AUDITS, 200),
    "api.create_cycle": (QA_LEAD, 201),
    "api.add_case": (QA_LEAD, 201),
    "api.list_audits": (CASE_LEVEL, 200),
    "api.create_audit": (QA_LEAD, 201),
    # Someone else's audit: auditors see only their own and their cycles'.
    "api.get_audit": (ALL_AUDITS, 200),
    # Editing: only the assigned auditor, so every role is refused someone else's audit.
    "api.patch_audit": (NOBODY, None),
    "api.submit_audit": (NOBODY, None),
    "api.moderate_audit": (MODERATORS, 200),
    # Auditors (their own audits only) and administrators never see findings.
    "api.get_findings": (FINDINGS, 200),
    # A follow-up's difference: the aggregate for board viewers, child by child for the rest.
    "api.get_difference": (FINDINGS, 200),
    "api.list_improvement_plans": (PLAN_READERS, 200),
    "api.list_improvement_actions": (PLAN_READERS, 200),
    "api.get_improvement_action": (PLAN_READERS, 200),
    "api.create_improvement_action": (PLAN_MANAGERS, 201),
    # Someone else's action: only plan managers change it or post progress on it.
    "api.patch_improvement_action": (PLAN_MANAGERS, 200),
    "api.add_improvement_update": (PLAN_MANAGERS, 201),
    # Calibration: every case-level role lists the rounds (their own, or all for managers); a
    # closed round's results are for the QA lead, moderators and the round's participants.
    "api.list_calibration_rounds": (CASE_LEVEL, 200),
    "api.get_calibration_results": (MODERATORS, 200),
    # The self-evaluation is internal: readers of findings list the versions they may read
    # (none for a board viewer); someone else's draft is the QA leads' alone.
    "api.list_self_evaluations": (FINDINGS, 200),
    "api.get_self_evaluation": (QA_LEAD, 200),
}

# The caller owns the objects: where that changes the answer (the rest as in MATRIX). As on the
# web (tests/routes_expected_*.py OWNER): the assigned auditor, in any case-level role, reads
# their audit and its cycle, changes it and submits it (422 here: the sample audit is not
# complete, so the submission is refused for what is missing, not for who sent it); nobody
# moderates their own audit; an action's owner posts progress on it, but changing the action
# stays the plan managers'. Board viewers and administrators get nothing more for owning.
OWNER = {
    "api.get_cycle": (CASE_LEVEL, 200),
    "api.get_audit": (CASE_LEVEL, 200),
    "api.patch_audit": (CASE_LEVEL, 200),
    "api.submit_audit": (CASE_LEVEL, 422),
    "api.moderate_audit": (NOBODY, None),
    "api.add_improvement_update": (PLAN_READERS, 201),
    "api.get_calibration_results": (CASE_LEVEL, 200),
}


def objects(role: Role, make_user, owner=None) -> dict:
    """A team, a cycle made by another QA lead with someone else's audit in it, another
    submitted audit of someone else's waiting for moderation, and an action someone else owns.
    With `owner`, that person is the audits' auditor and the action's owner instead."""
    team = save_team(f"Team for {role.value}", None, True, actor=None)
    someone = owner or make_user(Role.AUDITOR)
    other_lead = make_user(Role.QA_LEAD)
    template = get_template("single_assessment")
    cycle = cycles.save_cycle(
        name=f"Cycle for {role.value}",
        kind="monthly",
        description="",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        due_date=None,
        templates=[template],
        theme_focus=None,
        moderation_share=10,
        actor=other_lead,
    )
    audit = make_audit(
        "single_assessment",
        auditor=someone,
        team=team,
        reference="90000001",
        cycle=cycle,
    )
    queued = make_audit("single_assessment", auditor=someone, team=team, reference="90000002")
    queued.status = "submitted"
    db.session.add(Moderation(audit_id=queued.id, reason="sample", status="pending"))
    done = make_audit("single_assessment", team=team, reference="90000003", cycle=cycle)
    done.status = "submitted"
    db.session.commit()
    followed, _ = follow_up.create_follow_up(cycle, 6, actor=other_lead)
    plan = improvement.save_plan(None, title=f"Plan for {role.value}", actor=other_lead)
    action = improvement.create_action(
        plan, actor=other_lead, today=uk_today(), description="Chronologies", owner=someone
    )
    calibration_round = make_round(
        other_lead, [someone, make_user(Role.AUDITOR)], references=(f"CAL-{role.value}",)
    )
    for participant in calibration_round.participants:
        answer_all(calibration_round, participant.user)
    calibration.close(calibration_round, "", actor=other_lead)
    evaluation = self_evaluation.draft(
        date(2025, 1, 1), date(2025, 12, 31), other_lead, date(2026, 1, 20)
    )
    levels = ["outstanding", "good", "requires_improvement", "inadequate"]
    content = queued.template_version.content
    keys = [s["key"] for s in content["template"]["sections"] if s["graded"]] + ["__overall__"]
    return {
        "cycle": cycle.id,
        "follow_up": followed.id,
        "audit": audit.id,
        "queued": queued.id,
        "team": team.name,
        "plan": plan.id,
        "action": action.id,
        "calibration_round": calibration_round.id,
        "self_evaluation": evaluation.id,
        "moderation": {
            "grades": dict.fromkeys(keys, levels[1]),
            "reasons": dict.fromkeys(keys, "The record shows it."),
        },
    }


def calls(o: dict) -> dict:
    """endpoint: (method, path, body)"""
    return {
        "api.openapi": ("GET", "/openapi.json", None),
        "api.list_templates": ("GET", "/templates", None),
        "api.get_template": ("GET", "/templates/single_assessment", None),
        "api.get_template_version": ("GET", "/templates/single_assessment/versions/1", None),
        "api.list_cycles": ("GET", "/cycles", None),
        "api.get_cycle": ("GET", f"/cycles/{o['cycle']}", None),
        "api.create_cycle": (
            "POST",
            "/cycles",
            {
                "name": "New cycle",
                "kind": "themed",
                "period_start": "2026-02-01",
                "period_end": "2026-02-28",
                "templates": ["single_assessment"],
            },
        ),
        "api.add_case": (
            "POST",
            f"/cycles/{o['cycle']}/cases",
            {"case_reference": "44440000", "team": o["team"], "template": "single_assessment"},
        ),
        "api.list_audits": ("GET", "/audits", None),
        "api.create_audit": (
            "POST",
            "/audits",
            {"case_reference": "55550000", "template": "cin_plan", "team": o["team"]},
        ),
        "api.get_audit": ("GET", f"/audits/{o['audit']}", None),
        "api.patch_audit": ("PATCH", f"/audits/{o['audit']}", {"lock_version": 1}),
        "api.submit_audit": ("POST", f"/audits/{o['audit']}/submit", {"lock_version": 1}),
        "api.moderate_audit": ("POST", f"/audits/{o['queued']}/moderation", o["moderation"]),
        "api.get_findings": ("GET", "/findings", None),
        "api.get_difference": ("GET", f"/cycles/{o['follow_up']}/difference", None),
        "api.list_improvement_plans": ("GET", "/improvement/plans", None),
        "api.list_improvement_actions": ("GET", "/improvement/actions", None),
        "api.get_improvement_action": ("GET", f"/improvement/actions/{o['action']}", None),
        "api.create_improvement_action": (
            "POST",
            "/improvement/actions",
            {"plan": o["plan"], "description": "Fathers contacted in every assessment"},
        ),
        "api.patch_improvement_action": (
            "PATCH",
            f"/improvement/actions/{o['action']}",
            {"lock_version": 1, "status": "on_track"},
        ),
        "api.add_improvement_update": (
            "POST",
            f"/improvement/actions/{o['action']}/updates",
            {"note": "Checked with the team managers"},
        ),
        "api.list_calibration_rounds": ("GET", "/calibration/rounds", None),
        "api.get_calibration_results": (
            "GET",
            f"/calibration/rounds/{o['calibration_round']}/results",
            None,
        ),
        "api.list_self_evaluations": ("GET", "/self-evaluations", None),
        "api.get_self_evaluation": ("GET", f"/self-evaluations/{o['self_evaluation']}", None),
    }


def test_the_matrix_covers_every_api_endpoint(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX + "/")}
    assert endpoints == set(MATRIX)


def test_the_owner_table_names_api_endpoints_and_changes_something():
    for endpoint, rule in OWNER.items():
        assert endpoint in MATRIX and rule != MATRIX[endpoint], endpoint


def _walk(api, role: Role, o: dict, table: dict, label: str) -> list[str]:
    failures = []
    for endpoint, (method, path, body) in calls(o).items():
        allowed, status = table.get(endpoint, MATRIX[endpoint])
        kwargs = {} if body is None else {"body": body}
        response = api.request(method, path, **kwargs)
        expected = status if role in allowed else 403
        if response.status_code != expected:
            what = (
                "unexpected refusal"
                if response.status_code == 403
                else "unexpected success"
                if expected == 403
                else "unexpected status"
            )
            failures.append(
                f"{label} {method} {path} -> {response.status_code}, expected {expected} "
                f"({what}): {str(response.get_json())[:200]}"
            )
        failures += [f"{label} {method} {path}: {p}" for p in header_problems(None, response)]
    return failures


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_endpoint_matrix(app, make_user, loaded_templates, role):
    api = api_as(app, make_user, role)
    failures = _walk(api, role, objects(role, make_user), {}, role.value)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_owner_endpoint_matrix(app, make_user, loaded_templates, role):
    """The caller, holding `role`, is the auditor of the audits and owner of the action."""
    api = api_as(app, make_user, role)
    o = objects(role, make_user, owner=api.user)
    failures = _walk(api, role, o, OWNER, f"owner ({role.value})")
    assert not failures, "\n".join(failures)


def test_the_assigned_auditor_reads_and_edits_their_own_audit(app, make_user, loaded_templates):
    api = api_as(app, make_user, Role.AUDITOR)
    audit = make_audit("cin_plan", auditor=api.user)
    assert api.get(f"/audits/{audit.id}").status_code == 200
    assert api.patch(f"/audits/{audit.id}", {"lock_version": 1}).status_code == 200
    assert api.post(f"/audits/{audit.id}/submit", {"lock_version": 1}).status_code == 422
