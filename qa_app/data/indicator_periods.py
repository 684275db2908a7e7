"""An indicator's figures over periods longer than a month, on plain numbers and dates: the
18-month trend, the financial year to date and the rolling twelve months, each beside the same
period a year before, as the papers to a scrutiny committee or cabinet state them ("Referrals
increased by 119% between January and July, compared with the same period last year").

A period's figure is the sum of its months where the months add up (referrals received) and
their average where each month is a position (children on plans, a percentage, a rate): see
Indicator.adds_up. A period with a month missing has no figure: a sum of eleven months set
beside a sum of twelve would mislead. Nothing here touches Flask or the database."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from qa_app.data.indicator_scorecard import (
    add_months,
    first_of_month,
    format_value,
    month_range,
    relative_change,
    round_half_up,
)

TREND_MONTHS = 18  # the trend the committee papers draw: a year and a half to the month
FINANCIAL_YEAR_STARTS = 4  # April


@dataclass(frozen=True)
class PeriodComparison:
    """A period's figure beside the same months a year before."""

    kind: str  # "year_to_date" | "rolling_12"
    first: date  # the period's first month
    last: date  # its last month (the chosen month)
    value: float | None  # None when a month of the period has no value
    previous: float | None  # the same months a year before
    change: int | None  # whole percent of `previous`, rounded half up; None without both

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "value": self.value,
            "previous": self.previous,
            "change": self.change,
        }


def trend(
    values: dict[date, float], month: date, n: int = TREND_MONTHS
) -> list[tuple[date, float | None]]:
    """[(month, value or None)] for the `n` months ending with `month`, oldest first."""
    return [(m, values.get(m)) for m in month_range(month, n)]


def financial_year_start(month: date) -> date:
    """The first month of the English financial year `month` falls in (April)."""
    year = month.year if month.month >= FINANCIAL_YEAR_STARTS else month.year - 1
    return date(year, FINANCIAL_YEAR_STARTS, 1)


def period_figure(
    values: dict[date, float], first: date, last: date, adds_up: bool
) -> float | None:
    """The sum (adds_up) or the average of the months first..last; None when one is missing."""
    months: list[float] = []
    m = first_of_month(first)
    while m <= last:
        if m not in values:
            return None
        months.append(values[m])
        m = add_months(m, 1)
    if not months:
        return None
    total = sum(months)
    return total if adds_up else total / len(months)


def compare(
    values: dict[date, float], kind: str, first: date, last: date, adds_up: bool
) -> PeriodComparison:
    """The period first..last beside the same months a year before."""
    value = period_figure(values, first, last, adds_up)
    previous = period_figure(values, add_months(first, -12), add_months(last, -12), adds_up)
    return PeriodComparison(kind, first, last, value, previous, relative_change(previous, value))


def year_to_date(values: dict[date, float], month: date, adds_up: bool) -> PeriodComparison:
    """April (the financial year's start) to `month`, beside the same months last year."""
    month = first_of_month(month)
    return compare(values, "year_to_date", financial_year_start(month), month, adds_up)


def rolling_12(values: dict[date, float], month: date, adds_up: bool) -> PeriodComparison:
    """The twelve months ending with `month`, beside the twelve before them."""
    month = first_of_month(month)
    return compare(values, "rolling_12", add_months(month, -11), month, adds_up)


def history_needed(month: date) -> date:
    """The earliest month any figure here reads for `month`: the rolling year before."""
    return min(add_months(first_of_month(month), -23), add_months(month, 1 - TREND_MONTHS))


def period_label(first: date, last: date) -> str:
    """ "September 2026", "April to September 2026", "October 2025 to September 2026"."""
    if first == last:
        return last.strftime("%B %Y")
    if first.year == last.year:
        return f"{first.strftime('%B')} to {last.strftime('%B %Y')}"
    return f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')}"


def describe(period: PeriodComparison, unit: str, adds_up: bool, places: int = 2) -> str:
    """The period beside the year before in the words the committee papers use: "April to
    September 2026: 2,410, 12% more than the same months of 2025 (2,152)". "" when the period
    has no figure (a month is missing). A count's figures are rounded to `places` decimals
    (an average of whole children is written whole)."""
    if period.value is None:
        return ""

    def written(value: float) -> str:
        return format_value(round_half_up(value, places) if unit == "count" else value, unit)

    figure = written(period.value)
    if not adds_up and period.months > 1:
        figure += " on average"
    if period.kind == "rolling_12":
        before = "the twelve months before"
    elif period.first.year == period.last.year:
        before = f"the same months of {period.first.year - 1}"
    else:
        before = "the same months a year before"
    if period.previous is None:
        return f"{period_label(period.first, period.last)}: {figure} (no figure for {before})"
    more, fewer = ("more", "fewer") if unit == "count" else ("higher", "lower")
    change = period.change
    if change is None:
        compared = f"against {before}"
    elif change == 0:
        compared = f"no change on {before}"
    else:
        compared = f"{abs(change)}% {more if change > 0 else fewer} than {before}"
    previous = written(period.previous)
    return f"{period_label(period.first, period.last)}: {figure}, {compared} ({previous})"
