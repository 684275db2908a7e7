"""API views for the improvement plan: plans with their actions counted by status, actions
(list, read, create, change) and progress updates. Every rule is qa_app.data.improvement's:
numbering, lock versions, status dates, the change log. Access as on the web pages: staff
with view_improvement_plan read; plan managers write; an action's owner may post progress."""

from datetime import date

from flask import jsonify, request, url_for

from qa_app.api.audit_routes import MAX_LIMIT, int_param
from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, Problems, bp, json_body
from qa_app.api.fields import Reader
from qa_app.api.routes import created, domain_error
from qa_app.api.serialise import iso
from qa_app.data import improvement_queries as plan_queries
from qa_app.data.cycles import get_cycle
from qa_app.data.improvement import (
    NOTE_MAX,
    TEXT_MAX,
    PlanError,
    StaleAction,
    add_update,
    create_action,
    update_action,
)
from qa_app.data.users import find_by_username, get_user
from qa_app.extensions import db
from qa_app.findings.impact import impacts
from qa_app.models import ActionStatus, ImprovementAction, PracticeWeek

LIST_PARAMS = {"plan", "view", "owner", "status", "theme", "limit", "offset"}
TEXT_FIELDS = {
    "description": TEXT_MAX,
    "expected_outcome": TEXT_MAX,
    "source_note": NOTE_MAX,
}
# What null clears; text fields take "" instead.
NULLABLE = {"priority", "owner", "due_date", "started_on", "source_cycle", "source_week"}
ACTION_FIELDS = {
    *TEXT_FIELDS,
    *NULLABLE,
    "status",
    "source_kind",
    "themes",
}


# ---- shapes -------------------------------------------------------------------------------


def action_json(action: ImprovementAction, today: date) -> dict:
    owner, priority = action.owner, action.priority
    return {
        "id": action.id,
        "plan": {"id": action.plan.id, "title": action.plan.title},
        "number": action.number,
        "priority": (
            {"id": priority.id, "number": priority.number, "title": priority.title}
            if priority is not None
            else None
        ),
        "description": action.description,
        "owner": owner.username if owner is not None else None,
        "owner_name": owner.display_name if owner is not None else None,
        "due_date": iso(action.due_date),
        "status": action.status,
        "rag": ActionStatus(action.status).rag,
        "overdue": plan_queries.is_overdue(action, today),
        "started_on": iso(action.started_on),
        "completed_on": iso(action.completed_on),
        "source_kind": action.source_kind,
        "source_cycle": action.source_cycle_id,
        "source_week": action.source_week_id,
        "source_note": action.source_note,
        "themes": list(action.themes or []),
        "expected_outcome": action.expected_outcome,
        "lock_version": action.lock_version,
        "created_at": iso(action.created_at),
        "updated_at": iso(action.updated_at),
    }


def _share(share) -> dict:
    return {
        "n": share.n,
        "strength": share.strength,
        "development": share.development,
        "not_seen": share.not_seen,
        "percent": share.percent,
    }


def impact_json(impact) -> dict:
    return {
        "message": impact.message,
        "themes": [
            {
                "theme": t.theme,
                "name": t.name,
                "before": {**_share(t.before), "from": iso(t.before_from), "to": iso(t.before_to)},
                "since": {**_share(t.since), "from": iso(t.since_from), "to": iso(t.since_to)},
                "enough": t.enough,
                "change": t.change,
                "sentence": t.sentence,
            }
            for t in impact.themes
        ],
    }


def action_detail(action: ImprovementAction, today: date) -> dict:
    """The action with its progress updates (oldest first) and its impact so far."""
    user = api_user()
    return {
        **action_json(action, today),
        "updates": [
            {
                "id": u.id,
                "at": iso(u.at),
                "author": u.author.username if u.author is not None else None,
                "author_name": u.author.display_name if u.author is not None else None,
                "note": u.note,
                "status_from": u.status_from,
                "status_to": u.status_to,
            }
            for u in action.updates
        ],
        "impact": impact_json(impacts([action], today=today)[action.id]),
        "can_update": plan_queries.may_update(user, action),
    }


def plan_json(summary) -> dict:
    plan = summary.plan
    return {
        "id": plan.id,
        "title": plan.title,
        "description": plan.description,
        "starts_on": iso(plan.starts_on),
        "ends_on": iso(plan.ends_on),
        "status": plan.status,
        "priorities": [{"id": p.id, "number": p.number, "title": p.title} for p in plan.priorities],
        "by_status": dict(summary.by_status),
        "total": summary.total,
        "overdue": summary.overdue,
    }


# ---- reading ------------------------------------------------------------------------------


def _action(action_id: int) -> ImprovementAction:
    action = plan_queries.get_action(action_id)
    if action is None:
        raise ApiError(404, f"No action {action_id}")
    return action


@bp.get("/improvement/plans")
@api_requires("view_improvement_plan")
def list_improvement_plans():
    return jsonify({"items": [plan_json(s) for s in plan_queries.list_plans(date.today())]})


@bp.get("/improvement/actions")
@api_requires("view_improvement_plan")
def list_improvement_actions():
    problems = Problems()
    for name in sorted(set(request.args) - LIST_PARAMS):
        problems.add(name, f"Unknown parameter {name!r}")
    plan_id = int_param("plan", problems)
    owner_id = int_param("owner", problems)
    limit = int_param("limit", problems, 50, 1, MAX_LIMIT)
    offset = int_param("offset", problems, 0, 0)
    view = request.args.get("view", "all")
    if view not in plan_queries.VIEWS:
        problems.add("view", f"view must be one of {', '.join(plan_queries.VIEWS)}")
    status = request.args.get("status")
    if status is not None and status not in plan_queries.STATUSES:
        problems.add("status", f"status must be one of {', '.join(plan_queries.STATUSES)}")
    theme = request.args.get("theme")
    if theme is not None and theme not in plan_queries.theme_names():
        problems.add("theme", f"No active theme {theme!r}")
    if plan_id is not None and plan_queries.get_plan(plan_id) is None:
        problems.add("plan", f"No plan {plan_id}")
    if owner_id is not None and get_user(owner_id) is None:
        problems.add("owner", f"No account {owner_id}")
    problems.check()
    today = date.today()
    # Filtered in full, then paged here, so that the total counts every match.
    found = plan_queries.list_actions(
        today=today,
        plan_id=plan_id,
        view=view,
        user=api_user(),
        owner_id=owner_id,
        status=status,
        theme=theme,
    )
    return jsonify(
        {
            "items": [action_json(a, today) for a in found[offset : offset + limit]],
            "total": len(found),
            "limit": limit,
            "offset": offset,
        }
    )


@bp.get("/improvement/actions/<int:action_id>")
@api_requires("view_improvement_plan")
def get_improvement_action(action_id: int):
    return jsonify(action_detail(_action(action_id), date.today()))


# ---- writing ------------------------------------------------------------------------------


def _fields(r: Reader, names: set[str]) -> dict:
    """The action fields present in the body, typed, with ids turned into the objects the data
    layer takes (a name that finds nothing is a problem on its field). Null clears."""
    fields: dict = {}
    for name in sorted(names & set(r.body)):
        value = r.body[name]
        if value is None:
            if name in NULLABLE:
                fields[name] = None
            else:
                r.add(name, f"{name} cannot be null")
            continue
        if name in TEXT_FIELDS:
            text = r.text(name, max_length=TEXT_FIELDS[name])
            if text is not None:
                fields[name] = text
        elif name in ("due_date", "started_on"):
            day = r.date(name)
            if day is not None:
                fields[name] = day
        elif name in ("status", "source_kind"):
            text = r.text(name)
            allowed = plan_queries.STATUSES if name == "status" else plan_queries.SOURCES
            if text is not None and text not in allowed:
                r.add(name, f"{name} must be one of {', '.join(allowed)}")
            elif text is not None:
                fields[name] = text
        elif name == "themes":
            if isinstance(value, list) and all(isinstance(k, str) for k in value):
                fields[name] = value
            else:
                r.add(name, "themes must be a list of theme keys")
        elif name == "owner":
            username = r.text(name)
            if username is not None:
                owner = find_by_username(username)
                if owner is None:
                    r.add(name, f"No account {username!r}")
                fields[name] = owner
        else:  # priority, source_cycle, source_week: ids
            ident = r.identifier(name)
            if ident is None:
                continue
            found = _by_id(name, ident)
            if found is None:
                r.add(name, f"No {name.replace('_', ' ')} {ident}")
            fields[name] = found
    return fields


def _by_id(name: str, ident: int):
    if name == "priority":
        return plan_queries.get_priority(ident)
    if name == "source_cycle":
        return get_cycle(ident)
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
@api_requires("manage_improvement_plan")
def create_improvement_action():
    r = Reader(json_body(), ACTION_FIELDS | {"plan"})
    plan_id = r.identifier("plan", required=True)
    plan = plan_queries.get_plan(plan_id) if plan_id is not None else None
    if plan_id is not None and plan is None:
        r.add("plan", f"No plan {plan_id}")
    if "description" not in r.body:
        r.add("description", "description is required")
    fields = _fields(r, ACTION_FIELDS)
    r.problems.check()
    today = date.today()
    try:
        action = create_action(plan, actor=api_user(), today=today, **fields)
    except PlanError as error:
        raise _refused(error) from None
    action = plan_queries.get_action(action.id)
    return created(
        action_detail(action, today),
        url_for(".get_improvement_action", action_id=action.id),
    )


@bp.patch("/improvement/actions/<int:action_id>")
@api_requires("manage_improvement_plan")
def patch_improvement_action(action_id: int):
    action = _action(action_id)
    r = Reader(json_body(), ACTION_FIELDS | {"lock_version", "note"})
    based_on = r.identifier("lock_version", required=True)
    note = r.text("note", max_length=TEXT_MAX) or ""
    fields = _fields(r, ACTION_FIELDS)
    r.problems.check()
    today = date.today()
    try:
        update_action(action, based_on=based_on, actor=api_user(), today=today, note=note, **fields)
    except StaleAction as error:
        raise _stale(error, based_on) from None
    except PlanError as error:
        raise _refused(error) from None
    return jsonify(action_detail(plan_queries.get_action(action_id), today))


@bp.post("/improvement/actions/<int:action_id>/updates")
@api_requires("view_improvement_plan")
def add_improvement_update(action_id: int):
    action = _action(action_id)
    user = api_user()
    if not plan_queries.may_update(user, action):
        raise refuse(user, "Only the action's owner, or someone who manages the plan, may do this")
    r = Reader(json_body(), {"note", "status", "lock_version"})
    note = r.text("note", required=True, max_length=TEXT_MAX)
    status = r.text("status")
    if status is not None and status not in plan_queries.STATUSES:
        r.add("status", f"status must be one of {', '.join(plan_queries.STATUSES)}")
    based_on = r.identifier("lock_version")
    r.problems.check()
    today = date.today()
    try:
        add_update(action, note=note, status=status, based_on=based_on, actor=user, today=today)
    except StaleAction as error:
        raise _stale(error, based_on) from None
    except PlanError as error:
        raise _refused(error) from None
    return created(
        action_detail(plan_queries.get_action(action_id), today),
        url_for(".get_improvement_action", action_id=action_id),
    )
