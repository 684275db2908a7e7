"""The list of urgent safeguarding concerns a person may see, sorted, filtered (open, overdue,
signed off; team) and paged: one query for the count, one for the page."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, select

from qa_app.data.concerns import visible_filter
from qa_app.data.listing import Page, count, ordered
from qa_app.extensions import db
from qa_app.models import Audit, Case, Concern, Team, User
from qa_app.rules.listing import ListSpec, ListState, page_count

STATE_ORDER = case(
    (Concern.signed_off_at.is_not(None), 2), (Concern.response.is_not(None), 1), else_=0
)
SORT_COLUMNS: dict[str, Any] = {
    "case": Case.case_reference,
    "team": Team.name,
    "respond_by": Concern.respond_by,
    "status": STATE_ORDER,
}
CONCERNS = ListSpec(
    sorts={"case": "Case", "team": "Team", "respond_by": "Respond by", "status": "Status"},
    default_sort="status",
    filters={"state": frozenset({"open", "overdue", "signed_off"}), "team": None},
)
STATE_CHOICES = [
    ("open", "Open (not signed off)"),
    ("overdue", "Overdue"),
    ("signed_off", "Signed off"),
]


def _where(user: User, state: ListState, now: datetime) -> list[ColumnElement[bool]]:
    where = [visible_filter(user)]
    chosen = state.filters.get("state")
    if chosen == "open":
        where.append(Concern.signed_off_at.is_(None))
    elif chosen == "overdue":
        where.append(and_(Concern.signed_off_at.is_(None), Concern.respond_by < now))
    elif chosen == "signed_off":
        where.append(Concern.signed_off_at.is_not(None))
    if "team" in state.filters:
        where.append(Case.team_id == int(state.filters["team"]))
    return where


def _joined(*columns: Any) -> Any:
    return (
        select(*columns)
        .select_from(Concern)
        .join(Audit, Audit.id == Concern.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
    )


def concern_page(user: User, state: ListState, now: datetime) -> Page:
    """Rows with id, case_reference, team, respond_by, responded, signed_off_at."""
    where = _where(user, state, now)
    total = count(_joined(Concern.id).where(*where))
    shown = state.with_page(min(state.page, page_count(total, state.spec.page_size)))
    stmt = ordered(
        _joined(
            Concern.id,
            Case.case_reference,
            Team.name.label("team"),
            Concern.respond_by,
            Concern.response.is_not(None).label("responded"),
            Concern.signed_off_at,
        ).where(*where),
        shown,
        SORT_COLUMNS,
        (Concern.respond_by, Concern.id),
    )
    rows = db.session.execute(stmt.offset(shown.offset).limit(state.spec.page_size)).all()
    return Page(list(rows), total, shown, state.page > shown.page)


def team_choices(user: User) -> list[tuple[int, str]]:
    """The teams of the concerns `user` may see, for the filter."""
    stmt = (
        _joined(Team.id, Team.name)
        .where(visible_filter(user), Team.id.is_not(None))
        .distinct()
        .order_by(Team.name)
    )
    return [(team_id, name) for team_id, name in db.session.execute(stmt)]
