"""Demand in words, as the papers to cabinet and scrutiny put it: "Referrals rose by 12%
between April and September 2026, compared with the same months of 2025 (2,410 against
2,152)", and the audits of the same period in one sentence beside them. Pure: reads only the
numbers it is given (qa_app.services.demand_figures builds them)."""

from datetime import date
from typing import Any

from qa_app.data.indicator_scorecard import format_value
from qa_app.documents.narrative import good_or_better_text, grade_scales
from qa_app.findings.present import count_text, was_were


def months_text(first: date, last: date) -> str:
    """ "September 2026", "between April and September 2026", "between November 2025 and
    March 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"in {first:%B %Y}"
    if first.year == last.year:
        return f"between {first:%B} and {last:%B %Y}"
    return f"between {first:%B %Y} and {last:%B %Y}"


def _year_before(first: date, last: date) -> str:
    if first.year == last.year:
        return f"the same months of {first.year - 1}"
    return f"the same months a year before ({first.year - 1} to {last.year - 1})"


def demand_sentence(
    name: str,
    unit: str,
    adds_up: bool,
    value: float | None,
    previous: float | None,
    change: int | None,
    first: date,
    last: date,
    hidden: bool = False,
) -> str:
    """One demand measure over the period beside the same months a year before. A position
    (children in need at each month's end) is compared as its average over the months. A
    `hidden` figure (a small count the tier does not show) is said to be hidden."""
    when = months_text(first, last)
    if hidden:
        return f"{name} {when}: a number too small to publish, so no comparison is made."
    several = (first.year, first.month) != (last.year, last.month)
    average = "" if adds_up or not several else " on average"
    if value is None:
        return f"{name}: not every month {when} has a figure, so no comparison is made."
    shown = format_value(value, unit)
    if previous is None:
        return (
            f"{name}: {shown}{average} {when}; there are no figures for "
            f"{_year_before(first, last)} to compare with."
        )
    was = format_value(previous, unit)
    if change is None and previous == 0 and value:
        return f"{name}: {shown}{average} {when}, up from none in {_year_before(first, last)}."
    if change is None or change == 0:
        same = "the same as" if value == previous else "about the same as"
        return f"{name}: {shown}{average} {when}, {same} in {_year_before(first, last)}."
    verb = "rose" if change > 0 else "fell"
    return (
        f"{name} {verb} by {abs(change)}% {when}, compared with {_year_before(first, last)} "
        f"({shown}{average} against {was})."
    )


def audits_sentence(findings: dict[str, Any], when: str, threshold: int = 0) -> str:
    """ "120 audits were completed between April and September 2021. Of the 110 audits graded
    on the Ofsted four-point scale, 70 (64%) were judged good or better (outstanding or
    good)." Each scale on its own, in the words the other reports use; hidden counts are said
    as hidden."""
    completed = findings["totals"]["completed"]
    head = f"{count_text(completed, 'audits', 'audit')} {was_were(completed)} completed {when}."
    scales = [s for s in grade_scales(findings) if s["n"] != 0]
    return " ".join([head, *(good_or_better_text(s, threshold) for s in scales)])
