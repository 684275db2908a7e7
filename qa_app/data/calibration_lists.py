"""The calibration rounds a person may see (all of them for the QA lead and moderators, the
rounds they take part in for others), sorted, filtered by status and paged: one query for the
count, one for the page (its cases and participants loaded with it)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa_app.data.listing import Page, ordered, paged
from qa_app.models import (
    CalibrationCase,
    CalibrationParticipant,
    CalibrationRound,
    User,
)
from qa_app.rules.listing import DESC, ListSpec, ListState

SORT_COLUMNS: dict[str, Any] = {
    "name": CalibrationRound.name,
    "opened": CalibrationRound.opened_at,
    "due": CalibrationRound.due_date,
    "status": CalibrationRound.status,
}
ROUNDS = ListSpec(
    sorts={"name": "Round", "opened": "Opened", "due": "Due", "status": "Status"},
    default_sort="opened",
    default_direction=DESC,
    filters={"status": frozenset({"open", "closed"})},
)
STATUS_CHOICES = [("open", "Open"), ("closed", "Closed")]


def round_page(user: User | None, state: ListState) -> Page:
    """Rounds as objects; with `user`, only the rounds they take part in."""
    stmt = select(CalibrationRound).options(
        selectinload(CalibrationRound.participants),
        selectinload(CalibrationRound.cases).selectinload(CalibrationCase.case),
    )
    if user is not None:
        mine = select(CalibrationParticipant.round_id).where(
            CalibrationParticipant.user_id == user.id
        )
        stmt = stmt.where(CalibrationRound.id.in_(mine))
    if "status" in state.filters:
        stmt = stmt.where(CalibrationRound.status == state.filters["status"])
    return paged(
        ordered(stmt, state, SORT_COLUMNS, (CalibrationRound.id.desc(),)),
        state,
        scalars=True,
    )
