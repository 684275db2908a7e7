"""What may be disclosed below the internal tier, and how figures are made safe for it.

Three rules, each against a way of recovering what a reader may not see:

- **Whole months that have ended.** A reader below the internal tier (board viewers, partnership
  and public reports, board-tier API tokens) chooses a run of whole calendar months - a month, a
  quarter, a year - never arbitrary days, and never the month still running. Two periods a day
  apart, or the same period asked for today and tomorrow, would otherwise single out one audit.
- **Groups of a minimum size.** Team and locality rows (and a team or locality filter) appear
  only for groups with at least the council's minimum number of completed audits in the
  period; smaller ones are counted together as "Other teams" / "Other localities".
- **Built from the months.** Where small numbers are suppressed (the public tier, or the
  partnership tier when the council sets a threshold), the figures of a period are shown only
  where they are shown in every month of it: each month is suppressed on its own (with its
  secondary suppression), and a count of the period is hidden wherever it is hidden in any of its
  months. Every figure shown is then a sum of figures shown month by month, so no combination of
  periods (overlapping ones, a total minus its parts) recovers a count hidden in a month.

Pure apart from the `compute` callable it is given (normally `compute_findings`)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from qa_app.findings.audiences import AudienceRules
from qa_app.findings.filters import Filters
from qa_app.findings.suppression import hide_summaries, suppress

OTHER_TEAMS = "Other teams"
OTHER_LOCALITIES = "Other localities"
# Figures about another period (the one before): left out where suppression applies, since they
# are not built from the months of this one.
NOT_ADDITIVE = ("previous",)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def last_whole_months(today: date, n: int = 12) -> tuple[date, date]:
    """The `n` whole months that ended before this one."""
    end = month_start(today) - timedelta(days=1)
    start = month_start(end)
    for _ in range(n - 1):
        start = month_start(start - timedelta(days=1))
    return start, end


def period_problems(date_from: date | None, date_to: date | None, today: date) -> dict[str, str]:
    """Why a period may not be read below the internal tier, by URL argument; {} when it may."""
    problems: dict[str, str] = {}
    if date_from is None or date_to is None:
        problems["from" if date_from is None else "to"] = (
            "Choose whole months: a start month and an end month"
        )
        return problems
    if date_from != month_start(date_from):
        problems["from"] = "The period must start on the first day of a month"
    if date_to != month_end(date_to):
        problems["to"] = "The period must end on the last day of a month"
    elif date_to >= month_start(today):
        problems["to"] = "The period must end with a month that has ended"
    return problems


def months_of(date_from: date, date_to: date) -> list[tuple[date, date]]:
    out = []
    start = month_start(date_from)
    while start <= date_to:
        out.append((max(start, date_from), min(month_end(start), date_to)))
        start = month_end(start) + timedelta(days=1)
    return out


# ---- groups of a minimum size -----------------------------------------------------------------

BREAKDOWNS = {
    "by_team": ("team_id", "team", OTHER_TEAMS),
    "by_locality": ("locality_id", "locality", OTHER_LOCALITIES),
}
THEME_BREAKDOWNS = {
    "themes_by_team": ("team_id", "team", OTHER_TEAMS, "by_team"),
    "themes_by_locality": ("locality_id", "locality", OTHER_LOCALITIES, "by_locality"),
}
ROW_COUNTS = ("completed", "good_or_better", "worst")
THEME_COUNTS = ("strength", "development", "not_seen", "n", "not_assessed")


def _merge_rows(
    rows: list[dict[str, Any]], fields: tuple[str, ...], id_key: str, name_key: str, name: str
) -> dict[str, Any]:
    """Rows counted together: every count added, per scale too (never across scales)."""
    merged: dict[str, Any] = {id_key: None, name_key: name}
    for f in fields:
        values = [r.get(f) for r in rows if f in r]
        if values:
            merged[f] = sum(v or 0 for v in values)
    if any("by_scale" in r for r in rows):
        scales: dict[str, dict[str, Any]] = {}
        for r in rows:
            for part in r.get("by_scale") or []:
                into = scales.setdefault(part["scale"], {"scale": part["scale"]})
                for f in ROW_COUNTS:
                    if f in part:
                        into[f] = into.get(f, 0) + (part[f] or 0)
        merged["by_scale"] = list(scales.values())
    return merged


def large_groups(figures: dict[str, Any], min_size: int) -> set[tuple[str, int | None]]:
    """(breakdown, id) of the teams and localities with at least `min_size` completed audits."""
    out = set()
    for key, (id_key, _, _) in BREAKDOWNS.items():
        for row in figures.get(key) or []:
            if row.get(id_key) is not None and (row.get("completed") or 0) >= min_size:
                out.add((key, row[id_key]))
    return out


def apply_min_group_size(figures: dict[str, Any], min_size: int) -> dict[str, Any]:
    """Team and locality rows only for groups of at least `min_size` completed audits; the rest
    counted together in one unnamed row (left out when there are none). Runs on the raw
    figures, before any suppression, so the merged row is suppressed like any other."""
    if min_size <= 1:
        return figures
    out = dict(figures)
    large = large_groups(figures, min_size)
    for key, (id_key, name_key, other) in BREAKDOWNS.items():
        rows = figures.get(key) or []
        keep = [r for r in rows if (key, r.get(id_key)) in large]
        small = [r for r in rows if (key, r.get(id_key)) not in large]
        if small:
            merged = _merge_rows(small, ROW_COUNTS, id_key, name_key, other)
            if key == "by_team":
                merged["locality"] = ""
            keep.append(merged)
        out[key] = keep
    for key, (id_key, name_key, other, rows_key) in THEME_BREAKDOWNS.items():
        groups = figures.get(key) or []
        keep = [g for g in groups if (rows_key, g.get(id_key)) in large]
        small = [g for g in groups if (rows_key, g.get(id_key)) not in large]
        if small:
            themes: dict[str, dict[str, Any]] = {}
            for g in small:
                for row in g["themes"]:
                    t = themes.setdefault(row["key"], {"key": row["key"], "name": row["name"]})
                    for f in THEME_COUNTS:
                        if f in row:
                            t[f] = t.get(f, 0) + (row[f] or 0)
            keep.append({id_key: None, name_key: other, "themes": list(themes.values())})
        out[key] = keep
    return out


def group_filter_problems(figures: dict[str, Any], f: Filters, min_size: int) -> dict[str, str]:
    """A team or locality filter below the internal tier needs a group of the minimum size:
    `figures` are the unfiltered figures of the same period."""
    large = large_groups(figures, min_size)
    problems = {}
    if f.team_id and ("by_team", f.team_id) not in large:
        problems["team"] = (
            f"A team is shown on its own only with at least {min_size} completed audits in "
            "the period: choose another team or a longer period"
        )
    if f.locality_id and ("by_locality", f.locality_id) not in large:
        problems["locality"] = (
            f"A locality is shown on its own only with at least {min_size} completed audits in "
            "the period: choose another locality or a longer period"
        )
    return problems


# ---- built from the months --------------------------------------------------------------------

IDENTITY = ("key", "template", "team_id", "locality_id", "month", "scale")


# Where a count is in the figures: the keys and list items' identities leading to it.
Path = tuple[object, ...]


def _identity(item: object, index: int) -> tuple[object, ...]:
    """What a list item is, the same in every set of figures: a template on a scale (a
    template graded on two scales has two entries), a theme, a team, a month..."""
    if isinstance(item, dict):
        scale = item.get("scale")
        if "key" in item and isinstance(scale, dict):
            return ("key", item["key"], scale.get("key"))
        for field in IDENTITY:
            if field in item:
                return (field, item[field])
    return ("#", index)


def _hidden_paths(
    raw: Any, suppressed: Any, path: Path = (), out: set[Path] | None = None
) -> set[Path]:
    """Paths of the counts `suppress` hid: an int in `raw`, None in `suppressed`."""
    out = set() if out is None else out
    if isinstance(raw, dict) and isinstance(suppressed, dict):
        for k, v in raw.items():
            if k in suppressed:
                _hidden_paths(v, suppressed[k], path + (k,), out)
    elif isinstance(raw, list) and isinstance(suppressed, list):
        by_id = {_identity(s, i): s for i, s in enumerate(suppressed)}
        for i, item in enumerate(raw):
            ident = _identity(item, i)
            if ident in by_id:
                _hidden_paths(item, by_id[ident], path + (ident,), out)
    elif isinstance(raw, int) and not isinstance(raw, bool) and suppressed is None:
        out.add(path)
    return out


def _hide(node: Any, hidden: set[Path], path: Path = ()) -> Any:
    if isinstance(node, dict):
        return {k: _hide(v, hidden, path + (k,)) for k, v in node.items()}
    if isinstance(node, list):
        return [_hide(item, hidden, path + (_identity(item, i),)) for i, item in enumerate(node)]
    if path in hidden and isinstance(node, int) and not isinstance(node, bool):
        return None
    return node


# Breakdowns a suppressed tier leaves out: a team or locality row over a period is not a sum of
# rows shown month by month (a team's size differs from month to month), and the rows of one
# group against the total would single it out.
GROUP_BREAKDOWNS = ("by_team", "by_locality", "themes_by_team", "themes_by_locality")


def _prepare(figures: dict[str, Any]) -> dict[str, Any]:
    out = dict(figures)
    for key in NOT_ADDITIVE:
        out[key] = None
    for key in GROUP_BREAKDOWNS:
        out[key] = []
    return out


def suppressed_scope(f: Filters) -> Filters:
    """Where small numbers are hidden, the figures are worked out over the period alone (every
    template, team and locality): a filter and its complement would otherwise give away what
    either hides. A template filter only chooses which template's figures are shown."""
    return Filters(date_from=f.date_from, date_to=f.date_to)


def for_audience(
    f: Filters,
    rules: AudienceRules,
    compute: Callable[[Filters], dict[str, Any]],
    compute_month: Callable[[Filters], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The figures `f` covers, as `rules`' audience may read them. Internal: as computed.
    Partnership without a threshold: exact counts, nothing per auditor, teams and localities
    only for groups of the minimum size. Suppressed tiers: the period's figures built from its
    months (see the module docstring), without team and locality breakdowns; the period must be
    whole months (`period_problems`). `compute_month` works out the figures a suppressed tier
    shows, for the period and each month (it may leave out what `_prepare` drops: the period
    before, teams and localities); `compute` by default."""
    if rules.case_level:
        return compute(f)
    if not rules.suppresses:
        out = suppress(apply_min_group_size(compute(f), rules.min_group_size), 0)
        out["audience"] = rules.audience.value
        return out
    scope = suppressed_scope(f)
    period = _prepare((compute_month or compute)(scope))
    out = suppress(period, rules.threshold)
    hidden: set[Path] = set()
    if scope.date_from and scope.date_to:
        for start, end in months_of(scope.date_from, scope.date_to):
            month = _prepare(
                (compute_month or compute)(replace(scope, date_from=start, date_to=end))
            )
            hidden |= _hidden_paths(month, suppress(month, rules.threshold))
    shown: dict[str, Any] = hide_summaries(_hide(out, hidden))
    shown["audience"] = rules.audience.value
    return shown
