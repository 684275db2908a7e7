"""The scorecard's calculations, on plain numbers and dates: change on the previous month and on
the same month last year (relative percentages), the trend arrow and whether its direction is
good for the indicator, RAG against target and tolerance, the 12-month average, maximum and
minimum, and how a value is written in its unit. Nothing here touches Flask or the database:
`qa_app.data.indicators` fetches the figures and calls `build_row`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qa_app.data.indicator_areas import AREAS, area_title, dimension_title

UNITS = {
    "count": "Count",
    "percentage": "Percentage",
    "rate_per_10000": "Rate per 10,000 children",
}
DIRECTIONS = {
    "higher": "Higher is better",
    "lower": "Lower is better",
    "neither": "Neither (context only)",
}
COMPARATOR_GROUPS = {
    "statistical_neighbours": "Statistical neighbours",
    "region": "Region",
    "england": "England",
}
RAG_LABELS = {"green": "Green: meets target", "amber": "Amber: near target", "red": "Red"}
RAG_TAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
}
SIX_MONTHS = 6


# ---- months ---------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    """The first day of the month `n` months after (or before, n < 0) `month`'s."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_range(last: date, n: int) -> list[date]:
    """The `n` months ending with `last`'s month, oldest first."""
    return [add_months(first_of_month(last), k) for k in range(1 - n, 1)]


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def short_month(month: date) -> str:
    return month.strftime("%b %y")


# ---- numbers --------------------------------------------------------------------------------


def round_half_up(value: float, places: int = 0) -> float:
    """Halves away from zero (2.5 -> 3, -4.5 -> -5), not Python's round-half-to-even."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def relative_change(old: float | None, new: float | None) -> int | None:
    """The change from `old` to `new` as a whole percentage of `old`, rounded half up:
    1,323 -> 1,258 is -5. None when either is missing or `old` is 0 (shown as "–")."""
    if old is None or new is None or old == 0:
        return None
    # In decimal, from the figures as written: 20 -> 31.5 is exactly +57.5%, so 58 (in binary
    # floating point it is 57.4999... and would round down).
    before, after = Decimal(str(old)), Decimal(str(new))
    try:
        change = ((after - before) / abs(before) * 100).quantize(Decimal(1), ROUND_HALF_UP)
    except InvalidOperation:  # a change too large to write (a base of almost nothing)
        return None
    return int(change)


def format_change(change: int | None) -> str:
    if change is None:
        return "–"
    if change > 0:
        return f"+{change}%"
    if change < 0:
        return f"−{-change}%"  # a real minus sign
    return "0%"


def format_value(value: float | None, unit: str) -> str:
    """A value as the scorecard writes it: counts with thousands separators and the decimals
    they have, up to two (1,258; 2.5; 348.63 FTE), percentages with a % sign (whole, or to one
    decimal place), rates to one decimal place."""
    if value is None:
        return "–"
    if unit == "rate_per_10000":
        return f"{round_half_up(value, 1):,.1f}"
    if unit == "percentage":
        text = f"{round_half_up(value, 0):,.0f}" if value == int(value) else f"{value:,.1f}"
        return text + "%"
    return f"{round_half_up(value, 2):,.2f}".rstrip("0").rstrip(".")


def places_of(values: Iterable[float]) -> int:
    """How precisely a figure worked out from `values` (an average) is written: 0 decimals when
    every value is whole (an average of whole children is a whole number), else 2 (FTE)."""
    return 0 if all(float(v).is_integer() for v in values) else 2


# ---- trend and RAG --------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    direction: str  # "up" | "down" | "flat"
    judgement: str  # "good" | "bad" | "neutral"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "flat": "▶"}[self.direction]

    @property
    def text(self) -> str:
        """What the arrow says, for screen readers and the export: "up, good"."""
        if self.direction == "flat" or self.judgement == "neutral":
            return {"up": "up", "down": "down", "flat": "no change"}[self.direction]
        return f"{self.direction}, {self.judgement}"


def trend(previous: float | None, current: float | None, better: str) -> Trend | None:
    """The direction from last month to this, and whether that is good for an indicator where
    `better` ("higher", "lower" or "neither") is the good direction."""
    if previous is None or current is None:
        return None
    if current == previous:
        return Trend("flat", "neutral")
    direction = "up" if current > previous else "down"
    if better == "neither":
        return Trend(direction, "neutral")
    good = (direction == "up") == (better == "higher")
    return Trend(direction, "good" if good else "bad")


def rag(
    value: float | None, target: float | None, tolerance: float | None, better: str
) -> str | None:
    """Green when the value meets the target; amber when it misses by no more than the
    tolerance; red beyond. None without a value or a target, or for an indicator with no good
    direction."""
    if value is None or target is None or better not in ("higher", "lower"):
        return None
    shortfall = target - value if better == "higher" else value - target
    if shortfall <= 0:
        return "green"
    if shortfall <= (tolerance or 0):
        return "amber"
    return "red"


# ---- a scorecard row ------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """What the calculations need to know about an indicator."""

    id: int
    code: str
    name: str
    unit: str
    better: str
    target: float | None = None
    tolerance: float | None = None
    comparators: list[dict[str, Any]] = field(default_factory=list)
    good_looks_like: str = ""
    definition: str = ""  # what the measure is, as the committee reads it
    area: str = ""  # a key of qa_app.data.indicator_areas.AREAS, "" for none
    adds_up: bool = False  # the months add up (referrals received); else each is a position
    demand: bool = False


@dataclass(frozen=True)
class BreakdownRow:
    """One category's value for the month (South, Team Manager), its RAG against the
    indicator's target and tolerance, and its change on the same month last year."""

    category: str
    value: float
    rag: str | None
    last_year: float | None
    change_year: int | None


@dataclass(frozen=True)
class BreakdownGroup:
    dimension: str  # the stored key: "locality"
    title: str  # "Locality"
    rows: list[BreakdownRow]


@dataclass
class Row:
    indicator: Definition
    month: date
    value: float | None
    six_months: list[tuple[date, float | None]]  # oldest first, ending with `month`
    previous: float | None
    last_year: float | None
    change_month: int | None
    change_year: int | None
    trend: Trend | None
    rag: str | None
    average_12: float | None
    maximum_12: float | None
    minimum_12: float | None
    months_12: int  # how many of the last twelve months have a value
    comparators: list[dict[str, Any]]
    commentary: object = None  # the month's IndicatorCommentary, when the caller adds it
    # Added by the caller (qa_app.data.indicator_values.scorecard_rows): the trend
    # (indicator_periods.TREND_MONTHS months, oldest first), the year to date and the rolling
    # twelve months beside the year before (indicator_periods.PeriodComparison), and the
    # month's breakdowns.
    chart: list[tuple[date, float | None]] = field(default_factory=list)
    year_to_date: Any = None
    rolling_12: Any = None
    breakdowns: list[BreakdownGroup] = field(default_factory=list)

    def fmt(self, value: float | None) -> str:
        return format_value(value, self.indicator.unit)

    @property
    def count_places(self) -> int:
        """The decimals the indicator's figures have: 0 when every one is whole, else 2."""
        return places_of([v for _, v in [*self.six_months, *self.chart] if v is not None])

    def fmt_derived(self, value: float | None) -> str:
        """A figure worked out from the values (an average) written as precisely as the values
        are: a count of whole children averages to a whole number, FTE to two decimals."""
        if value is None or self.indicator.unit != "count":
            return self.fmt(value)
        return format_value(round_half_up(value, self.count_places), "count")


def comparator_rows(comparators: list[Any] | None) -> list[dict[str, Any]]:
    """Comparators in a fixed order (statistical neighbours, region, England, then others),
    each with a display name."""
    order = list(COMPARATOR_GROUPS)
    rows = [dict(c) for c in comparators or [] if isinstance(c, dict)]
    rows.sort(key=lambda c: order.index(c["group"]) if c.get("group") in order else len(order))
    for c in rows:
        c["name"] = COMPARATOR_GROUPS.get(c.get("group") or "", str(c.get("group", "")))
    return rows


def build_row(indicator: Definition, values: dict[date, float], month: date) -> Row:
    """One indicator's scorecard row for `month` from its values by month (first days)."""
    month = first_of_month(month)
    value = values.get(month)
    previous = values.get(add_months(month, -1))
    last_year = values.get(add_months(month, -12))
    twelve = [values[m] for m in month_range(month, 12) if m in values]
    return Row(
        indicator=indicator,
        month=month,
        value=value,
        six_months=[(m, values.get(m)) for m in month_range(month, SIX_MONTHS)],
        previous=previous,
        last_year=last_year,
        change_month=relative_change(previous, value),
        change_year=relative_change(last_year, value),
        trend=trend(previous, value, indicator.better),
        rag=rag(value, indicator.target, indicator.tolerance, indicator.better),
        average_12=sum(twelve) / len(twelve) if twelve else None,
        maximum_12=max(twelve) if twelve else None,
        minimum_12=min(twelve) if twelve else None,
        months_12=len(twelve),
        comparators=comparator_rows(indicator.comparators),
    )


def rated_by_part(unit: str) -> bool:
    """Whether a category of a breakdown is rated against the indicator's target: for a share
    or a rate, where the target means the same for a part as for the whole; not for a count (a
    team's 5 children on plans against the council's target of 400 means nothing)."""
    return unit != "count"


def breakdown_groups(
    indicator: Definition, parts: dict[str, dict[str, dict[date, float]]], month: date
) -> list[BreakdownGroup]:
    """The month's breakdowns of one indicator, a group per dimension (in the order given:
    qa_app.data.indicator_breakdowns reads them in the order they were first imported), a row
    per category with a value for the month. `parts` is {dimension: {category: {month: value}}}."""
    month = first_of_month(month)
    year_before = add_months(month, -12)
    groups = []
    for dimension, categories in parts.items():
        rows = [
            BreakdownRow(
                category=category,
                value=by_month[month],
                rag=rag(by_month[month], indicator.target, indicator.tolerance, indicator.better)
                if rated_by_part(indicator.unit)
                else None,
                last_year=by_month.get(year_before),
                change_year=relative_change(by_month.get(year_before), by_month[month]),
            )
            for category, by_month in categories.items()
            if month in by_month
        ]
        if rows:
            groups.append(BreakdownGroup(dimension, dimension_title(dimension), rows))
    return groups


def by_area(rows: list[Row]) -> list[tuple[str, str, list[Row]]]:
    """[(area key, title, rows)] in the order of AREAS, then the indicators with no area (key
    "", "Other indicators"); rows keep their order within an area."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = row.indicator.area if row.indicator.area in AREAS else ""
        groups.setdefault(key, []).append(row)
    return [(key, area_title(key), groups[key]) for key in [*AREAS, ""] if key in groups]
