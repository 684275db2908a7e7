"""The findings figures as charts and headline numbers, for the dashboard pages and for any
report builder (PDF) that draws the same pictures. Works on the figures dictionary from
`qa_app.findings.compute_findings`, raw or suppressed: a hidden count (None) is drawn as no
bar or point, with "hidden" as its label. Nothing here imports Flask."""

from typing import Any

from qa_app.charts import (
    MARK_COLOURS,
    SERIES_COLOURS,
    Bar,
    BarChart,
    LineChart,
    LineSeries,
    Series,
    StackedBarChart,
    StackedRow,
    grade_colours,
)
from qa_app.findings import present
from qa_app.findings.summaries import month_label

MARKS = {
    "strength": "Strength",
    "development": "Area for development",
    "not_seen": "Not seen",
}
MARKED_AS = {
    "strength": "a strength",
    "development": "an area for development",
    "not_seen": "not seen",
}
MOVED_BY = 10  # percentage points: a theme share that changed at least this much "moved"
TOP_MOVED = 6


def grade_chart(
    title: str, distribution: dict[str, Any], levels: list[dict[str, Any]], threshold: int
) -> BarChart:
    """A bar per grade, best first, each labelled with its count and share."""
    colours = grade_colours(len(levels))
    bars = []
    for level, colour in zip(levels, colours, strict=True):
        n = distribution["counts"].get(level["key"])
        label = present.count_and_percent(n, distribution["n"], threshold)
        bars.append(Bar(level["label"], n, label, colour))
    return BarChart(title, bars, unit="audits")


def sections_chart(template: dict[str, Any], title: str) -> StackedBarChart:
    """A stacked bar per graded section of a template, one segment per grade, as shares of
    the section's grades (counts when some are hidden)."""
    levels = template["scale"]["levels"]
    rows = [
        StackedRow(s["title"], [s["counts"].get(lvl["key"]) for lvl in levels])
        for s in template["sections"]
    ]
    hidden = any(v is None for row in rows for v in row.values)
    colours = grade_colours(len(levels))
    return StackedBarChart(
        title,
        [Series(lvl["label"], c) for lvl, c in zip(levels, colours, strict=True)],
        rows,
        percent=not hidden,
    )


def scale_cells(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A by_team / by_locality / by_month row's good or better per scale: [{"scale",
    "completed", "good_or_better"(, "worst")}], one per heading of `scale_headings`. Rows from
    figures frozen before grades were kept per scale have one cell, the row itself; a row
    when no audit was graded at all has one empty cell."""
    if row.get("by_scale"):
        cells: list[dict[str, Any]] = row["by_scale"]
        return cells
    if "by_scale" in row:
        return [{"scale": "", "completed": 0, "good_or_better": 0, "worst": 0}]
    return [{"scale": "", **{k: row.get(k) for k in ("completed", "good_or_better", "worst")}}]


def scale_headings(figures: dict[str, Any], heading: str = "Good or better") -> list[str]:
    """Column headings for the per-scale cells of the breakdown rows (`scale_cells`), in
    their order: the heading alone with one scale in play, with each scale's name if more."""
    scales = figures.get("by_scale")
    if not scales or len(scales) == 1:
        return [heading]
    return [f"{heading}, {s['name']} scale" for s in scales]


def good_or_better_by_month(
    by_month: list[dict[str, Any]], title: str, scales: list[dict[str, Any]] | None = None
) -> LineChart:
    """Percentage of the audits completed each month that were judged good or better: one
    line per grading scale (`scales`: figures["by_scale"]), never one line over two scales."""
    names = {s["scale"]: s["name"] for s in scales or []}
    keys = ([c["scale"] for c in scale_cells(by_month[0])] if by_month else []) or [""]
    series = []
    for i, key in enumerate(keys):
        label = "Good or better" if len(keys) == 1 else f"Good or better, {names.get(key, key)}"
        values: list[float | None] = []
        for m in by_month:
            cell = next((c for c in scale_cells(m) if c["scale"] == key), {})
            values.append(present.percent_value(cell.get("good_or_better"), cell.get("completed")))
        series.append(LineSeries(label, SERIES_COLOURS[i % len(SERIES_COLOURS)], values))
    return LineChart(
        title, [month_label(m["month"]) for m in by_month], series, y_max=100, unit="%"
    )


def themes_chart(rows: list[dict[str, Any]], title: str) -> StackedBarChart:
    """A stacked bar per theme: strength, area for development, not seen. Shares of each row
    when every count is known; counts when some are hidden (a share of an unknown total
    would mislead)."""
    hidden = any(row[m] is None for row in rows for m in MARKS)
    return StackedBarChart(
        title,
        [Series(name, MARK_COLOURS[key]) for key, name in MARKS.items()],
        [StackedRow(row["name"], [row[m] for m in MARKS]) for row in rows],
        percent=not hidden,
    )


def share_chart(
    rows: list[dict[str, Any]], label_key: str, title: str, threshold: int, scale: str | None = None
) -> BarChart:
    """Percentage good or better per row (team or locality), on one scale (`scale`, a key of
    figures["by_scale"]; None for the only one)."""
    bars = []
    for row in rows:
        cells = scale_cells(row)
        cell = next((c for c in cells if c["scale"] == scale), cells[0] if cells else {})
        value = present.percent_value(cell.get("good_or_better"), cell.get("completed"))
        text = present.percent(cell.get("good_or_better"), cell.get("completed"))
        bars.append(Bar(row[label_key], value, text, SERIES_COLOURS[0]))
    return BarChart(title, bars, unit="%")


def good_or_better_total(figures: dict[str, Any]) -> tuple[int | None, int | None]:
    """(audits judged good or better, audits with an overall grade) over every template.
    On board-tier figures a total over a hidden count is hidden too (None): otherwise the
    hidden count could be worked out from the total and the other templates'. Only a total
    over templates of one scale means anything: see good_or_better_by_scale."""
    overall = [t["overall"] for t in figures["templates"]]
    gob = [o["good_or_better"] for o in overall]
    graded = [o["n"] for o in overall]
    return (
        None if None in gob else sum(gob),
        None if None in graded else sum(graded),
    )


def good_or_better_by_scale(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Good or better per grading scale, never added across scales: [{"scale", "name",
    "meaning" (e.g. "outstanding or good"), "good_or_better", "graded"}], each a total over
    the templates graded on that scale (hidden where any of theirs is, as above)."""
    out: dict[str, dict[str, Any]] = {}
    for t in figures["templates"]:
        scale = t["scale"]
        if scale["key"] not in out:
            labels = {lvl["key"]: lvl["label"].lower() for lvl in scale["levels"]}
            meaning = " or ".join(labels.get(k, k) for k in scale["good_or_better"])
            out[scale["key"]] = {"scale": scale["key"], "name": scale["name"], "meaning": meaning}
            out[scale["key"]]["templates"] = []
        out[scale["key"]]["templates"].append(t)
    for entry in out.values():
        entry["good_or_better"], entry["graded"] = good_or_better_total(
            {"templates": entry.pop("templates")}
        )
    return [e for e in out.values() if e["graded"] != 0]


def theme_share(row: dict[str, Any], mark: str) -> int | None:
    return present.percent_value(row.get(mark), row.get("n"))


def moved_themes(
    current: list[dict[str, Any]], previous: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Themes whose share of strengths or of areas for development changed by MOVED_BY
    percentage points or more since the previous period, biggest change first."""
    before = {row["key"]: row for row in previous}
    moved = []
    for row in current:
        old = before.get(row["key"])
        if old is None:
            continue
        for mark in ("strength", "development"):
            now, then = theme_share(row, mark), theme_share(old, mark)
            if now is None or then is None or abs(now - then) < MOVED_BY:
                continue
            moved.append(
                {
                    "key": row["key"],
                    "name": row["name"],
                    "mark": mark,
                    "mark_name": MARKS[mark],
                    "marked_as": MARKED_AS[mark],
                    "now": now,
                    "then": then,
                    "change": now - then,
                }
            )
    moved.sort(key=lambda m: (-abs(m["change"]), m["name"]))
    return moved[:TOP_MOVED]


TOP_LISTS = {"strength": "top_strengths", "development": "top_development", "mixed": "top_mixed"}


def top_themes(figures: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    """The top strengths (mark='strength'), areas for development ('development') or mixed
    themes ('mixed': as often a strength as an area for development), with their rows."""
    rows = {row["key"]: row for row in figures["themes"]}
    keys = figures.get(TOP_LISTS[mark], [])
    return [rows[k] for k in keys if k in rows]
