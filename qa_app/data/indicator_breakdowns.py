"""Indicator values broken down by a dimension (locality, team, service, role, or a council's
own): reading them for a span of months. The whole-council value of the same month stays in
qa_app.data.indicator_values; the dimensions and areas are named in qa_app.data.indicator_areas."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import IndicatorBreakdownValue

# {indicator id: {dimension: {category: {month: value}}}}
Breakdowns = dict[int, dict[str, dict[str, dict[date, float]]]]


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
