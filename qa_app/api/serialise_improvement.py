"""Shaping the improvement plan as JSON: plans with their actions counted by status, actions
with their progress updates and impact. No writes here. Every shape is described in
qa_app/api/schemas/improvement.py, and tests check real responses against it."""

from datetime import date

from qa_app.api.serialise import iso
from qa_app.data import improvement_queries as plan_queries
from qa_app.findings.impact import impacts
from qa_app.models import ActionStatus, ImprovementAction, User


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


def action_detail(action: ImprovementAction, today: date, user: User) -> dict:
    """The action with its progress updates (oldest first) and its impact so far, for `user`."""
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
