"""API views for the improvement plan: plans with their actions counted by status, actions
(list, read, create, change) and progress updates. Every rule is qa_app.data.improvement's:
numbering, lock versions, status dates, the change log. Access as on the web pages: staff
with view_improvement_plan read; plan managers write; an action's owner may post progress."""

from flask import jsonify, url_for

from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, Problems, bp
from qa_app.api.openapi import operation
from qa_app.api.routes import created, domain_error
from qa_app.api.schemas import improvement as shapes
from qa_app.api.schemas.queries import ActionQuery
from qa_app.api.serialise_improvement import action_detail, action_json, plan_json
from qa_app.api.validation import read_body, read_query
from qa_app.data import improvement_queries as plan_queries
from qa_app.data.cycles import get_cycle
from qa_app.data.improvement import PlanError, StaleAction, add_update, create_action, update_action
from qa_app.data.users import find_by_username, get_user
from qa_app.extensions import db
from qa_app.models import ImprovementAction, PracticeWeek
from qa_app.rules.uk_time import uk_today

PLAN_READERS = (
    "QA leads, moderators, auditors and senior managers (view_improvement_plan); never board "
    "viewers or administrators"
)
PLAN_MANAGERS = "QA leads and senior managers (manage_improvement_plan)"
ACTION_FIELDS = set(shapes.ActionFields.model_fields)
IDS = {"priority": plan_queries.get_priority, "source_cycle": get_cycle}


# ---- reading ------------------------------------------------------------------------------


def _action(action_id: int) -> ImprovementAction:
    action = plan_queries.get_action(action_id)
    if action is None:
        raise ApiError(404, f"No action {action_id}")
    return action


@bp.get("/improvement/plans")
@operation(
    "improvement",
    "Improvement plans with their actions counted by status",
    PLAN_READERS,
    (200, shapes.ImprovementPlanList, "Active plans first, then by title"),
    describe="Each plan with its priorities (the ids an action's priority names), its actions "
    "counted by status, and how many are overdue.",
)
@api_requires("view_improvement_plan")
def list_improvement_plans():
    return jsonify({"items": [plan_json(s) for s in plan_queries.list_plans(uk_today())]})


@bp.get("/improvement/actions")
@operation(
    "improvement",
    "Improvement actions",
    PLAN_READERS,
    (200, shapes.ImprovementActionList, "One page, by plan then number"),
    query=ActionQuery,
    describe="Filters combine. A filter naming nothing (an unknown plan, account or theme) is "
    "422 naming the parameter.",
)
@api_requires("view_improvement_plan")
def list_improvement_actions():
    query, problems = read_query(ActionQuery)
    if query.theme is not None and query.theme not in plan_queries.theme_names():
        problems.add("theme", f"No active theme {query.theme!r}")
    if query.plan is not None and plan_queries.get_plan(query.plan) is None:
        problems.add("plan", f"No plan {query.plan}")
    if query.owner is not None and get_user(query.owner) is None:
        problems.add("owner", f"No account {query.owner}")
    problems.check()
    today = uk_today()
    # Filtered in full, then paged here, so that the total counts every match.
    found = plan_queries.list_actions(
        today=today,
        plan_id=query.plan,
        view=query.view,
        user=api_user(),
        owner_id=query.owner,
        status=query.status,
        theme=query.theme,
    )
    offset, limit = query.offset, query.limit
    return jsonify(
        {
            "items": [action_json(a, today) for a in found[offset : offset + limit]],
            "total": len(found),
            "limit": limit,
            "offset": offset,
        }
    )


@bp.get("/improvement/actions/<int:action_id>")
@operation(
    "improvement",
    "One action, its progress updates and its impact",
    PLAN_READERS,
    (200, shapes.ImprovementAction, "The action"),
    404,
    describe="impact compares, for each targeted theme, the share of completed audits marking "
    "it a strength in the 6 months before work started and since; with fewer than 10 audits on "
    "either side it says so plainly.",
)
@api_requires("view_improvement_plan")
def get_improvement_action(action_id: int):
    return jsonify(action_detail(_action(action_id), uk_today(), api_user()))


# ---- writing ------------------------------------------------------------------------------


def _fields(body: shapes.ActionFields, problems: Problems) -> dict:
    """The action fields sent, with names and ids turned into the objects the data layer takes
    (one that finds nothing is a problem on its field). Null clears."""
    fields: dict = {}
    for name in sorted(ACTION_FIELDS & body.model_fields_set):
        value = fields[name] = getattr(body, name)
        if value is None:
            continue
        if name == "owner":
            fields[name] = find_by_username(value)
            if fields[name] is None:
                problems.add(name, f"No account {value!r}")
        elif name in ("priority", "source_cycle", "source_week"):
            fields[name] = IDS.get(name, _week)(value)
            if fields[name] is None:
                problems.add(name, f"No {name.replace('_', ' ')} {value}")
    return fields


def _week(ident: int):
    return db.session.get(PracticeWeek, ident)


def _stale(error: StaleAction, sent: int) -> ApiError:
    return ApiError(
        409,
        f"The action is at version {error.action.lock_version}, not {sent}: someone changed it "
        "since you read it, so your changes were not saved. Read the action again and send "
        "your changes with its new lock_version.",
        field="lock_version",
        extra={"lock_version": error.action.lock_version},
    )


def _refused(error: PlanError) -> ApiError:
    db.session.rollback()
    return domain_error(error)


@bp.post("/improvement/actions")
@operation(
    "improvement",
    "Add an action to a plan",
    PLAN_MANAGERS,
    (201, shapes.ImprovementAction, "The new action; Location names it"),
    body=shapes.ImprovementActionCreate,
    describe="Numbered next in the plan. A plan that is closed takes no new actions (422 on "
    "plan). Leaving not_started sets started_on to today unless it is given; complete sets "
    "completed_on. Recorded in the change log.",
)
@api_requires("manage_improvement_plan")
def create_improvement_action():
    body, problems = read_body(shapes.ImprovementActionCreate)
    plan = plan_queries.get_plan(body.plan) if body.plan is not None else None
    if body.plan is not None and plan is None:
        problems.add("plan", f"No plan {body.plan}")
    fields = _fields(body, problems)
    problems.check()
    today = uk_today()
    try:
        action = create_action(plan, actor=api_user(), today=today, **fields)
    except PlanError as error:
        raise _refused(error) from None
    action = plan_queries.get_action(action.id)
    return created(
        action_detail(action, today, api_user()),
        url_for(".get_improvement_action", action_id=action.id),
    )


@bp.patch("/improvement/actions/<int:action_id>")
@operation(
    "improvement",
    "Change an action",
    PLAN_MANAGERS,
    (200, shapes.ImprovementAction, "The action as saved, with its new lock_version"),
    404,
    409,
    body=shapes.ImprovementActionPatch,
    describe="Send the lock_version you read and only the fields to change (null clears an id, "
    "an owner or a date). 409 if the action changed since your lock_version: nothing is "
    "overwritten. A status change is also recorded as a progress update (with note, if sent).",
)
@api_requires("manage_improvement_plan")
def patch_improvement_action(action_id: int):
    action = _action(action_id)
    body, problems = read_body(shapes.ImprovementActionPatch)
    fields = _fields(body, problems)
    problems.check()
    today = uk_today()
    try:
        update_action(
            action,
            based_on=body.lock_version,
            actor=api_user(),
            today=today,
            note=body.note or "",
            **fields,
        )
    except StaleAction as error:
        raise _stale(error, body.lock_version) from None
    except PlanError as error:
        raise _refused(error) from None
    return jsonify(action_detail(plan_queries.get_action(action_id), today, api_user()))


@bp.post("/improvement/actions/<int:action_id>/updates")
@operation(
    "improvement",
    "Post a progress update on an action",
    "The action's owner, and QA leads and senior managers (manage_improvement_plan); anyone "
    "else gets 403 (logged)",
    (201, shapes.ImprovementAction, "The action with the new update"),
    404,
    409,
    body=shapes.ProgressUpdateCreate,
    describe="A dated note by the caller, optionally moving the status. With lock_version, 409 "
    "if the action changed since.",
)
@api_requires("view_improvement_plan")
def add_improvement_update(action_id: int):
    action = _action(action_id)
    user = api_user()
    if not plan_queries.may_update(user, action):
        raise refuse(user, "Only the action's owner, or someone who manages the plan, may do this")
    body, problems = read_body(shapes.ProgressUpdateCreate)
    problems.check()
    today = uk_today()
    try:
        add_update(
            action,
            note=body.note,
            status=body.status,
            based_on=body.lock_version,
            actor=user,
            today=today,
        )
    except StaleAction as error:
        raise _stale(error, body.lock_version) from None
    except PlanError as error:
        raise _refused(error) from None
    return created(
        action_detail(plan_queries.get_action(action_id), today, user),
        url_for(".get_improvement_action", action_id=action_id),
    )
