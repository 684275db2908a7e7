"""Performance indicators month by month: the values (stored all at once; a month imported
again replaces the value and the change log keeps old -> new), a manager's commentary per month
(saved against the version the person read: qa_app.data.locking) and the scorecard's rows for a
month. The definitions are in qa_app.data.indicators. Every write here commits."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from qa_app.data import changelog, locking
from qa_app.data import indicator_breakdowns as breakdown_data
from qa_app.data import indicator_periods as periods
from qa_app.data import indicator_scorecard as scorecard
from qa_app.data.indicator_areas import WORKFORCE_AREAS
from qa_app.data.indicator_breakdowns import Part
from qa_app.data.indicators import IndicatorError, definition, list_indicators
from qa_app.extensions import db
from qa_app.models import (
    Indicator,
    IndicatorBreakdownValue,
    IndicatorCommentary,
    IndicatorValue,
    User,
)
from qa_app.models.base import utcnow
from qa_app.rules.small_numbers import hides_figure

COMMENTARY_MAX = 4000


class StaleCommentary(Exception):
    """The commentary changed since the person read it."""

    def __init__(self, current: IndicatorCommentary | None):
        super().__init__("the commentary has changed since it was read")
        self.current = current


# ---- values -----------------------------------------------------------------------------------


@dataclass
class StoreResult:
    """What a store did: the whole-council values, then the breakdown values."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    breakdowns_added: int = 0
    breakdowns_replaced: int = 0
    breakdowns_unchanged: int = 0
    indicators: int = 0
    first_month: date | None = None
    last_month: date | None = None

    @property
    def total(self) -> int:
        return self.added + self.replaced + self.unchanged

    @property
    def breakdowns_total(self) -> int:
        return self.breakdowns_added + self.breakdowns_replaced + self.breakdowns_unchanged

    def count(self, what: str, breakdown: bool) -> None:
        name = f"breakdowns_{what}" if breakdown else what
        setattr(self, name, getattr(self, name) + 1)


# (indicator, month, value) for the whole council, or (indicator, month, value, part) for one
# category of a dimension: part is (dimension key, category), e.g. ("locality", "South")
StoredValue = tuple[Indicator, date, float] | tuple[Indicator, date, float, Part | None]


def store_values(
    values: Sequence[StoredValue],
    *,
    source: str,
    actor: User | None,
    loaded_by: str = "",
) -> StoreResult:
    """Store checked values, whole-council and broken down, all at once; commits. A month
    already stored for an indicator (or for one category of a breakdown) is replaced, and the
    change log keeps old -> new; the same value again is left as it is."""
    result = StoreResult()
    if not values:
        return result
    cells = [(v[0], v[1], v[2], v[3] if len(v) > 3 else None) for v in values]
    ids = {indicator.id for indicator, *_ in cells}
    if any(part for *_, part in cells):  # a category keeps the spelling it was first stored in
        spellings = breakdown_data.known_spellings(ids)
        cells = [
            (
                i,
                m,
                v,
                (p[0], spellings.get((i.id, p[0]), {}).get(p[1].casefold(), p[1])) if p else None,
            )
            for i, m, v, p in cells
        ]
    months = {month for _, month, _, _ in cells}
    existing: dict[tuple[int, date, Part | None], IndicatorValue | IndicatorBreakdownValue] = {
        (v.indicator_id, v.month, None): v
        for v in db.session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id.in_(ids), IndicatorValue.month.in_(months)
            )
        )
    }
    if any(part for *_, part in cells):
        for (indicator_id, at, stored_part), part_row in breakdown_data.stored_parts(
            ids, months
        ).items():
            existing[(indicator_id, at, stored_part)] = part_row
    extra = {"source": source, **({"loaded_by": loaded_by} if loaded_by else {})}
    actor_id = getattr(actor, "id", None)
    try:
        for indicator, month, value, part in cells:
            key = (indicator.id, month, part)
            stored = existing.get(key)
            what: dict[str, object] = {"month": month.isoformat()}
            if part:
                what |= {"dimension": part[0], "category": part[1]}
            what |= extra
            prefix = "breakdown value" if part else "value"
            if stored is None:
                row: IndicatorValue | IndicatorBreakdownValue = (
                    breakdown_data.new_part(indicator.id, month, part, value)
                    if part
                    else IndicatorValue(indicator_id=indicator.id, month=month, value=value)
                )
                row.source, row.imported_by_id = source[:300], actor_id
                db.session.add(row)
                existing[key] = row
                result.count("added", bool(part))
                changelog.record(
                    actor,
                    "indicator",
                    indicator.id,
                    f"{prefix} added",
                    {"value": [None, value], **what},
                )
            elif stored.value != value:
                old = stored.value
                stored.value = value
                stored.source = source[:300]
                stored.imported_by_id = actor_id
                stored.imported_at = utcnow()
                result.count("replaced", bool(part))
                changelog.record(
                    actor,
                    "indicator",
                    indicator.id,
                    f"{prefix} replaced",
                    {"value": [old, value], **what},
                )
            else:
                result.count("unchanged", bool(part))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    result.indicators = len(ids)
    result.first_month, result.last_month = min(months), max(months)
    return result


def values_between(
    indicator_ids: Iterable[int], first: date, last: date
) -> dict[int, dict[date, float]]:
    """{indicator id: {month: value}} for the months first..last, in one query."""
    out: dict[int, dict[date, float]] = {i: {} for i in indicator_ids}
    if not out:
        return out
    rows = db.session.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.month, IndicatorValue.value).where(
            IndicatorValue.indicator_id.in_(list(out)),
            IndicatorValue.month >= first,
            IndicatorValue.month <= last,
        )
    )
    for indicator_id, month, value in rows:
        out[indicator_id][month] = value
    return out


def months_with_values() -> list[date]:
    """Every month some indicator has a value for, latest first."""
    stmt = select(IndicatorValue.month).distinct().order_by(IndicatorValue.month.desc())
    return list(db.session.scalars(stmt))


def latest_month() -> date | None:
    return db.session.scalar(select(func.max(IndicatorValue.month)))


def value_count(indicator: Indicator) -> int:
    return db.session.execute(
        select(func.count()).where(IndicatorValue.indicator_id == indicator.id)
    ).scalar_one()


# ---- commentary -------------------------------------------------------------------------------


def get_commentary(indicator: Indicator, month: date) -> IndicatorCommentary | None:
    return db.session.scalar(
        select(IndicatorCommentary).where(
            IndicatorCommentary.indicator_id == indicator.id,
            IndicatorCommentary.month == scorecard.first_of_month(month),
        )
    )


def commentaries_for(month: date) -> dict[int, IndicatorCommentary]:
    stmt = select(IndicatorCommentary).where(
        IndicatorCommentary.month == scorecard.first_of_month(month)
    )
    return {c.indicator_id: c for c in db.session.scalars(stmt)}


def save_commentary(
    indicator: Indicator, month: date, text: str, *, based_on: int, actor: User | None
) -> IndicatorCommentary:
    """Write the month's commentary from the version `based_on` (0: there was none yet);
    commits. Raises StaleCommentary when someone saved since, IndicatorError for bad text."""
    month = scorecard.first_of_month(month)
    text = str(text or "").replace("\r\n", "\n").strip()
    if len(text) > COMMENTARY_MAX:
        raise IndicatorError([("text", f"Keep the commentary under {COMMENTARY_MAX} characters")])
    current = get_commentary(indicator, month)
    if (current.lock_version if current else 0) != based_on:
        raise StaleCommentary(current)
    what = {"indicator": indicator.code, "month": month.isoformat()}
    if current is None:
        current = IndicatorCommentary(
            indicator_id=indicator.id,
            month=month,
            text=text,
            author_id=getattr(actor, "id", None),
            lock_version=1,
        )
        db.session.add(current)
        db.session.flush()
        changelog.record(
            actor, "indicator_commentary", current.id, "created", {"text": [None, text], **what}
        )
    elif current.text != text:
        if not locking.claim_version(current, based_on):
            raise StaleCommentary(current)
        old = current.text
        current.text = text
        current.author_id = getattr(actor, "id", None)
        changelog.record(
            actor, "indicator_commentary", current.id, "updated", {"text": [old, text], **what}
        )
    db.session.commit()
    return current


# ---- the scorecard ----------------------------------------------------------------------------


Parts = dict[str, dict[str, dict[date, float]]]  # {dimension: {category: {month: value}}}


def _without_small_counts(
    indicator: Indicator, own: dict[date, float], parts: Parts, threshold: int
) -> tuple[dict[date, float], Parts]:
    """An indicator's values as a tier with a threshold reads them: a count of children under
    it is left out, as if not reported, so every figure worked from the months (changes, the
    periods, averages, the trend) leaves it out too; among a month's categories of a breakdown
    one left out takes the next smallest with it, so the whole less the others gives no hidden
    one. Workforce counts (posts, cases held) are kept."""
    if threshold <= 0 or indicator.unit != "count" or indicator.area in WORKFORCE_AREAS:
        return own, parts

    def small(v: float) -> bool:
        return hides_figure(v, threshold)

    kept = {m: v for m, v in own.items() if not small(v)}
    shown_parts: Parts = {}
    for dimension, categories in parts.items():
        out: dict[str, dict[date, float]] = {c: {} for c in categories}
        months = {m for by_month in categories.values() for m in by_month}
        for m in months:
            here = {c: by_month[m] for c, by_month in categories.items() if m in by_month}
            hidden = {c for c, v in here.items() if small(v)}
            if len(hidden) == 1:
                rest = sorted((v, c) for c, v in here.items() if v and c not in hidden)
                hidden |= {rest[0][1]} if rest else set()
            for c, v in here.items():
                if c not in hidden:
                    out[c][m] = v
        shown_parts[dimension] = {c: by_month for c, by_month in out.items() if by_month}
    return kept, shown_parts


def scorecard_rows(
    month: date, indicators: list[Indicator] | None = None, *, threshold: int = 0
) -> list[scorecard.Row]:
    """A row per active indicator (or per given indicator) for `month`, with the month's
    commentary, the 18-month trend, the year to date and the rolling twelve months beside the
    year before, and the month's breakdowns (with the same month a year before). With a
    `threshold` (a reader in the partnership tier where the council sets one), counts of
    children under it are left out. Three queries, whatever the number of indicators."""
    month = scorecard.first_of_month(month)
    if indicators is None:
        indicators = list_indicators(active_only=True)
    ids = [i.id for i in indicators]
    values = values_between(ids, periods.history_needed(month), month)
    parts = breakdown_data.breakdowns_between(ids, scorecard.add_months(month, -12), month)
    notes = commentaries_for(month)
    rows = []
    for indicator in indicators:
        about = definition(indicator)
        own, own_parts = _without_small_counts(
            indicator, values[indicator.id], parts[indicator.id], threshold
        )
        row = scorecard.build_row(about, own, month)
        row.commentary = notes.get(indicator.id)
        row.chart = periods.trend(own, month)
        row.year_to_date = periods.year_to_date(own, month, about.adds_up)
        row.rolling_12 = periods.rolling_12(own, month, about.adds_up)
        row.breakdowns = scorecard.breakdown_groups(about, own_parts, month)
        rows.append(row)
    return rows
