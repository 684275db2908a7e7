"""Numbers as people read them, shared by every renderer (pages, PDF, XLSX): counts with
thousands separators, hidden counts as "fewer than N", percentages rounded half up, with a
hidden numerator or denominator hiding the percentage too."""

from decimal import ROUND_HALF_UP, Decimal


def count(n: int | None, threshold: int = 5) -> str:
    return f"fewer than {threshold}" if n is None else f"{n:,}"


def percent_value(part: int | None, whole: int | None) -> int | None:
    if part is None or whole is None or whole == 0:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def percent(part: int | None, whole: int | None) -> str:
    """ "hidden" when either count is suppressed, "–" when there is nothing to take a share of."""
    if part is None or whole is None:
        return "hidden"
    value = percent_value(part, whole)
    return "–" if value is None else f"{value}%"


def count_and_percent(part: int | None, whole: int | None, threshold: int = 5) -> str:
    if part is None:
        return count(None, threshold)
    value = percent_value(part, whole)
    return f"{part:,}" if value is None else f"{part:,} ({value}%)"


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def kappa(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
