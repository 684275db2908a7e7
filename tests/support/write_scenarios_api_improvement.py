"""Write scenarios for the improvement plan's JSON API (tests/data/test_write_paths.py): creating
an action, changing one with its lock version, and the owner posting progress. Each leaves a
change-log row naming the account behind the token."""

from qa_app.data import improvement as plan_data
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.support.write_scenarios import Ctx, Write, api_call, scenario


def _plan(ctx: Ctx):
    ctx.templates()
    lead = ctx.make_user(Role.QA_LEAD)
    plan = plan_data.save_plan(None, title="Improvement plan 2026–27", actor=lead)
    return plan, lead


def _action(ctx: Ctx, **fields):
    plan, lead = _plan(ctx)
    return plan_data.create_action(
        plan, actor=lead, today=uk_today(), description="Chronologies in every record", **fields
    )


@scenario("api.create_improvement_action", "/api/v1/improvement/actions")
def _api_create_action(ctx: Ctx) -> Write:
    plan, _ = _plan(ctx)
    api = ctx.api_as(Role.SENIOR_MANAGER)
    body = {
        "plan": plan.id,
        "description": "Every assessment records the child's own words",
        "due_date": "2027-03-31",
        "themes": ["voice_of_child"],
    }
    return api_call(api, "POST", "/improvement/actions", body, expect=201)


@scenario("api.patch_improvement_action", "/api/v1/improvement/actions/<int:action_id>")
def _api_patch_action(ctx: Ctx) -> Write:
    action = _action(ctx)
    api = ctx.api_as(Role.QA_LEAD)
    body = {"lock_version": action.lock_version, "status": "on_track"}
    return api_call(api, "PATCH", f"/improvement/actions/{action.id}", body)


@scenario("api.add_improvement_update", "/api/v1/improvement/actions/<int:action_id>/updates")
def _api_add_update(ctx: Ctx) -> Write:
    api = ctx.api_as(Role.AUDITOR)
    action = _action(ctx, owner=api.user)
    body = {"note": "Guidance drafted and shared with team managers", "status": "on_track"}
    return api_call(api, "POST", f"/improvement/actions/{action.id}/updates", body, expect=201)
