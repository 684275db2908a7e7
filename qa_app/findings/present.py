"""Numbers as people read them, shared by every renderer (pages, PDF, XLSX): counts with
thousands separators, hidden counts as "hidden" (in a sentence, "a hidden number of ..."),
percentages rounded half up, with a hidden numerator or denominator hiding the percentage too.

A hidden count is never worded "fewer than N": suppression also hides the next smallest count
wherever a hidden one could be worked out from a total, and that count is often N or more."""

from datetime import date, timedelta
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


def noun_for(n: int | None, one: str, many: str | None = None) -> str:
    """The noun that goes with a count: `one` for exactly 1, else `many` (default `one` + "s"):
    "audit" for 1, "audits" for 0, 2 or a hidden count."""
    return one if n == 1 else (many if many is not None else f"{one}s")


def counted(n: int | None, one: str, many: str | None = None) -> str:
    """A count with its noun, given the singular: "1 open audit", "12 open audits",
    "a hidden number of open audits". The one helper for counts beside nouns (the pages use
    it as the `counted` and `noun_for` filters, qa_app.web.wording)."""
    return count_text(n, noun_for(None, one, many), one)


SMALL_SAMPLE = 30  # under this many, a share moves a long way on one or two cases
UNEVEN_RATIO = 3  # one side under a third of the other


def uneven(first: int | None, second: int | None, small_sample: int = SMALL_SAMPLE) -> bool:
    """Whether a comparison between samples of these sizes needs the warning (see below);
    `small_sample=0` for comparisons that deal with small numbers themselves (a practice
    week's themes, under the small-number threshold, are "too few to tell")."""
    if first is None or second is None or max(first, second) == 0:
        return False
    small, large = sorted((first, second))
    return small < small_sample or small * UNEVEN_RATIO < large


def uneven_samples(
    first: int | None, second: int | None, first_name: str, second_name: str, noun: str = "audit"
) -> str:
    """A warning where a comparison of shares rests on samples of very different size (the
    smaller under a third of the larger) or a small one (under 30): "" where the comparison
    stands as it is, or where a count is hidden."""
    if first is None or second is None or not uneven(first, second):
        return ""
    (small, small_name), (large, large_name) = sorted(
        [(first, first_name), (second, second_name)], key=lambda side: side[0]
    )
    return (
        f"Read with care: {small_name} rests on {counted(small, noun)}, against {large:,} in "
        f"{large_name}; a share of so few can move a long way on a handful of cases."
    )


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


def day_text(day: date) -> str:
    """The one date format of the reports: "3 November 2013"."""
    return f"{day.day} {day:%B %Y}"


def _month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def period_text(start: date, end: date) -> str:
    """A period as people say it: "November 2013" (a whole month), "April to June 2026" (whole
    months in one year), "April 2025 to March 2026", "3 to 28 November 2013", "3 November to
    2 December 2013", "3 November 2013 to 2 January 2014", "3 November 2013" (one day)."""
    if start == end:
        return day_text(start)
    if start.day == 1 and _month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%B %Y}"
        if start.year == end.year:
            return f"{start:%B} to {end:%B %Y}"
        return f"{start:%B %Y} to {end:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {day_text(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {day_text(end)}"
    return f"{day_text(start)} to {day_text(end)}"


def capital(text: str) -> str:
    """A sentence's first letter in capitals ("a hidden number of..." -> "A hidden...")."""
    return text[:1].upper() + text[1:]


def join_and(parts: list[str]) -> str:
    """ "a, b and c"; one part alone; "" for none."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def was_were(n: object) -> str:
    """The verb for a count: "1 was", "6 were" (a hidden count reads "were")."""
    return "was" if n == 1 else "were"
