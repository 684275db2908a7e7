"""Who may download an improvement plan (XLSX, PDF, Word): everyone who may read the plan, never
board viewers or administrators. The improvement plan's JSON API endpoints are here too (a
web client gets 401; the role matrix with tokens is tests/api/test_api_improvement.py).

Sample values: a plan with one action, made by another account, unless the improvement pages'
module (tests/routes_expected_improvement.py, merged first) has made them already."""

from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.support.route_walk import API

PLAN_READERS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.AUDITOR})

EXPECTED = {
    "improvement_exports.plan_xlsx": PLAN_READERS,
    "improvement_exports.plan_pdf": PLAN_READERS,
    "improvement_exports.plan_docx": PLAN_READERS,
    "api.list_improvement_plans": API,
    "api.list_improvement_actions": API,
    "api.create_improvement_action": API,
    "api.get_improvement_action": API,
    "api.patch_improvement_action": API,
    "api.add_improvement_update": API,
}


def sample_values(values) -> dict:
    if "plan_id" in values and "action_id" in values:
        return {}

    from qa_app.data import improvement as plan_data

    someone = values["_other_user"]
    plan = plan_data.save_plan(None, title="Sample plan for the route walk", actor=someone)
    action = plan_data.create_action(
        plan,
        actor=someone,
        today=uk_today(),
        description="Sample action",
        owner=someone,
        themes=["voice_of_child"],
    )
    return {"plan_id": plan.id, "action_id": action.id}
