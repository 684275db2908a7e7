"""Performance indicators month by month: the values (stored all at once; a month imported
again replaces the value and the change log keeps old -> new), a manager's commentary per month
(saved against the version the person read: qa_app.data.locking) and the scorecard's rows for a
month. The definitions are in qa_app.data.indicators. Every write here commits."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from qa_app.data import changelog, locking
from qa_app.data import indicator_scorecard as scorecard
from qa_app.data.indicators import IndicatorError, definition, list_indicators
from qa_app.extensions import db
from qa_app.models import Indicator, IndicatorCommentary, IndicatorValue, User
from qa_app.models.base import utcnow

COMMENTARY_MAX = 4000


class StaleCommentary(Exception):
    """The commentary changed since the person read it."""

    def __init__(self, current: IndicatorCommentary | None):
        super().__init__("the commentary has changed since it was read")
        self.current = current


# ---- values -----------------------------------------------------------------------------------


@dataclass
class StoreResult:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    indicators: int = 0
    first_month: date | None = None
    last_month: date | None = None

    @property
    def total(self) -> int:
        return self.added + self.replaced + self.unchanged


def store_values(
    values: list[tuple[Indicator, date, float]],
    *,
    source: str,
    actor: User | None,
    loaded_by: str = "",
) -> StoreResult:
    """Store checked values all at once; commits. A month already stored for an indicator is
    replaced (the change log keeps old -> new); the same value again is left as it is."""
    result = StoreResult()
    if not values:
        return result
    ids = {indicator.id for indicator, _, _ in values}
    months = {month for _, month, _ in values}
    existing = {
        (v.indicator_id, v.month): v
        for v in db.session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id.in_(ids), IndicatorValue.month.in_(months)
            )
        )
    }
    extra = {"source": source, **({"loaded_by": loaded_by} if loaded_by else {})}
    actor_id = getattr(actor, "id", None)
    try:
        for indicator, month, value in values:
            stored = existing.get((indicator.id, month))
            what = {"month": month.isoformat(), **extra}
            if stored is None:
                row = IndicatorValue(
                    indicator_id=indicator.id,
                    month=month,
                    value=value,
                    source=source[:300],
                    imported_by_id=actor_id,
                )
                db.session.add(row)
                existing[(indicator.id, month)] = row
                result.added += 1
                changelog.record(
                    actor,
                    "indicator",
                    indicator.id,
                    "value added",
                    {"value": [None, value], **what},
                )
            elif stored.value != value:
                old = stored.value
                stored.value = value
                stored.source = source[:300]
                stored.imported_by_id = actor_id
                stored.imported_at = utcnow()
                result.replaced += 1
                changelog.record(
                    actor,
                    "indicator",
                    indicator.id,
                    "value replaced",
                    {"value": [old, value], **what},
                )
            else:
                result.unchanged += 1
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


def scorecard_rows(month: date, indicators: list[Indicator] | None = None) -> list[scorecard.Row]:
    """A row per active indicator (or per given indicator) for `month`, with the month's
    commentary as `row.commentary`. Two queries, whatever the number of indicators."""
    month = scorecard.first_of_month(month)
    if indicators is None:
        indicators = list_indicators(active_only=True)
    first = scorecard.add_months(month, 1 - scorecard.CHART_MONTHS)
    values = values_between([i.id for i in indicators], first, month)
    notes = commentaries_for(month)
    rows = []
    for indicator in indicators:
        row = scorecard.build_row(definition(indicator), values[indicator.id], month)
        row.commentary = notes.get(indicator.id)
        rows.append(row)
    return rows
