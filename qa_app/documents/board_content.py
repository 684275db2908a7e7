"""The tables of the single-agency report to the safeguarding board, shared by every renderer.

`board_tables(figures)` turns a frozen snapshot into the tables each section shows (page,
PDF, DOCX), and `activity_tiles` the headline counts; a cell may name the page its number was
computed from as (endpoint, arguments), which only the web page turns into a link. Pure: no
database, no Flask."""

from dataclasses import dataclass, field
from datetime import date

from qa_app.documents.board_form import (
    ICPC_QUESTIONS,
    PARTICIPANTS,
    SECTIONS,
    count_words,
    graded_templates,
    month_words,
    short_day,
)
from qa_app.documents.board_text import board_question_findings
from qa_app.findings import present


@dataclass
class Cell:
    text: str
    # (endpoint, URL arguments) of the page the number was computed from; the web page alone
    # turns it into a link.
    link: tuple[str, dict] | None = None
    rag: str | None = None  # red, amber, green, blue (complete) or grey: a status shown in colour

    def __str__(self) -> str:
        return self.text


@dataclass
class BoardTable:
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)
    widths: list[float] | None = None  # fractions of the text width, for the PDF


UNIT_WORDS = {"percentage": "%", "rate_per_10000": " per 10,000", "count": ""}
GROUP_HEADINGS = [
    ("statistical_neighbours", "SN"),  # statistical neighbours, as the board's form says
    ("region", "Region"),
    ("england", "England"),
]
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", None: "–"}


def indicator_value(value, unit: str, limit: int, hidden: bool = False) -> str:
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


def _share(yes, of, limit: int) -> str:
    """ "5 of 7 (71%)"; "–" where the question applied to no report (e.g. none was provided)."""
    if of == 0:
        return "–"
    if yes is None:
        return present.HIDDEN
    if of is None:
        return f"{yes:,} of a hidden number"
    pct = present.percent_value(yes, of)
    return f"{yes:,} of {of:,}" + (f" ({pct}%)" if pct is not None else "")


def _period_args(figures: dict, **extra) -> dict:
    return {"from": figures["period"]["from"], "to": figures["period"]["to"], **extra}


def activity_tiles(figures: dict) -> list[tuple[Cell, str]]:
    """The period's headline counts; a count of nothing is left out (it is not news)."""
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]

    def label(n, one: str, many: str) -> str:
        return one if n == 1 else many

    audits = act["audits_completed"]
    tiles = [
        (
            Cell(count_words(audits, limit), ("dashboards.overview", _period_args(figures))),
            label(audits, "case audit completed", "case audits completed"),
        ),
        (
            Cell(f"{act['practice_weeks']:,}", ("practice_weeks.index", {})),
            label(act["practice_weeks"], "practice week held", "practice weeks held"),
        ),
        (
            Cell(f"{act['actions_completed']:,}", ("improvement.actions", {})),
            label(
                act["actions_completed"],
                "improvement action completed",
                "improvement actions completed",
            ),
        ),
    ]
    return [(cell, text) for cell, text in tiles if cell.text != "0"]


KIND_WORDS = {"strength": "Strength", "concern": "Concern", "development": "Area for development"}
KIND_RAG = {"strength": "green", "concern": "red", "development": "amber"}


def _question_table(figures: dict, found) -> BoardTable:
    """The findings from the audits' answers, heaviest first; each links to the audits it
    was counted from (for those who may open audits)."""
    rows = []
    for f in found:
        link = ("dashboards.audits", _period_args(figures, **f.cell()))
        rows.append([Cell(f.sentence, link), Cell(KIND_WORDS[f.kind], rag=KIND_RAG[f.kind])])
    return BoardTable(
        caption="Findings from the audits' answers, by weight",
        header=["Finding", "Kind"],
        rows=rows,
        widths=[0.78, 0.22],
    )


def _comparator_cells(
    r: dict, limit: int, matched_only: bool, years_in_header: frozenset = frozenset()
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


def _one_year(rows: list[dict], group: str) -> str | None:
    """The year of every comparator shown in a column, where they share one."""
    years = {
        r["comparators"][group].get("year")
        for r in rows
        if group in r["comparators"] and r["comparators"][group].get("column") is not None
    }
    return next(iter(years)) if len(years) == 1 and None not in years else None


def _indicator_name(r: dict) -> str:
    unit = {"rate_per_10000": " (rate per 10,000)", "percentage": " (%)"}.get(r["unit"], "")
    return r["name"] + unit


def _statistics_table(figures: dict) -> BoardTable:
    """Indicators by year (the period's last month in each of the years shown), with target
    and RAG, and comparators only for the years shown ("–" otherwise, never a comparator for
    another year). The region column is left out when no indicator has a regional figure."""
    limit = figures["suppression"]["threshold"]
    ind = figures["indicators"]
    scorecard = ("indicators.scorecard", {})
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


def _statistics_table_v1(figures: dict) -> BoardTable:
    """The statistics table of a snapshot drafted before the table had years as columns
    (schema 1), as it was published."""
    limit = figures["suppression"]["threshold"]
    ind = figures["indicators"]
    scorecard = ("indicators.scorecard", {})
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


def _reviews_table(reviews: list[dict]) -> BoardTable:
    """Each review's recommendations and the improvement actions answering them."""
    rows = []
    for review in reviews:
        for rec in review["recommendations"]:
            answered = ", ".join(
                f"{a['number']} ({a['status_label'].lower()})" for a in rec["actions"]
            )
            rows.append(
                [
                    Cell(review["name"]),
                    Cell(f"{rec['number']}. {rec['text']}"),
                    Cell(answered or "None yet"),
                ]
            )
    return BoardTable(
        caption="Reviews: recommendations and the improvement actions answering them",
        header=["Review", "Recommendation", "Actions"],
        rows=rows,
        widths=[0.25, 0.5, 0.25],
    )


def board_tables(figures: dict) -> dict[str, list[BoardTable]]:
    """The tables of each section, from the frozen snapshot."""
    limit = figures["suppression"]["threshold"]
    out: dict[str, list[BoardTable]] = {key: [] for key, _, _ in SECTIONS}
    ind = figures["indicators"]
    if ind["rows"]:
        out["statistics"].append(
            _statistics_table(figures) if "columns" in ind else _statistics_table_v1(figures)
        )
    found = board_question_findings(figures)
    if found:
        out["audit_evidence"].append(_question_table(figures, found))
    templates = graded_templates(figures)
    if templates:
        rows = []
        for t in templates:
            link = ("dashboards.template", {"key": t["key"], **_period_args(figures)})
            gob = t["overall"]["good_or_better"]
            rows.append(
                [
                    Cell(t["name"], link),
                    Cell(count_words(t["completed"], limit), link),
                    Cell(count_words(gob, limit), link),
                    Cell(present.percent(gob, t["overall"]["n"])),
                ]
            )
        out["audit_evidence"].append(
            BoardTable(
                caption="Case-file audits completed, by kind",
                header=["Audit", "Completed", "Good or better", "Share good or better"],
                rows=rows,
                numeric={1, 2, 3},
                widths=[0.46, 0.16, 0.19, 0.19],
            )
        )
        for t in templates:
            link = ("dashboards.template", {"key": t["key"], **_period_args(figures)})
            overall = t["overall"]
            rows = [
                [
                    Cell(level["label"]),
                    Cell(count_words(overall["counts"].get(level["key"]), limit), link),
                    Cell(present.percent(overall["counts"].get(level["key"]), overall["n"])),
                ]
                for level in t["scale"]["levels"]
            ]
            rows.append(
                [
                    Cell("All graded"),
                    Cell(count_words(overall["n"], limit), link),
                    Cell("100%" if overall["n"] else "–"),
                ]
            )
            out["audit_evidence"].append(
                BoardTable(
                    caption=f"{t['name']}: overall grade",
                    header=["Grade", "Audits", "Share"],
                    rows=rows,
                    numeric={1, 2},
                    widths=[0.6, 0.2, 0.2],
                )
            )
    icpc = figures["icpc"]
    if icpc and icpc["rows"]:
        link = ("dashboards.template", {"key": icpc["key"], **_period_args(figures)})
        out["icpc"].append(
            BoardTable(
                caption=f"Reports to conference by agency ({count_words(icpc['audits'], limit)} "
                "conferences audited): answered yes, of the reports where the question applied",
                header=["Agency", "Reports", *[h for _, _, h in ICPC_QUESTIONS]],
                rows=[
                    [
                        Cell(row["label"], link),
                        Cell(count_words(row["n"], limit), link),
                        *[
                            Cell(_share(row[name]["yes"], row[name]["of"], limit))
                            for name, _, _ in ICPC_QUESTIONS
                        ],
                    ]
                    for row in icpc["rows"]
                ],
                numeric=set(range(1, 2 + len(ICPC_QUESTIONS))),
                widths=[0.14, 0.11] + [0.75 / len(ICPC_QUESTIONS)] * len(ICPC_QUESTIONS),
            )
        )
    conv = figures["conversations"]
    weeks = ("practice_weeks.index", {})
    out["frontline_staff"].append(
        BoardTable(
            caption="Practice-week conversations with staff (with consent)",
            header=["With", "Conversations"],
            rows=[[Cell("Staff"), Cell(count_words(conv["counts"]["staff"], limit), weeks)]],
            numeric={1},
            widths=[0.7, 0.3],
        )
    )
    out["children_families"].append(
        BoardTable(
            caption="Practice-week conversations with children and families (with consent)",
            header=["With", "Conversations"],
            rows=[
                [Cell(PARTICIPANTS[k]), Cell(count_words(conv["counts"][k], limit), weeks)]
                for k in ("child", "parent_carer")
            ],
            numeric={1},
            widths=[0.7, 0.3],
        )
    )
    reviews = figures.get("reviews") or []  # schema 1 snapshots have none
    if any(r["recommendations"] for r in reviews):
        out["learning_reviews"].append(_reviews_table(reviews))
    actions = figures["actions"]["rows"]
    if actions:
        out["action_plan"].append(
            BoardTable(
                caption="Improvement plan: open actions and those completed in the period",
                header=["No.", "Action", "Owner", "Due", "Status"],
                rows=[
                    [
                        Cell(
                            str(a["number"]), ("improvement.action", {"action_id": a["action_id"]})
                        ),
                        Cell(
                            a["description"], ("improvement.action", {"action_id": a["action_id"]})
                        ),
                        Cell(a["owner"] + (f" ({a['owner_role']})" if a["owner_role"] else "")),
                        Cell(short_day(a["due"])),
                        Cell(
                            rag=a["rag"],
                            text=a["status_label"]
                            + (" (overdue)" if a["overdue"] else "")
                            + (
                                f", {short_day(a['completed_on'])}"
                                if a["completed_on"] and a["status"] == "complete"
                                else ""
                            ),
                        ),
                    ]
                    for a in actions
                ],
                widths=[0.06, 0.44, 0.2, 0.13, 0.17],
            )
        )
    return out
