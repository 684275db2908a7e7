"""Reading the improvement plan: plans, priorities and actions, the cross-plan action lists,
a plan's progress updates, and the choices the action forms offer. The writes, and the rules
they keep, are qa_app.data.improvement's."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Exists, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import (
    ActionSource,
    ActionStatus,
    ActionUpdate,
    AuditCycle,
    ChangeLogEntry,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    Priority,
    Theme,
    User,
    UserRole,
)
from qa_app.rules.permissions import PERMISSIONS, may

STATUSES = [s.value for s in ActionStatus]
SOURCES = [s.value for s in ActionSource]
OPEN = [s.value for s in ActionStatus if s != ActionStatus.COMPLETE]
VIEWS = ("all", "overdue", "at_risk", "mine", "open")


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


def _action_load() -> tuple[_AbstractLoad, ...]:
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


def _overdue(today: date) -> ColumnElement[bool]:
    return (ImprovementAction.due_date < today) & ImprovementAction.status.in_(OPEN)


def is_overdue(action: ImprovementAction, today: date) -> bool:
    return bool(action.due_date and action.due_date < today and action.status in OPEN)


def _targets(theme: str) -> Exists:
    """The action's themes (a JSON list of keys) include `theme`: an EXISTS over the list's
    elements, in the database's own dialect, so the filter (and any paging) is in the query."""
    if db.session.get_bind().dialect.name == "sqlite":
        elements = func.json_each(ImprovementAction.themes)
    else:
        elements = func.json_array_elements_text(ImprovementAction.themes)
    element = elements.table_valued("value").alias("theme_element")
    return select(element.c.value).where(element.c.value == theme).exists()


def view_filter(view: str, user: User | None, today: date) -> list[ColumnElement[bool]]:
    """The WHERE clauses of one of the VIEWS (all: none)."""
    if view == "overdue":
        return [_overdue(today)]
    if view == "at_risk":
        return [ImprovementAction.status.in_([ActionStatus.AT_RISK, ActionStatus.OFF_TRACK])]
    if view == "mine":
        return [ImprovementAction.owner_id == (user.id if user else -1)]
    if view == "open":
        return [ImprovementAction.status.in_(OPEN)]
    return []


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
    not complete); at_risk (at risk or off track); mine (owned by `user`); open. Every filter
    is applied before `offset` and `limit`."""
    stmt = select(ImprovementAction).options(*_action_load()).where(*view_filter(view, user, today))
    if plan_id is not None:
        stmt = stmt.where(ImprovementAction.plan_id == plan_id)
    if owner_id is not None:
        stmt = stmt.where(ImprovementAction.owner_id == owner_id)
    if status is not None:
        stmt = stmt.where(ImprovementAction.status == status)
    if theme is not None:
        stmt = stmt.where(_targets(theme))
    stmt = stmt.order_by(ImprovementAction.plan_id, ImprovementAction.number)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def actions_live_in(date_from: date, date_to: date) -> list[ImprovementAction]:
    """Every action still open, or completed between the two dates, with its plan and owner,
    in plan and number order (what a board report or a scrutiny pack reads). One query, and
    one each for the plans and owners."""
    stmt = (
        select(ImprovementAction)
        .options(selectinload(ImprovementAction.plan), selectinload(ImprovementAction.owner))
        .where(
            (ImprovementAction.status != ActionStatus.COMPLETE)
            | (
                (ImprovementAction.completed_on >= date_from)
                & (ImprovementAction.completed_on <= date_to)
            )
        )
        .order_by(ImprovementAction.plan_id, ImprovementAction.number)
    )
    return list(db.session.scalars(stmt))


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


def plan_updates(plan_id: int) -> list[tuple[ActionUpdate, str | None]]:
    """Every progress update on the plan's actions, oldest first, with its author's display
    name (None when the author is gone): one query, whatever the number of actions."""
    stmt = (
        select(ActionUpdate, User.display_name)
        .join(ImprovementAction, ImprovementAction.id == ActionUpdate.action_id)
        .outerjoin(User, User.id == ActionUpdate.author_id)
        .where(ImprovementAction.plan_id == plan_id)
        .order_by(ActionUpdate.at, ActionUpdate.id)
    )
    return [(update, name) for update, name in db.session.execute(stmt)]


def may_update(user: User, action: ImprovementAction) -> bool:
    """Who may post progress on an action: whoever manages the plan, and the action's owner."""
    return may(user, "manage_improvement_plan") or (
        user.is_authenticated and action.owner_id == user.id
    )


def owns_actions(user: User) -> bool:
    """Whether `user` owns any action (their "my actions" list is then their default)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        db.session.scalar(
            select(ImprovementAction.id).where(ImprovementAction.owner_id == user.id).limit(1)
        )
    )


def history(action: ImprovementAction, limit: int = 100) -> list[ChangeLogEntry]:
    """The action's change-log entries, newest first."""
    return changelog.entries_for("improvement_action", action.id, limit=limit)


# ---- what an action may name (the forms' choices) -------------------------------------------


def theme_names() -> dict[str, str]:
    """Active theme keys and names, in name order: what an action may target."""
    return dict(
        db.session.execute(
            select(Theme.key, Theme.name).where(Theme.active.is_(True)).order_by(Theme.name)
        ).all()
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
