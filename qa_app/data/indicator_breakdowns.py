"""Indicator values broken down by a dimension (locality, team, service, role, or a council's
own): reading them for a span of months, and the rows a store replaces. They are stored with
the whole-council values, in the same transaction, by qa_app.data.indicator_values.store_values
(one place for adding, replacing and logging a value); the dimensions and areas are named in
qa_app.data.indicator_areas."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import IndicatorBreakdownValue

# {indicator id: {dimension: {category: {month: value}}}}
Breakdowns = dict[int, dict[str, dict[str, dict[date, float]]]]
# (dimension key, category): "Locality: South" is ("locality", "South")
Part = tuple[str, str]


def stored_parts(
    indicator_ids: Iterable[int], months: Iterable[date]
) -> dict[tuple[int, date, Part], IndicatorBreakdownValue]:
    """The stored breakdown rows of these indicators in these months, by (indicator id, month,
    (dimension, category)): what a store adds to or replaces. One query."""
    ids, wanted = list(set(indicator_ids)), list(set(months))
    if not ids or not wanted:
        return {}
    rows = db.session.scalars(
        select(IndicatorBreakdownValue).where(
            IndicatorBreakdownValue.indicator_id.in_(ids),
            IndicatorBreakdownValue.month.in_(wanted),
        )
    )
    return {(r.indicator_id, r.month, (r.dimension, r.category)): r for r in rows}


def known_spellings(indicator_ids: Iterable[int]) -> dict[tuple[int, str], dict[str, str]]:
    """How each category is already written, by (indicator id, dimension) and the category in
    lower case: a later file's "SOUTH" is the "South" stored before, not a new category. One
    query."""
    ids = list(set(indicator_ids))
    out: dict[tuple[int, str], dict[str, str]] = {}
    if not ids:
        return out
    rows = db.session.execute(
        select(
            IndicatorBreakdownValue.indicator_id,
            IndicatorBreakdownValue.dimension,
            IndicatorBreakdownValue.category,
        )
        .where(IndicatorBreakdownValue.indicator_id.in_(ids))
        .distinct()
    )
    for indicator_id, dimension, category in rows:
        out.setdefault((indicator_id, dimension), {}).setdefault(category.casefold(), category)
    return out


def new_part(indicator_id: int, month: date, part: Part, value: float) -> IndicatorBreakdownValue:
    dimension, category = part
    return IndicatorBreakdownValue(
        indicator_id=indicator_id, month=month, dimension=dimension, category=category, value=value
    )


def breakdowns_between(indicator_ids: Iterable[int], first: date, last: date) -> Breakdowns:
    """Every breakdown of the indicators for the months first..last, in one query; dimensions
    and categories in the order they were first imported."""
    out: Breakdowns = {i: {} for i in indicator_ids}
    if not out:
        return out
    rows = db.session.execute(
        select(
            IndicatorBreakdownValue.indicator_id,
            IndicatorBreakdownValue.dimension,
            IndicatorBreakdownValue.category,
            IndicatorBreakdownValue.month,
            IndicatorBreakdownValue.value,
        )
        .where(
            IndicatorBreakdownValue.indicator_id.in_(list(out)),
            IndicatorBreakdownValue.month >= first,
            IndicatorBreakdownValue.month <= last,
        )
        .order_by(IndicatorBreakdownValue.id)
    )
    for indicator_id, dimension, category, month, value in rows:
        out[indicator_id].setdefault(dimension, {}).setdefault(category, {})[month] = value
    return out
