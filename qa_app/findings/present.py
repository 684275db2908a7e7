"""Numbers as people read them, shared by every renderer (pages, PDF, XLSX): counts with
thousands separators, hidden counts as "hidden" (in a sentence, "a hidden number of ..."),
percentages rounded half up, with a hidden numerator or denominator hiding the percentage too.

A hidden count is never worded "fewer than N": suppression also hides the next smallest count
wherever a hidden one could be worked out from a total, and that count is often N or more."""

from decimal import ROUND_HALF_UP, Decimal

HIDDEN = "hidden"
HIDDEN_NUMBER = "a hidden number"


def count(n: int | None, threshold: int = 5) -> str:
    """A count for a table cell or a chart label: "hidden" where it was suppressed (the
    threshold is kept for callers; the word does not depend on it)."""
    return HIDDEN if n is None else f"{n:,}"


def count_text(n: int | None, noun: str = "", one: str | None = None) -> str:
    """A count inside a sentence: "12 audits", "1 audit", "a hidden number of audits" (or
    "a hidden number" with no noun). `noun` is the plural; `one` the singular if it differs."""
    if n is None:
        return f"{HIDDEN_NUMBER} of {noun}" if noun else HIDDEN_NUMBER
    if not noun:
        return f"{n:,}"
    return f"{n:,} {one if n == 1 and one is not None else noun}"


def suppression_note(threshold: int) -> str:
    """The one explanation of suppression, wherever the threshold is explained."""
    return (
        f"Counts below {threshold} are hidden, and so is the next smallest count wherever a "
        "hidden count could otherwise be worked out from a total."
    )


def suppression_meta(threshold: int) -> str:
    """The short form, for a report's cover details."""
    return f"Counts below {threshold} hidden, with any count they could be worked out from"


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
