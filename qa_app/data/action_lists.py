"""The cross-plan list of improvement actions on a page: one of the views (mine, overdue, at
risk, open, all), sorted by a column, filtered by status (RAG), owner and plan, and paged: a
count, the page, and the page's plans and owners loaded in one query each."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa_app.data.improvement_queries import STATUSES, view_filter
from qa_app.data.listing import Page, ordered, paged
from qa_app.extensions import db
from qa_app.models import ActionStatus, ImprovementAction, ImprovementPlan, User
from qa_app.rules.listing import ListSpec, ListState

SORT_COLUMNS: dict[str, Any] = {
    "number": ImprovementAction.number,
    "plan": ImprovementPlan.title,
    "owner": User.display_name,
    "due": ImprovementAction.due_date,
    "status": ImprovementAction.status,
}
ACTIONS = ListSpec(
    sorts={"number": "Action", "plan": "Plan", "owner": "Owner", "due": "Due", "status": "Status"},
    default_sort="number",
    filters={"status": frozenset(STATUSES), "owner": None, "plan": None},
)


def action_page(view: str, user: User, state: ListState, today: date) -> Page:
    where = view_filter(view, user, today)
    f = state.filters
    if "status" in f:
        where.append(ImprovementAction.status == f["status"])
    if "owner" in f:
        where.append(ImprovementAction.owner_id == int(f["owner"]))
    if "plan" in f:
        where.append(ImprovementAction.plan_id == int(f["plan"]))
    stmt = (
        select(ImprovementAction)
        .join(ImprovementPlan, ImprovementPlan.id == ImprovementAction.plan_id)
        .outerjoin(User, User.id == ImprovementAction.owner_id)
        .where(*where)
        .options(selectinload(ImprovementAction.plan), selectinload(ImprovementAction.owner))
    )
    counting = select(ImprovementAction.id).where(*where)
    tiebreak = (ImprovementAction.plan_id, ImprovementAction.number, ImprovementAction.id)
    stmt = ordered(stmt, state, SORT_COLUMNS, tiebreak)
    return paged(stmt, state, scalars=True, counting=counting)


def filter_choices() -> list[tuple[str, str, list[Any]]]:
    """(name, label, options) for the status, owner and plan filters: two small queries."""
    owners = db.session.execute(
        select(User.id, User.display_name)
        .where(User.id.in_(select(ImprovementAction.owner_id)))
        .order_by(User.display_name)
    )
    plans = db.session.execute(
        select(ImprovementPlan.id, ImprovementPlan.title).order_by(ImprovementPlan.title)
    )
    return [
        ("status", "Status (RAG)", [(s.value, s.label) for s in ActionStatus]),
        ("owner", "Owner", [tuple(r) for r in owners]),
        ("plan", "Plan", [tuple(r) for r in plans]),
    ]
