"""Each audience's tier of a practice week's figures (qa_app.findings.audiences): the internal
tier has everything; below it the case free text (`notes`: what observers said could be
better, what families and staff said) is dropped; and where the audience's threshold
suppresses (the public tier; the partnership tier only if the council sets a threshold),
counts from 1 to threshold - 1 are hidden (None) with secondary suppression, so no hidden count
can be worked out from a total shown beside it (tests/practice_weeks/
test_public_tier_differencing.py tries many weeks). Pure: no database."""

import copy

from qa_app.findings.audiences import AudienceRules
from qa_app.findings.suppression import hide_count
from qa_app.services.practice_week_figures import MARKS, SCHEMA, STATES

__all__ = ["suppressed_figures", "tier_figures", "upgraded"]


def _secondary(values: dict, keys) -> None:
    """Where exactly one of `keys` is hidden, hide the next smallest non-zero one too, so the
    hidden one cannot be worked out from a total shown beside them."""
    hidden = [k for k in keys if values[k] is None]
    if len(hidden) == 1:
        shown = sorted((values[k], k) for k in keys if values[k])
        if shown:
            values[shown[0][1]] = None


def _secondary_table(out: dict) -> None:
    """The activities as a table: a row per kind (done, planned, cancelled add up to its total)
    and the done column (adding up to the activities done). Hiding a cell to protect a row can
    leave a column with one hidden cell, and the other way round, so both rules are applied
    until neither hides anything more (each round hides at least one cell, so it ends). Where a
    row or the column keeps a single hidden cell because nothing else is left to hide (the
    others are 0), its total is hidden instead."""
    activities = out["activities"]

    def hidden_cells() -> int:
        return sum(v is None for counts in activities.values() for v in counts.values())

    for _ in range(len(activities) * (len(STATES) + 1) + 1):
        before = hidden_cells() + (out["activities_done"] is None)
        for counts in activities.values():
            _secondary(counts, STATES)
            if sum(counts[k] is None for k in STATES) == 1:
                counts["total"] = None
        done = {k: counts["done"] for k, counts in activities.items()}
        _secondary(done, list(done))
        for k, v in done.items():
            activities[k]["done"] = v
        if sum(v is None for v in done.values()) == 1:
            out["activities_done"] = None
        if hidden_cells() + (out["activities_done"] is None) == before:
            return


def _shown_share(strength, n, threshold: int) -> bool:
    """A strength share may be shown only where neither the strength count nor the rest of the
    marks is a small number (n and the share would give a hidden count away)."""
    if strength is None or n is None:
        return False
    return (
        hide_count(strength, threshold) is not None
        and hide_count(n - strength, threshold) is not None
    )


def suppressed_figures(figures: dict, threshold: int) -> dict:
    """The figures with counts from 1 to threshold - 1 hidden (None), and secondary
    suppression: within a theme's marks, an activity kind's done/planned/cancelled, the kinds'
    done counts (their total is shown), the focus areas' counts (with the activities done in
    no area they add up to the total), and the comparison's shares."""
    out = copy.deepcopy(figures)
    hide = lambda v: hide_count(v, threshold)  # noqa: E731
    out["managers"] = hide(out["managers"])
    out["audits_completed"] = hide(out["audits_completed"])
    out["activities_done"] = hide(out["activities_done"])
    for counts in out["activities"].values():
        for key in counts:
            counts[key] = hide(counts[key])
    _secondary_table(out)
    areas = {str(i): a["activities_done"] for i, a in enumerate(out["focus_areas"])}
    areas["none"] = out.get("no_area_done", 0)
    areas = {k: hide(v) for k, v in areas.items()}
    _secondary(areas, list(areas))
    for i, area in enumerate(out["focus_areas"]):
        area["activities_done"] = areas[str(i)]
        # Kinds within an area are not published with small numbers: the area's total is.
        area["done_by_kind"] = dict.fromkeys(area.get("done_by_kind") or {}, None)
    out["no_area_done"] = areas["none"]
    if "conversations" in out:
        conv = {k: hide(v) for k, v in out["conversations"].items()}
        _secondary(conv, list(conv))
        out["conversations"] = conv
    for row in out["themes"]:
        marks = {m: hide(row[m]) for m in MARKS}
        _secondary(marks, MARKS)
        row.update(marks)
        for key in ("n", "audits_n", "observations_n"):
            row[key] = hide(row[key])
        _secondary(row, ("audits_n", "observations_n"))
    shown_rows = {r["key"]: r for r in out["themes"]}
    comp = out.get("comparison")
    if comp:
        for item in comp["themes"]:
            row = shown_rows.get(item["key"], {})
            then_strength = item.get("then_strength")
            if then_strength is None and item["then"] is not None and item["then_n"]:
                then_strength = round(item["then"] * item["then_n"] / 100)
            now_ok = row.get("strength") is not None and row.get("n") is not None
            then_ok = _shown_share(then_strength, item["then_n"], threshold)
            item["now_n"], item["then_n"] = hide(item["now_n"]), hide(item["then_n"])
            item["now_strength"] = item["then_strength"] = None
            if not (now_ok and then_ok) or item["direction"] == "too_few":
                item.update(now=None, then=None, change=None, direction="too_few")
        comp["moved"] = [t["key"] for t in comp["themes"] if t["direction"] in ("up", "down")]
    return out


def upgraded(figures: dict) -> dict:
    """Figures frozen before schema 2 with what the report now reads: the activities done in
    no focus area (the total less the areas'), and no per-kind counts for the areas."""
    if figures.get("schema", 1) >= SCHEMA:
        return figures
    out = copy.deepcopy(figures)
    in_areas = sum(a["activities_done"] or 0 for a in out["focus_areas"])
    out.setdefault("no_area_done", max((out["activities_done"] or 0) - in_areas, 0))
    for area in out["focus_areas"]:
        area.setdefault("done_by_kind", {})
    return out


def tier_figures(figures: dict, rules: AudienceRules) -> dict:
    """The figures as `rules`' audience reads them: without the case free text below the
    internal tier, and suppressed where its threshold suppresses. `suppression` says which."""
    figures = upgraded(figures)
    out = (
        copy.deepcopy(figures)
        if not rules.suppresses
        else suppressed_figures(figures, rules.threshold)
    )
    if not rules.case_level:
        out.pop("notes", None)
    out["suppression"] = {
        "audience": rules.audience.value,
        "threshold": rules.threshold if rules.suppresses else 0,
    }
    return out
