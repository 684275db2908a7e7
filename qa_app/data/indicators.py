"""Performance indicators in the database: definitions (checked, created and changed with the
change logged), monthly values (stored all at once, a month imported again replaces the value
and the log keeps old -> new), a manager's commentary per month (saved against the version the
person read) and the scorecard's rows. Every write here commits."""

import math
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data import indicator_scorecard as scorecard
from qa_app.extensions import db
from qa_app.models import Indicator, IndicatorCommentary, IndicatorValue
from qa_app.models.base import utcnow

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,29}$")
YEAR_RE = re.compile(r"^\d{4}(-\d{2})?$")  # "2024" or "2024-25"
NAME_MAX = 200
GOOD_MAX = 1000
COMMENTARY_MAX = 4000
FIELDS = (
    "code",
    "name",
    "unit",
    "better",
    "target",
    "tolerance",
    "comparators",
    "good_looks_like",
    "position",
    "active",
)


class IndicatorError(ValueError):
    """Input a definition cannot take. `problems` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


class StaleCommentary(Exception):
    """The commentary changed since the person read it."""

    def __init__(self, current: IndicatorCommentary | None):
        super().__init__("the commentary has changed since it was read")
        self.current = current


# ---- definitions ------------------------------------------------------------------------------


def list_indicators(active_only: bool = False) -> list[Indicator]:
    stmt = select(Indicator).order_by(Indicator.position, Indicator.code)
    if active_only:
        stmt = stmt.where(Indicator.active.is_(True))
    return list(db.session.scalars(stmt))


def get_indicator(indicator_id: int) -> Indicator | None:
    return db.session.get(Indicator, indicator_id)


def by_code() -> dict[str, Indicator]:
    """Every indicator by its code in upper case (codes are matched without regard to case)."""
    return {i.code.upper(): i for i in db.session.scalars(select(Indicator))}


def _number(value, name: str, label: str, problems: list, *, minimum=None):
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        problems.append((name, f"Enter {label} as a number"))
        return None
    if not math.isfinite(number):
        problems.append((name, f"Enter {label} as a number"))
        return None
    if minimum is not None and number < minimum:
        problems.append((name, f"{label.capitalize()} cannot be less than {minimum}"))
        return None
    return number


def clean_comparators(comparators, problems: list) -> list[dict]:
    """[{"group", "value", "year"}] with the group one of COMPARATOR_GROUPS, the value a
    number and the year like 2024-25 (or 2024); entries with no value are dropped."""
    clean = []
    seen = set()
    for entry in comparators or []:
        group = str(entry.get("group") or "").strip()
        name = f"comparator_{group}"
        label = scorecard.COMPARATOR_GROUPS.get(group)
        if label is None:
            problems.append(("comparators", f"Unknown comparator group {group!r}"))
            continue
        value = _number(entry.get("value"), f"{name}_value", f"the {label.lower()} value", problems)
        year = str(entry.get("year") or "").strip()
        if value is None:
            if year and not any(p[0] == f"{name}_value" for p in problems):
                problems.append((f"{name}_value", f"Enter the {label.lower()} value for {year}"))
            continue
        if group in seen:
            problems.append(("comparators", f"{label} is given twice"))
            continue
        seen.add(group)
        if not YEAR_RE.match(year):
            problems.append(
                (f"{name}_year", f"Enter the year the {label.lower()} value is for, like 2024-25")
            )
            continue
        clean.append({"group": group, "value": value, "year": year})
    return clean


def clean_definition(data: dict, existing: Indicator | None = None) -> dict:
    """The definition's fields checked and tidied; raises IndicatorError listing every
    problem."""
    problems: list[tuple[str, str]] = []
    code = str(data.get("code") or "").strip().upper()
    if not code:
        problems.append(("code", "Enter a code, like CON01"))
    elif not CODE_RE.match(code):
        problems.append(
            ("code", "Use up to 30 letters, digits, dots, dashes or underscores for the code")
        )
    else:
        other = db.session.scalar(select(Indicator).where(func.upper(Indicator.code) == code))
        if other is not None and other is not existing:
            problems.append(("code", f"Another indicator already has the code {code}"))
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        problems.append(("name", "Enter the indicator's name"))
    elif len(name) > NAME_MAX:
        problems.append(("name", f"Keep the name under {NAME_MAX} characters"))
    unit = data.get("unit") or ""
    if unit not in scorecard.UNITS:
        problems.append(("unit", "Choose the unit"))
    better = data.get("better") or ""
    if better not in scorecard.DIRECTIONS:
        problems.append(("better", "Choose which direction is better"))
    target = _number(data.get("target"), "target", "the target", problems)
    tolerance = _number(data.get("tolerance"), "tolerance", "the tolerance", problems, minimum=0)
    if unit == "percentage" and target is not None and not 0 <= target <= 100:
        problems.append(("target", "A percentage target must be between 0 and 100"))
    if tolerance is not None and target is None:
        problems.append(("tolerance", "Enter a target for the tolerance to apply to"))
    if target is not None and better == "neither":
        problems.append(("target", "An indicator with no better direction has no target"))
    comparators = clean_comparators(data.get("comparators"), problems)
    good = str(data.get("good_looks_like") or "").strip()
    if len(good) > GOOD_MAX:
        problems.append(("good_looks_like", f"Keep this under {GOOD_MAX} characters"))
    position = data.get("position")
    if position in (None, ""):
        position = existing.position if existing else _next_position()
    else:
        try:
            position = int(position)
        except (TypeError, ValueError):
            problems.append(("position", "Enter the position as a whole number"))
            position = 0
    if problems:
        raise IndicatorError(problems)
    return {
        "code": code,
        "name": name,
        "unit": unit,
        "better": better,
        "target": target,
        "tolerance": tolerance,
        "comparators": comparators,
        "good_looks_like": good,
        "position": position,
        "active": bool(data.get("active", True)),
    }


def _next_position() -> int:
    return (db.session.scalar(select(func.max(Indicator.position))) or 0) + 10


def _snapshot(indicator: Indicator) -> dict:
    return {name: getattr(indicator, name) for name in FIELDS}


def create_indicator(data: dict, actor) -> Indicator:
    """A new indicator from checked fields; commits."""
    clean = clean_definition(data)
    indicator = Indicator(created_by_id=getattr(actor, "id", None), **clean)
    db.session.add(indicator)
    db.session.flush()
    changelog.record(actor, "indicator", indicator.id, "created", clean)
    db.session.commit()
    return indicator


def update_indicator(indicator: Indicator, data: dict, actor) -> Indicator:
    """Change a definition; commits. The change log keeps each changed field's old and new."""
    clean = clean_definition(data, existing=indicator)
    before = _snapshot(indicator)
    changes = changelog.diff(before, clean)
    if not changes:
        return indicator
    for name, value in clean.items():
        setattr(indicator, name, value)
    changelog.record(actor, "indicator", indicator.id, "updated", changes)
    db.session.commit()
    return indicator


def definition(indicator: Indicator) -> scorecard.Definition:
    return scorecard.Definition(
        id=indicator.id,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        better=indicator.better,
        target=indicator.target,
        tolerance=indicator.tolerance,
        comparators=list(indicator.comparators or []),
        good_looks_like=indicator.good_looks_like,
    )


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
    values: list[tuple[Indicator, date, float]], *, source: str, actor, loaded_by: str = ""
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


def values_between(indicator_ids, first: date, last: date) -> dict[int, dict[date, float]]:
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
    return db.session.scalar(
        select(func.count()).where(IndicatorValue.indicator_id == indicator.id)
    )


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
    indicator: Indicator, month: date, text: str, *, based_on: int, actor
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
        old = current.text
        current.text = text
        current.author_id = getattr(actor, "id", None)
        current.lock_version += 1
        changelog.record(
            actor, "indicator_commentary", current.id, "updated", {"text": [old, text], **what}
        )
    db.session.commit()
    return current


# ---- the scorecard ----------------------------------------------------------------------------


def scorecard_rows(month: date, indicators: list[Indicator] | None = None) -> list:
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
