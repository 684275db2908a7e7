"""Every read and write of the improvement plan: plans, priorities, actions and progress updates.

The web pages, the JSON API and the practice week's "turn a quick win into an action" all write
through here, so the rules live in one place:

* an action's number is the next in its plan and never reused;
* a save names the lock version it was based on; a stale one is refused (`StaleAction`);
* leaving "not started" sets the day work started (the impact figures compare before and since
  it) unless one is given; "complete" sets the day it completed, and leaving it clears that;
* every change is in the change log, and a status change is also a dated progress update, so
  the action's own history shows it.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.findings.filters import EARLIEST, LATEST
from qa_app.models import (
    ActionSource,
    ActionStatus,
    ActionUpdate,
    AuditCycle,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    Priority,
    Theme,
    User,
    UserRole,
)
from qa_app.security import PERMISSIONS, may
from qa_app.templates_engine.answers import clean_text

TITLE_MAX = 200
TEXT_MAX = 4000
NOTE_MAX = 300
STATUSES = [s.value for s in ActionStatus]
SOURCES = [s.value for s in ActionSource]
OPEN = [s.value for s in ActionStatus if s != ActionStatus.COMPLETE]


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


# ---- reading ------------------------------------------------------------------------------


def get_plan(plan_id: int) -> ImprovementPlan | None:
    return db.session.get(ImprovementPlan, plan_id)


def get_plan_by_title(title: str) -> ImprovementPlan | None:
    return db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.title == title.strip()))


def get_priority(priority_id: int) -> Priority | None:
    return db.session.get(Priority, priority_id)


def get_action(action_id: int) -> ImprovementAction | None:
    return db.session.scalar(
        select(ImprovementAction)
        .where(ImprovementAction.id == action_id)
        .options(
            *_action_load(),
            selectinload(ImprovementAction.updates).selectinload(ActionUpdate.author),
        )
    )


def _action_load():
    return (
        selectinload(ImprovementAction.plan),
        selectinload(ImprovementAction.priority),
        selectinload(ImprovementAction.owner),
        selectinload(ImprovementAction.source_cycle),
    )


@dataclass
class PlanSummary:
    plan: ImprovementPlan
    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def list_plans(today: date) -> list[PlanSummary]:
    """Every plan, active first then by title, with its actions counted by status (two
    grouped queries, whatever the number of plans)."""
    plans = list(
        db.session.scalars(
            select(ImprovementPlan).order_by(
                ImprovementPlan.status != "active", ImprovementPlan.title
            )
        )
    )
    counts = db.session.execute(
        select(ImprovementAction.plan_id, ImprovementAction.status, func.count()).group_by(
            ImprovementAction.plan_id, ImprovementAction.status
        )
    ).all()
    overdue = dict(
        db.session.execute(
            select(ImprovementAction.plan_id, func.count())
            .where(_overdue(today))
            .group_by(ImprovementAction.plan_id)
        ).all()
    )
    by_plan: dict[int, dict[str, int]] = {}
    for plan_id, status, n in counts:
        by_plan.setdefault(plan_id, dict.fromkeys(STATUSES, 0))[status] = n
    return [
        PlanSummary(p, by_plan.get(p.id, dict.fromkeys(STATUSES, 0)), overdue.get(p.id, 0))
        for p in plans
    ]


def _overdue(today: date):
    return (ImprovementAction.due_date < today) & ImprovementAction.status.in_(OPEN)


def is_overdue(action: ImprovementAction, today: date) -> bool:
    return bool(action.due_date and action.due_date < today and action.status in OPEN)


VIEWS = ("all", "overdue", "at_risk", "mine", "open")


def list_actions(
    *,
    today: date,
    plan_id: int | None = None,
    view: str = "all",
    user: User | None = None,
    owner_id: int | None = None,
    status: str | None = None,
    theme: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ImprovementAction]:
    """Actions, in plan then number order, for one of the VIEWS: all; overdue (past due and
    not complete); at_risk (at risk or off track); mine (owned by `user`); open."""
    stmt = select(ImprovementAction).options(*_action_load())
    if plan_id is not None:
        stmt = stmt.where(ImprovementAction.plan_id == plan_id)
    if view == "overdue":
        stmt = stmt.where(_overdue(today))
    elif view == "at_risk":
        stmt = stmt.where(
            ImprovementAction.status.in_([ActionStatus.AT_RISK, ActionStatus.OFF_TRACK])
        )
    elif view == "mine":
        stmt = stmt.where(ImprovementAction.owner_id == (user.id if user else -1))
    elif view == "open":
        stmt = stmt.where(ImprovementAction.status.in_(OPEN))
    if owner_id is not None:
        stmt = stmt.where(ImprovementAction.owner_id == owner_id)
    if status is not None:
        stmt = stmt.where(ImprovementAction.status == status)
    stmt = stmt.order_by(ImprovementAction.plan_id, ImprovementAction.number)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None and theme is None:
        stmt = stmt.limit(limit)
    found = list(db.session.scalars(stmt))
    if theme is not None:  # themes are a JSON list: filtered here, portable across databases
        found = [a for a in found if theme in (a.themes or [])]
        found = found[:limit] if limit is not None else found
    return found


def may_update(user, action: ImprovementAction) -> bool:
    """Who may post progress on an action: whoever manages the plan, and the action's owner."""
    return may(user, "manage_improvement_plan") or (
        user.is_authenticated and action.owner_id == user.id
    )


def theme_names() -> dict[str, str]:
    """Active theme keys and names, in name order: what an action may target."""
    return dict(
        db.session.execute(
            select(Theme.key, Theme.name).where(Theme.active.is_(True)).order_by(Theme.name)
        ).all()
    )


def plan_actions(
    plan: ImprovementPlan, today: date
) -> list[tuple[Priority | None, list[ImprovementAction]]]:
    """The plan's actions grouped under its priorities in number order, then those with no
    priority (a group keyed None, left out when empty). Two queries, whatever the size."""
    actions = list_actions(today=today, plan_id=plan.id)
    groups: list[tuple[Priority | None, list[ImprovementAction]]] = [
        (p, [a for a in actions if a.priority_id == p.id]) for p in plan.priorities
    ]
    loose = [a for a in actions if a.priority_id is None]
    if loose:
        groups.append((None, loose))
    return groups


def owns_actions(user) -> bool:
    """Whether `user` owns any action (their "my actions" list is then their default)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(ImprovementAction.id).where(ImprovementAction.owner_id == user.id).limit(1)
        )
    )


def owner_choices() -> list[User]:
    """Who may own an action: active accounts that can read the plan, by display name."""
    roles = sorted(r.value for r in PERMISSIONS["view_improvement_plan"])
    has_role = select(UserRole.user_id).where(UserRole.role.in_(roles))
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.id.in_(has_role))
            .order_by(User.display_name, User.id)
        )
    )


def source_cycles() -> list[AuditCycle]:
    """Audit cycles an action may answer, newest first."""
    return list(db.session.scalars(select(AuditCycle).order_by(AuditCycle.id.desc())))


def source_weeks() -> list[PracticeWeek]:
    """Practice weeks an action may answer, latest first."""
    return list(
        db.session.scalars(
            select(PracticeWeek).order_by(PracticeWeek.starts_on.desc(), PracticeWeek.id.desc())
        )
    )


def source_text(action: ImprovementAction) -> str:
    """What the action answers, in words: "A practice week: Spring 2027 (note)"."""
    kind = ActionSource(action.source_kind) if action.source_kind in SOURCES else None
    named = ""
    if action.source_cycle_id is not None and action.source_cycle is not None:
        named = action.source_cycle.name
    elif action.source_week_id is not None:
        week = db.session.get(PracticeWeek, action.source_week_id)
        named = week.name if week is not None else ""
    parts = [kind.label if kind else action.source_kind]
    if named:
        parts[0] += f": {named}"
    if action.source_note:
        parts.append(f"({action.source_note})")
    return " ".join(parts)


# ---- validating ---------------------------------------------------------------------------


def _text(value, field: str, what: str, *, required: bool, limit: int) -> str:
    text = clean_text(value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise PlanError(f"Enter {what} as text", field)
    if required and not text:
        raise PlanError(f"Enter {what}", field)
    if len(text) > limit:
        raise PlanError(f"{what.capitalize()} must be {limit} characters or fewer", field)
    return text


def _day(value, field: str, what: str) -> date | None:
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


def _choice(value, allowed: list[str], field: str, what: str) -> str:
    if value not in allowed:
        raise PlanError(f"Choose {what} from the list", field)
    return value


def _themes(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(k, str) for k in value):
        raise PlanError("Themes must be a list of theme keys", "themes")
    known = theme_names()
    unknown = [k for k in value if k not in known]
    if unknown:
        raise PlanError(f"Unknown theme: {', '.join(sorted(set(unknown)))}", "themes")
    return sorted(set(value), key=lambda k: list(known).index(k))


def _clean_action(fields: dict, plan: ImprovementPlan) -> dict:
    """The given action fields, checked and normalised (only those present)."""
    out: dict = {}
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


def _snapshot(action: ImprovementAction) -> dict:
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
    actor,
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
        before: dict = {}
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
    actor,
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
        changes = {"number": number, "title": title}
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
    actor,
    today: date,
    commit: bool = True,
    **fields,
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
    action: ImprovementAction, *, based_on: int, actor, today: date, note: str = "", **fields
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
    actor,
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
    changes: dict = {"update": update.id, "note": note}
    if action.status != old:
        changes["status"] = [old, action.status]
    changelog.record(actor, "improvement_action", action.id, "progress", changes)
    db.session.commit()
    return update


def history(action: ImprovementAction, limit: int = 100):
    """The action's change-log entries, newest first."""
    return changelog.entries_for("improvement_action", action.id, limit=limit)
