"""One valid write through each improvement plan page (see tests/support/write_scenarios.py)."""

from datetime import date

from qa_app.data import improvement
from qa_app.models import Role
from tests.support.write_scenarios import Ctx, Write, form_post, scenario, versioned_post

ACTION = {
    "description": "Team managers check the voice of the child in every plan",
    "priority": "",
    "due_date": ["31", "3", "2099"],
    "status": "on_track",
    "source_kind": "board",
    "source_cycle": "",
    "source_week": "",
    "source_note": "Partnership recommendation 2",
    "expected_outcome": "Children's words recorded in every plan",
}


def _lead_and_plan(ctx: Ctx):
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    plan = improvement.save_plan(None, title="Improvement plan 2026 to 2027", actor=lead.user)
    return lead, plan


def _action(ctx: Ctx, owner=None):
    lead, plan = _lead_and_plan(ctx)
    action = improvement.create_action(
        plan,
        actor=lead.user,
        today=date(2026, 6, 1),
        description="Audit chronologies monthly",
        owner=owner or lead.user,
    )
    return lead, plan, action


@scenario("improvement.edit_plan", "/improvement/plans/new", "new")
def _new_plan(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.SENIOR_MANAGER)
    data = {
        "title": "Children's services improvement plan 2026 to 2027",
        "starts_on": ["1", "4", "2026"],
        "ends_on": ["31", "3", "2027"],
        "status": "active",
    }
    return form_post(lead, "/improvement/plans/new", data)


@scenario("improvement.edit_plan", "/improvement/plans/<int:plan_id>/edit", "edit")
def _edit_plan(ctx: Ctx) -> Write:
    lead, plan = _lead_and_plan(ctx)
    data = {"title": "Renamed plan", "status": "active"}
    return form_post(lead, f"/improvement/plans/{plan.id}/edit", data)


@scenario("improvement.edit_priority", "/improvement/plans/<int:plan_id>/priorities/new", "new")
def _new_priority(ctx: Ctx) -> Write:
    lead, plan = _lead_and_plan(ctx)
    url = f"/improvement/plans/{plan.id}/priorities/new"
    return form_post(lead, url, {"title": "Quality of assessments"})


@scenario(
    "improvement.edit_priority",
    "/improvement/plans/<int:plan_id>/priorities/<int:priority_id>/edit",
    "edit",
)
def _edit_priority(ctx: Ctx) -> Write:
    lead, plan = _lead_and_plan(ctx)
    priority = improvement.save_priority(plan, None, title="Assessments", actor=lead.user)
    url = f"/improvement/plans/{plan.id}/priorities/{priority.id}/edit"
    return form_post(lead, url, {"title": "Quality of assessments"})


@scenario("improvement.new_action", "/improvement/plans/<int:plan_id>/actions/new")
def _new_action(ctx: Ctx) -> Write:
    lead, plan = _lead_and_plan(ctx)
    data = {**ACTION, "owner": str(lead.user.id), "themes": ["voice_of_child"]}
    return form_post(lead, f"/improvement/plans/{plan.id}/actions/new", data)


@scenario("improvement.edit_action", "/improvement/actions/<int:action_id>/edit")
def _edit_action(ctx: Ctx) -> Write:
    lead, _, action = _action(ctx)
    data = {**ACTION, "owner": str(lead.user.id)}
    return versioned_post(lead, f"/improvement/actions/{action.id}/edit", data)


@scenario("improvement.progress", "/improvement/actions/<int:action_id>/progress")
def _progress(ctx: Ctx) -> Write:
    ctx.templates()
    owner = ctx.client_as(Role.AUDITOR)  # the action's owner, not a plan manager
    _, _, action = _action(ctx, owner=owner.user)
    page = f"/improvement/actions/{action.id}"
    data = {"note": "Chronology template agreed", "status": "on_track"}
    return versioned_post(owner, f"/improvement/actions/{action.id}/progress", data, page=page)
