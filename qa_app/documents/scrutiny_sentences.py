"""The drafted words of the scrutiny committee's performance pack, from its frozen figures
(qa_app.services.scrutiny_figures): the figure prompts under each area (an indicator's value
for the month and its change on the year before, then the weakest and strongest category of
each breakdown against the target), and the first draft of each area's text, which the
manager then rewrites. Each line becomes a bullet. Pure: reads only the numbers it is given."""

from datetime import date
from typing import Any

from qa_app.data.indicator_scorecard import format_value, rated_by_part

ABOVE = {"count": ("more", "fewer")}  # other units are "higher" / "lower"


def figure_text(value: float | None, unit: str) -> str:
    """A figure as the scorecard writes it (a count keeps its decimals, up to two: 348.63)."""
    return format_value(value, unit)


def _when(month: date, adds_up: bool) -> str:
    return f"in {month:%B %Y}" if adds_up else f"at the end of {month:%B %Y}"


def value_prompt(indicator: dict[str, Any], month: date) -> str:
    """ "Children on a child in need plan: 686 at the end of September 2021, 5% more than a
    year before." A hidden count is said to be too small to publish."""
    name, unit = indicator["name"], indicator["unit"]
    when = _when(month, indicator["adds_up"])
    if indicator.get("hidden"):
        return f"{name}: a number too small to publish {when}."
    if indicator["value"] is None:
        return f"{name}: no figure {when}."
    shown = f"{name}: {figure_text(indicator['value'], unit)} {when}"
    change, last_year = indicator["change_year"], indicator["last_year"]
    if last_year is None:
        return f"{shown}; no figure for a year before to compare with."
    if change is None and last_year == 0 and indicator["value"]:
        return f"{shown}, up from none a year before."
    if change is None or change == 0:
        return f"{shown}, about the same as a year before ({figure_text(last_year, unit)})."
    up, down = ABOVE.get(unit, ("higher", "lower"))
    return f"{shown}, {abs(change)}% {up if change > 0 else down} than a year before."


def _gap(row: dict[str, Any], target: float, better: str) -> float:
    """How far a category is ahead of the target (negative: behind it)."""
    value = float(row["value"])
    return value - target if better == "higher" else target - value


def breakdown_prompt(indicator: dict[str, Any], breakdown: dict[str, Any]) -> str | None:
    """ "Children on a child in need plan by locality: furthest from the 80% target Mid and
    East (58%), closest City (82%)." Only against a target, and only with two categories or
    more that have a value."""
    target, better, unit = indicator["target"], indicator["better"], indicator["unit"]
    rows = [r for r in breakdown["rows"] if r["value"] is not None]
    if target is None or better not in ("higher", "lower") or len(rows) < 2:
        return None
    if not rated_by_part(unit):  # a part of a count is not measured against the whole's target
        return None
    ranked = sorted(rows, key=lambda r: _gap(r, target, better))
    weakest, strongest = ranked[0], ranked[-1]
    if _gap(weakest, target, better) == _gap(strongest, target, better):
        return None

    def named(row: dict[str, Any]) -> str:
        return f"{row['category']} ({figure_text(row['value'], unit)})"

    aim = figure_text(target, unit)
    return (
        f"{indicator['name']} by {breakdown['title'].lower()}: weakest against the {aim} target "
        f"{named(weakest)}, strongest {named(strongest)}."
    )


def indicator_prompts(indicator: dict[str, Any], month: date) -> list[str]:
    lines = [value_prompt(indicator, month)]
    for breakdown in indicator["breakdowns"]:
        if line := breakdown_prompt(indicator, breakdown):
            lines.append(line)
    return lines


# ---- the first draft of each section ---------------------------------------------------------


def area_text(area: dict[str, Any], commentary: list[str]) -> str:
    """The manager's commentary on the area's indicators for the month, line by line, then
    the figure prompts to rewrite."""
    return "\n".join([*commentary, *area["prompts"]])
