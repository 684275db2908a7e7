"""Every write to the improvement plan: plans, priorities, actions and progress updates, and the
validation they share. The reads (lists, views, the forms' choices) are in
qa_app.data.improvement_queries.

The web pages, the JSON API and the practice week's "turn a quick win into an action" all write
through here, so the rules live in one place:

* an action's number is the next in its plan and never reused;
* a save names the lock version it was based on; a stale one is refused (`StaleAction`);
* leaving "not started" sets the day work started (the impact figures compare before and since
  it) unless one is given; "complete" sets the day it completed, and leaving it clears that;
* every change is in the change log, and a status change is also a dated progress update, so
  the action's own history shows it.
"""

from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.improvement_queries import SOURCES, STATUSES, get_plan_by_title, theme_names
from qa_app.extensions import db
from qa_app.models import (
    ActionSource,
    ActionStatus,
    ActionUpdate,
    AuditCycle,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    Priority,
    User,
)
from qa_app.rules.uk_time import EARLIEST, LATEST
from qa_app.templates_engine.answers import clean_text

TITLE_MAX = 200
TEXT_MAX = 4000
NOTE_MAX = 300


class PlanError(ValueError):
    """Input the plan cannot take; `field` names the form field (or API property) at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleAction(Exception):
    """The action changed since the page (or API caller) read it."""

    def __init__(self, action: ImprovementAction):
        super().__init__(f"action {action.id} has changed since it was read")
        self.action = action


# ---- validating ---------------------------------------------------------------------------


def _text(value: Any, field: str, what: str, *, required: bool, limit: int) -> str:
    text = clean_text(value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise PlanError(f"Enter {what} as text", field)
    if required and not text:
        raise PlanError(f"Enter {what}", field)
    if len(text) > limit:
        raise PlanError(f"{what.capitalize()} must be {limit} characters or fewer", field)
    return text


def _day(value: Any, field: str, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise PlanError(f"Enter {what} as a date, for example 2027-03-31", field) from None
    if not isinstance(value, date) or not EARLIEST <= value <= LATEST:
        raise PlanError(f"Enter {what} between 1900 and 2999", field)
    return value


def _choice(value: Any, allowed: list[str], field: str, what: str) -> str:
    if value not in allowed:
        raise PlanError(f"Choose {what} from the list", field)
    assert isinstance(value, str)  # one of `allowed`
    return value


def _themes(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(k, str) for k in value):
        raise PlanError("Themes must be a list of theme keys", "themes")
    known = theme_names()
    unknown = [k for k in value if k not in known]
    if unknown:
        raise PlanError(f"Unknown theme: {', '.join(sorted(set(unknown)))}", "themes")
    return sorted(set(value), key=lambda k: list(known).index(k))


def _clean_action(fields: dict[str, Any], plan: ImprovementPlan) -> dict[str, Any]:
    """The given action fields, checked and normalised (only those present)."""
    out: dict[str, Any] = {}
    if "description" in fields:
        out["description"] = _text(
            fields["description"], "description", "a description", required=True, limit=TEXT_MAX
        )
    if "expected_outcome" in fields:
        out["expected_outcome"] = _text(
            fields["expected_outcome"],
            "expected_outcome",
            "the expected outcome",
            required=False,
            limit=TEXT_MAX,
        )
    if "source_note" in fields:
        out["source_note"] = _text(
            fields["source_note"], "source_note", "the source", required=False, limit=NOTE_MAX
        )
    for name, what in (("due_date", "the due date"), ("started_on", "the start date")):
        if name in fields:
            out[name] = _day(fields[name], name, what)
    if "status" in fields:
        out["status"] = _choice(fields["status"], STATUSES, "status", "a status")
    if "source_kind" in fields:
        out["source_kind"] = _choice(fields["source_kind"], SOURCES, "source_kind", "a source")
    if "themes" in fields:
        out["themes"] = _themes(fields["themes"])
    if "owner" in fields:
        owner = fields["owner"]
        if owner is not None and (not isinstance(owner, User) or not owner.active):
            raise PlanError("Choose an owner from the list of active accounts", "owner")
        out["owner_id"] = owner.id if owner is not None else None
    if "priority" in fields:
        priority = fields["priority"]
        if priority is not None and (
            not isinstance(priority, Priority) or priority.plan_id != plan.id
        ):
            raise PlanError("Choose one of this plan's priorities", "priority")
        out["priority_id"] = priority.id if priority is not None else None
    if "source_cycle" in fields:
        cycle = fields["source_cycle"]
        if cycle is not None and not isinstance(cycle, AuditCycle):
            raise PlanError("Choose an audit cycle from the list", "source_cycle")
        out["source_cycle_id"] = cycle.id if cycle is not None else None
    if "source_week" in fields:
        week = fields["source_week"]
        if week is not None and not isinstance(week, PracticeWeek):
            raise PlanError("Choose a practice week from the list", "source_week")
        out["source_week_id"] = week.id if week is not None else None
    return out


def _snapshot(action: ImprovementAction) -> dict[str, Any]:
    return {
        "description": action.description,
        "expected_outcome": action.expected_outcome,
        "owner_id": action.owner_id,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "started_on": action.started_on.isoformat() if action.started_on else None,
        "completed_on": action.completed_on.isoformat() if action.completed_on else None,
        "priority_id": action.priority_id,
        "source_kind": action.source_kind,
        "source_cycle_id": action.source_cycle_id,
        "source_week_id": action.source_week_id,
        "source_note": action.source_note,
        "themes": list(action.themes or []),
    }


def _apply_status_dates(action: ImprovementAction, old_status: str | None, today: date) -> None:
    if action.status != ActionStatus.NOT_STARTED and action.started_on is None:
        action.started_on = today
    if action.status == ActionStatus.COMPLETE and old_status != ActionStatus.COMPLETE:
        action.completed_on = today
    elif action.status != ActionStatus.COMPLETE:
        action.completed_on = None


# ---- writing ------------------------------------------------------------------------------


def save_plan(
    plan: ImprovementPlan | None,
    *,
    title: str,
    description: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = "active",
    actor: User | None,
) -> ImprovementPlan:
    """Create a plan (plan=None) or change one; commits."""
    title = _text(title, "title", "a title", required=True, limit=TITLE_MAX)
    description = _text(description, "description", "a description", required=False, limit=TEXT_MAX)
    starts_on = _day(starts_on, "starts_on", "the start date")
    ends_on = _day(ends_on, "ends_on", "the end date")
    if starts_on and ends_on and ends_on < starts_on:
        raise PlanError("The end date must be on or after the start date", "ends_on")
    status = _choice(status, ["active", "closed"], "status", "a status")
    other = get_plan_by_title(title)
    if other is not None and other is not plan:
        raise PlanError(f"There is already a plan called {title!r}", "title")
    after = {
        "title": title,
        "description": description,
        "starts_on": starts_on.isoformat() if starts_on else None,
        "ends_on": ends_on.isoformat() if ends_on else None,
        "status": status,
    }
    if plan is None:
        plan = ImprovementPlan(created_by_id=getattr(actor, "id", None))
        db.session.add(plan)
        before: dict[str, Any] = {}
        verb = "created"
    else:
        before = {
            "title": plan.title,
            "description": plan.description,
            "starts_on": plan.starts_on.isoformat() if plan.starts_on else None,
            "ends_on": plan.ends_on.isoformat() if plan.ends_on else None,
            "status": plan.status,
        }
        verb = "updated"
    plan.title, plan.description, plan.status = title, description, status
    plan.starts_on, plan.ends_on = starts_on, ends_on
    db.session.flush()
    changelog.record(actor, "improvement_plan", plan.id, verb, changelog.diff(before, after))
    db.session.commit()
    return plan


def save_priority(
    plan: ImprovementPlan,
    priority: Priority | None,
    *,
    title: str,
    description: str = "",
    actor: User | None,
) -> Priority:
    """Add a priority to the plan (numbered next) or change one; commits."""
    title = _text(title, "title", "a title", required=True, limit=TITLE_MAX)
    description = _text(description, "description", "a description", required=False, limit=TEXT_MAX)
    if priority is None:
        number = (
            db.session.scalar(select(func.max(Priority.number)).where(Priority.plan_id == plan.id))
            or 0
        ) + 1
        priority = Priority(plan_id=plan.id, number=number, title=title, description=description)
        db.session.add(priority)
        db.session.flush()
        changes: dict[str, Any] = {"number": number, "title": title}
        changelog.record(actor, "improvement_plan", plan.id, "priority_added", changes)
    else:
        changes = changelog.diff(
            {"title": priority.title, "description": priority.description},
            {"title": title, "description": description},
        )
        priority.title, priority.description = title, description
        changelog.record(
            actor,
            "improvement_plan",
            plan.id,
            "priority_updated",
            {"priority": priority.number, **changes},
        )
    db.session.commit()
    return priority


def create_action(
    plan: ImprovementPlan,
    *,
    actor: User | None,
    today: date,
    commit: bool = True,
    **fields: Any,
) -> ImprovementAction:
    """A new action, numbered next in the plan. `fields` as `update_action` takes them;
    description is required. With commit=False the caller commits (e.g. with a quick win)."""
    if plan.status != "active":
        raise PlanError("This plan is closed: reopen it to add actions", "plan")
    if "description" not in fields:
        raise PlanError("Enter a description", "description")
    clean = _clean_action(fields, plan)
    number = (
        db.session.scalar(
            select(func.max(ImprovementAction.number)).where(ImprovementAction.plan_id == plan.id)
        )
        or 0
    ) + 1
    action = ImprovementAction(
        plan_id=plan.id,
        number=number,
        created_by_id=getattr(actor, "id", None),
        status=ActionStatus.NOT_STARTED.value,
        source_kind=ActionSource.OTHER.value,
        themes=[],
        source_note="",
        expected_outcome="",
    )
    for name, value in clean.items():
        setattr(action, name, value)
    _apply_status_dates(action, None, today)
    db.session.add(action)
    db.session.flush()
    changelog.record(
        actor, "improvement_action", action.id, "created", {"plan": plan.id, **_snapshot(action)}
    )
    if commit:
        db.session.commit()
    return action


def update_action(
    action: ImprovementAction,
    *,
    based_on: int,
    actor: User | None,
    today: date,
    note: str = "",
    **fields: Any,
) -> ImprovementAction:
    """Change an action's fields from the version `based_on`; commits. A status change adds a
    progress update (with `note`, if given) as well as the change-log entry."""
    if based_on != action.lock_version:
        raise StaleAction(action)
    clean = _clean_action(fields, action.plan)
    note = _text(note, "note", "a note", required=False, limit=TEXT_MAX)
    before = _snapshot(action)
    for name, value in clean.items():
        setattr(action, name, value)
    _apply_status_dates(action, before["status"], today)
    changes = changelog.diff(before, _snapshot(action))
    if not changes and not note:
        return action
    action.lock_version += 1
    if before["status"] != action.status or note:
        db.session.add(
            ActionUpdate(
                action_id=action.id,
                author_id=getattr(actor, "id", None),
                note=note,
                status_from=before["status"] if before["status"] != action.status else None,
                status_to=action.status if before["status"] != action.status else None,
            )
        )
    changelog.record(actor, "improvement_action", action.id, "updated", changes)
    db.session.commit()
    return action


def add_update(
    action: ImprovementAction,
    *,
    note: str,
    actor: User | None,
    today: date,
    status: str | None = None,
    based_on: int | None = None,
) -> ActionUpdate:
    """A dated progress note by the owner (or a plan manager), optionally moving the status;
    commits. The note is required: a status change alone is `update_action`'s job."""
    if based_on is not None and based_on != action.lock_version:
        raise StaleAction(action)
    note = _text(note, "note", "a progress note", required=True, limit=TEXT_MAX)
    old = action.status
    if status is not None and status != old:
        action.status = _choice(status, STATUSES, "status", "a status")
        _apply_status_dates(action, old, today)
    update = ActionUpdate(
        action_id=action.id,
        author_id=getattr(actor, "id", None),
        note=note,
        status_from=old if action.status != old else None,
        status_to=action.status if action.status != old else None,
    )
    db.session.add(update)
    action.lock_version += 1
    db.session.flush()
    changes: dict[str, Any] = {"update": update.id, "note": note}
    if action.status != old:
        changes["status"] = [old, action.status]
    changelog.record(actor, "improvement_action", action.id, "progress", changes)
    db.session.commit()
    return update
