"""Small-number suppression for figures that leave the case-level tier (board views, board
reports, exports marked for publication).

`suppress(figures, threshold)` returns a copy in which every count from 1 to threshold - 1 is
replaced by None, so the small number is not in the copy at all. Renderers word None as
"hidden", never "fewer than 5": a count hidden by the secondary rule below is often 5 or more.
The total of a distribution (a `counts` dictionary) less the cells shown always gives the sum
of the hidden cells, so where a distribution would have exactly one hidden cell, or hidden
cells adding up to exactly its small "good or better" subtotal (outstanding 1 and good 1
beside requires improvement and inadequate shown), the next smallest cell is hidden as well;
and its "good or better" subtotal is hidden whenever any of its cells is. The same secondary
rule holds down the rows that add up to a total shown elsewhere (audits completed per
template, team, locality and month; templates whose hidden counts add up to their scale's
small count take another with them).
Summaries of numbers (median, range) and kappa over a hidden n are hidden too. Rules across the
parts of the figures (`_harden`): only completed audits are counted; a template whose completed
count is hidden is hidden whole; a count over all templates is hidden wherever one template's
part of it is. Per-auditor figures are dropped: outputs below the internal tier hold no figures
about named staff. Which audience gets which threshold: qa_app.findings.audiences; the rules
across periods and filters: qa_app.findings.disclosure (docs/findings.md)."""

import copy
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
K = TypeVar("K")

# Keys whose integer values are not counts.
NOT_COUNTS = {"schema", "threshold"}
# Sections of the figures that never leave the case-level tier.
CASE_TIER_ONLY = {"by_auditor"}


def hide_count(value: T, threshold: int) -> T | None:
    """A count as the board tier shows it: from 1 to threshold - 1 it becomes None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return None if 0 < value < threshold else value


def _secondary(
    counts: dict[K, Any], raw: dict[K, Any], threshold: int, subtotals: tuple[Any, ...] = ()
) -> None:
    """Secondary suppression among counts that add up to a total shown elsewhere (`raw`: the
    same counts before any was hidden). The total less the counts shown gives the hidden ones'
    sum, so the next smallest non-zero count is hidden as well where exactly one is hidden (it
    would be worked out), and where the hidden ones add up to a small figure published about
    some of them (`subtotals`, before hiding): outstanding 1 and good 1 hidden beside the
    grades shown give away their "good or better" of 2, two small templates the count of
    their scale."""
    while hidden := [k for k, v in counts.items() if v is None]:
        hidden_sum = sum(v for k, v in raw.items() if k in hidden and _is_count(v))
        gives_away = any(_is_count(t) and 0 < t < threshold and t == hidden_sum for t in subtotals)
        if len(hidden) > 1 and not gives_away:
            return
        shown = sorted((v, k) for k, v in counts.items() if v)
        if not shown:
            return
        counts[shown[0][1]] = None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Dictionaries of counts that add up to a total shown beside them (or to one another's
# totals): one hidden count among them could be worked out by subtraction, so the secondary
# rule holds within each, as in a `counts` distribution. A theme row's marks add up to its n;
# audits by status add up to the audits (and submitted + moderated to the completed).
PARTITIONS = (
    ("strength", "development", "not_seen"),
    # a theme's audits that assessed it and those that did not add up to its template's
    ("n", "not_assessed"),
    ("not_started", "in_progress", "submitted", "moderated"),
)
# A total hidden whenever exactly one of its parts is (it would otherwise give that part away).
SUBTOTALS = {"completed": ("submitted", "moderated")}


def _partitions(out: dict[str, Any], raw: dict[str, Any], threshold: int) -> None:
    for keys in PARTITIONS:
        if all(k in out for k in keys):
            part = {k: out[k] for k in keys}
            _secondary(part, raw, threshold)
            out.update(part)
    for total, parts in SUBTOTALS.items():
        if total in out and all(p in out for p in parts):
            if sum(out[p] is None for p in parts) == 1:
                out[total] = None


def hide_summaries(node: Any) -> Any:  # the figures: JSON
    """Summaries over a hidden n hidden too: a median, range or kappa of a hidden count of
    answers would say something about them."""
    if isinstance(node, list):
        return [hide_summaries(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: hide_summaries(v) for k, v in node.items()}
    if "n" in out and out["n"] is None:
        for key in ("median", "min", "max", "kappa"):
            if key in out:
                out[key] = None
    if "counts" in out and isinstance(out["counts"], dict) and None in out["counts"].values():
        if "good_or_better" in out:
            out["good_or_better"] = None
    return out


def _walk(node: Any, threshold: int) -> Any:
    if isinstance(node, list):
        return [_walk(item, threshold) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    hidden_levels = False
    for key, value in node.items():
        if key in CASE_TIER_ONLY:
            continue
        if key in NOT_COUNTS or key.endswith("_id"):
            out[key] = value
        elif key == "counts" and isinstance(value, dict):
            counts = {k: hide_count(v, threshold) for k, v in value.items()}
            # its "good or better" is the sum of some of its cells
            _secondary(counts, value, threshold, (node.get("good_or_better"),))
            out[key] = counts
            if None in counts.values():  # a subtotal would give a hidden cell away
                hidden_levels = True
        elif isinstance(value, dict | list):
            out[key] = _walk(value, threshold)
        else:
            out[key] = hide_count(value, threshold)
    _partitions(out, node, threshold)
    if hidden_levels and "good_or_better" in out:
        out["good_or_better"] = None
    if "n" in out and out["n"] is None:
        for key in ("median", "min", "max", "kappa"):
            if key in out:
                out[key] = None
    return out


# Lists of rows whose counts add up to a total shown elsewhere (audits completed, good or
# better): one hidden row among shown ones could be worked out from that total.
ROW_TOTALS = {
    "templates": ("completed",),
    "by_team": ("completed", "good_or_better", "worst"),
    "by_locality": ("completed", "good_or_better", "worst"),
    "by_month": ("completed", "good_or_better"),
    "by_scale": ("completed",),
}


def _secondary_rows(
    rows: list[dict[str, Any]],
    raw: list[dict[str, Any]],
    field: str,
    threshold: int,
    subtotals: tuple[Any, ...] = (),
) -> None:
    column = {i: row[field] for i, row in enumerate(rows) if field in row}
    _secondary(column, {i: row.get(field) for i, row in enumerate(raw)}, threshold, subtotals)
    for i, value in column.items():
        rows[i][field] = value


def _hide_all(node: Any) -> Any:
    """Every count in `node` hidden (names, keys and labels kept)."""
    if isinstance(node, list):
        return [_hide_all(item) for item in node]
    if not isinstance(node, dict):
        return None if isinstance(node, int) and not isinstance(node, bool) else node
    return {
        k: v if k in NOT_COUNTS or k.endswith("_id") or k == "scale" else _hide_all(v)
        for k, v in node.items()
    }


# Where counts are hidden, only completed audits are counted: audits by status add up to the
# completed ones in too many ways (per template, overall, submitted + moderated).
STATUS_TOTALS = ("not_started", "in_progress", "submitted", "moderated", "audits")
# What is about a template's audits, beside its own row of figures.
PER_TEMPLATE = ("themes_by_template",)
# What adds up over the templates: hidden wherever one template's part of it is.
OVER_TEMPLATES = {"themes": ("themes_by_template", "themes")}


def _harden(out: dict[str, Any]) -> None:
    """The rules that hold across the parts of the figures (the module docstring)."""
    totals = out.get("totals") or {}
    for key in STATUS_TOTALS:
        if key in totals:
            totals[key] = None
    hidden_templates = set()
    for t in out.get("templates") or []:
        t["by_status"] = _hide_all(t.get("by_status") or {})
        overall = t.get("overall") or {}
        # a template's completed audits and its graded ones are one number (each completed
        # audit has an overall grade): hidden, they take every figure of the template with them
        if t.get("completed") is None or overall.get("n", 0) is None:
            hidden_templates.add(t.get("key"))
            for key, value in list(t.items()):
                if key not in ("key", "name", "scale"):
                    t[key] = _hide_all(value)
    for key in PER_TEMPLATE:
        for group in out.get(key) or []:
            if group.get("template") in hidden_templates:
                group["themes"] = _hide_all(group["themes"])
    for key, (parts_key, rows_key) in OVER_TEMPLATES.items():
        hidden = {
            (row["key"], field)
            for group in out.get(parts_key) or []
            for row in group[rows_key]
            for field, value in row.items()
            if value is None
        }
        for row in out.get(key) or []:
            for field in row:
                if (row["key"], field) in hidden:
                    row[field] = None
    _over_templates_on_a_scale(out)
    if any(t.get("overall", {}).get("good_or_better", 0) is None for t in out.get("templates", [])):
        for row in out.get("by_month") or []:
            for part in [row, *(row.get("by_scale") or [])]:
                if "good_or_better" in part:
                    part["good_or_better"] = None


def _over_templates_on_a_scale(out: dict[str, Any]) -> None:
    """A scale's grades add up its templates' grades: hidden wherever one template's is."""
    for entry in out.get("by_scale") or []:
        parts = [
            t
            for t in out.get("templates") or []
            if (t.get("scale") or {}).get("key") == entry.get("scale")
        ]
        for level in entry.get("counts") or {}:
            if any((p.get("overall") or {}).get("counts", {}).get(level, 0) is None for p in parts):
                entry["counts"][level] = None
        parts_of: tuple[tuple[str, Callable[[dict[str, Any]], object]], ...] = (
            ("completed", lambda p: p.get("completed", 0)),
            ("n", lambda p: (p.get("overall") or {}).get("n", 0)),
            ("good_or_better", lambda p: (p.get("overall") or {}).get("good_or_better", 0)),
        )
        for field, part_of in parts_of:
            if field in entry and any(part_of(p) is None for p in parts):
                entry[field] = None


def _months_by_scale(out: dict[str, Any], figures: dict[str, Any], threshold: int) -> None:
    """A month's audits per scale add up to its audits shown beside them (the secondary rule
    holds among them); and a month holding all the period's audits has the scales' counts of
    the period itself, hidden where those are."""
    hidden = {
        entry.get("scale")
        for entry in out.get("by_scale") or []
        if entry.get("completed", 0) is None
    }
    total = (figures.get("totals") or {}).get("completed")
    for row, raw in zip(out.get("by_month") or [], figures.get("by_month") or [], strict=True):
        parts = row.get("by_scale") or []
        if raw.get("completed") == total:
            for part in parts:
                if part.get("scale") in hidden and "completed" in part:
                    part["completed"] = None
        _secondary_rows(parts, raw.get("by_scale") or [], "completed", threshold)


def suppress(figures: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A board-tier copy of the figures (see the module docstring)."""
    if threshold <= 1:
        out = copy.deepcopy(figures)
        out.get("moderation", {}).pop("by_auditor", None)
    else:
        out = _walk(figures, threshold)
        for key, fields in ROW_TOTALS.items():
            for field in fields:
                # the templates on one scale add up to the scale's count
                subtotals = (
                    tuple(entry.get(field) for entry in figures.get("by_scale") or [])
                    if key == "templates"
                    else ()
                )
                _secondary_rows(
                    out.get(key) or [], figures.get(key) or [], field, threshold, subtotals
                )
        _harden(out)
        _months_by_scale(out, figures, threshold)
    out["suppression"] = {"threshold": threshold}
    return out
