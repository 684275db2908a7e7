"""The performance indicators table of the single-agency report to the safeguarding board:
each indicator by year with its target, RAG and comparators (statistical neighbours, region,
England), from a frozen snapshot of either shape (schema 1 had one month and the change on a
year). Pure: no database, no Flask."""

from datetime import date
from typing import Any

from qa_app.documents.board_form import month_words
from qa_app.documents.board_table import BoardTable, Cell
from qa_app.findings import present

UNIT_WORDS = {"percentage": "%", "rate_per_10000": " per 10,000", "count": ""}
GROUP_HEADINGS = [
    ("statistical_neighbours", "SN"),  # statistical neighbours, as the board's form says
    ("region", "Region"),
    ("england", "England"),
]
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", None: "–"}


def indicator_value(value: float | None, unit: str, limit: int, hidden: bool = False) -> str:
    if hidden:
        return present.HIDDEN
    if value is None:
        return "–"
    text = present.number(value)
    return text + ("%" if unit == "percentage" else "")


def _change(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value:+d}%" if value else "0%"


def _comparator_cells(
    r: dict[str, Any], limit: int, matched_only: bool, years_in_header: frozenset[str] = frozenset()
) -> list[Cell]:
    """A row's comparators, each with its year unless the column's heading gives it."""
    cells = []
    for group, _ in GROUP_HEADINGS:
        c = r["comparators"].get(group)
        if not c or (matched_only and c.get("column") is None):
            cells.append(Cell("–"))
            continue
        text = indicator_value(c["value"], r["unit"], limit)
        year = c.get("year") if group not in years_in_header else None
        cells.append(Cell(text + (f" ({year})" if year else "")))
    return cells


def _one_year(rows: list[dict[str, Any]], group: str) -> str | None:
    """The year of every comparator shown in a column, where they share one."""
    years = {
        r["comparators"][group].get("year")
        for r in rows
        if group in r["comparators"] and r["comparators"][group].get("column") is not None
    }
    return next(iter(years)) if len(years) == 1 and None not in years else None


def _indicator_name(r: dict[str, Any]) -> str:
    unit = {"rate_per_10000": " (rate per 10,000)", "percentage": " (%)"}.get(r["unit"], "")
    name: str = r["name"]
    return name + unit


def _statistics_table(figures: dict[str, Any]) -> BoardTable:
    """Indicators by year (the period's last month in each of the years shown), with target
    and RAG, and comparators only for the years shown ("–" otherwise, never a comparator for
    another year). The region column is left out when no indicator has a regional figure."""
    limit = figures["suppression"]["threshold"]
    ind = figures["indicators"]
    scorecard: tuple[str, dict[str, Any]] = ("indicators.scorecard", {})
    groups = [
        (g, h)
        for g, h in GROUP_HEADINGS
        if g != "region" or any("region" in r["comparators"] for r in ind["rows"])
    ]
    columns = [f"{date.fromisoformat(m):%b %Y}" for m in ind["columns"]]
    years = {g: _one_year(ind["rows"], g) for g, _ in groups}
    in_header = frozenset(g for g, year in years.items() if year)
    rows = []
    for r in ind["rows"]:
        comparators = dict(
            zip(
                [g for g, _ in GROUP_HEADINGS],
                _comparator_cells(r, limit, True, in_header),
                strict=True,
            )
        )
        rows.append(
            [
                Cell(_indicator_name(r), scorecard),
                *[
                    Cell(indicator_value(h["value"], r["unit"], limit, h["hidden"]), scorecard)
                    for h in r["history"]
                ],
                Cell(indicator_value(r["target"], r["unit"], limit)),
                Cell(RAG_WORDS[r["rag"]], rag=r["rag"]),
                *[comparators[g] for g, _ in groups],
            ]
        )
    n = len(columns)
    name_width, month_width = (0.26, 0.1) if len(groups) < 3 else (0.22, 0.085)
    rest = 1 - name_width - month_width * n - 0.19
    return BoardTable(
        caption=f"Performance indicators, {month_words(ind['month'])} and the same month in "
        "the years before; comparators for the years shown",
        header=[
            "Indicator",
            *columns,
            "Target",
            "RAG",
            *[f"{h} {years[g]}" if years[g] else h for g, h in groups],
        ],
        rows=rows,
        numeric=set(range(1, n + 2)) | set(range(n + 3, n + 3 + len(groups))),
        widths=[name_width] + [month_width] * n + [0.09, 0.1] + [rest / len(groups)] * len(groups),
    )


def _statistics_table_v1(figures: dict[str, Any]) -> BoardTable:
    """The statistics table of a snapshot drafted before the table had years as columns
    (schema 1), as it was published."""
    limit = figures["suppression"]["threshold"]
    ind = figures["indicators"]
    scorecard: tuple[str, dict[str, Any]] = ("indicators.scorecard", {})
    rows = []
    for r in ind["rows"]:
        rows.append(
            [
                Cell(_indicator_name(r), scorecard),
                Cell(indicator_value(r["value"], r["unit"], limit, r["hidden"]), scorecard),
                Cell(indicator_value(r["target"], r["unit"], limit)),
                Cell(RAG_WORDS[r["rag"]], rag=r["rag"]),
                Cell(_change(r["change_on_year"])),
                *_comparator_cells(r, limit, matched_only=False),
            ]
        )
    return BoardTable(
        caption=f"Performance indicators, {month_words(ind['month'])}",
        header=[
            "Indicator",
            month_words(ind["month"]),
            "Target",
            "RAG",
            "Change on a year",
            *[h for _, h in GROUP_HEADINGS],
        ],
        rows=rows,
        numeric={1, 2, 4, 5, 6, 7},
        widths=[0.21, 0.09, 0.1, 0.12, 0.1, 0.14, 0.1, 0.14],
    )


def statistics_table(figures: dict[str, Any]) -> BoardTable:
    """The indicators table of the snapshot, in the shape it was drafted in."""
    if "columns" in figures["indicators"]:
        return _statistics_table(figures)
    return _statistics_table_v1(figures)
