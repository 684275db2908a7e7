"""A list's state (qa_app.rules.listing) applied to a query: the order by the chosen column, the
count in one query and the page in one more. A page beyond the end is the last page."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.rules.listing import ListState, page_count


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    state: ListState  # the page actually shown (the last one if more was asked for)
    asked_beyond: bool  # the page asked for was past the end

    @property
    def pages(self) -> int:
        return page_count(self.total, self.state.spec.page_size)


def ordered(
    stmt: Any,
    state: ListState,
    columns: Mapping[str, Any],
    tiebreak: tuple[Any, ...],
) -> Any:
    """`stmt` ordered by the state's sort column (empty values last either way), then
    `tiebreak` (ending in a unique column) so pages never overlap."""
    column = columns[state.sort]
    order = column.desc() if state.descending else column.asc()
    return stmt.order_by(column.is_(None), order, *tiebreak)


def count(stmt: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def paged(
    stmt: Any,
    state: ListState,
    *,
    scalars: bool = False,
    counting: Any | None = None,
) -> Page:
    """One query for the count (of `counting`, a slimmer statement selecting the same rows,
    if given), one for the page (an ordered `stmt`)."""
    total = count(stmt if counting is None else counting)
    pages = page_count(total, state.spec.page_size)
    shown = state.with_page(min(state.page, pages))
    window = stmt.offset(shown.offset).limit(state.spec.page_size)
    result = db.session.scalars(window) if scalars else db.session.execute(window)
    rows: Sequence[Any] = result.all()
    return Page(list(rows), total, shown, state.page > pages)
