"""The tables of the single-agency report to the safeguarding board, shared by every renderer.

`board_tables(figures)` turns a frozen snapshot into the tables each section shows (page,
PDF, DOCX), and `activity_tiles` the headline counts; a cell may name the page its number was
computed from as (endpoint, arguments), which only the web page turns into a link. Pure: no
database, no Flask."""

from dataclasses import dataclass, field
from datetime import date

from qa_app.findings import present
from qa_app.reports.board_form import (
    ICPC_QUESTIONS,
    PARTICIPANTS,
    SECTIONS,
    count_words,
    graded_templates,
    month_words,
    short_day,
)


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
    ("statistical_neighbours", "Stat. neighbours"),
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
    if yes is None:
        return present.HIDDEN
    if of is None:
        return f"{yes:,} of a hidden number"
    pct = present.percent_value(yes, of)
    return f"{yes:,} of {of:,}" + (f" ({pct}%)" if pct is not None else "")


def _period_args(figures: dict, **extra) -> dict:
    return {"from": figures["period"]["from"], "to": figures["period"]["to"], **extra}


def activity_tiles(figures: dict) -> list[tuple[Cell, str]]:
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]
    return [
        (
            Cell(
                count_words(act["audits_completed"], limit),
                ("dashboards.overview", _period_args(figures)),
            ),
            "case audits completed",
        ),
        (Cell(f"{act['practice_weeks']:,}", ("practice_weeks.index", {})), "practice weeks held"),
        (
            Cell(f"{act['actions_completed']:,}", ("improvement.actions", {})),
            "improvement actions completed",
        ),
    ]


def board_tables(figures: dict) -> dict[str, list[BoardTable]]:
    """The tables of each section, from the frozen snapshot."""
    limit = figures["suppression"]["threshold"]
    out: dict[str, list[BoardTable]] = {key: [] for key, _, _ in SECTIONS}
    ind = figures["indicators"]
    if ind["rows"]:
        month = month_words(ind["month"])
        scorecard = ("indicators.scorecard", {})
        rows = []
        for r in ind["rows"]:
            comps = []
            for group, _ in GROUP_HEADINGS:
                c = r["comparators"].get(group)
                comps.append(
                    Cell(
                        indicator_value(c["value"], r["unit"], limit)
                        + (f" ({c['year']})" if c and c.get("year") else "")
                    )
                    if c
                    else Cell("–")
                )
            unit = {"rate_per_10000": " (rate per 10,000)", "percentage": " (%)"}.get(r["unit"], "")
            rows.append(
                [
                    Cell(r["name"] + unit, scorecard),
                    Cell(indicator_value(r["value"], r["unit"], limit, r["hidden"]), scorecard),
                    Cell(indicator_value(r["target"], r["unit"], limit)),
                    Cell(RAG_WORDS[r["rag"]], rag=r["rag"]),
                    Cell(_change(r["change_on_year"])),
                    *comps,
                ]
            )
        out["statistics"].append(
            BoardTable(
                caption=f"Performance indicators, {month}",
                header=[
                    "Indicator",
                    f"{date.fromisoformat(ind['month']):%b %Y}",
                    "Target",
                    "RAG",
                    "Change on a year",
                    *[h for _, h in GROUP_HEADINGS],
                ],
                rows=rows,
                numeric={1, 2, 4, 5, 6, 7},
                widths=[0.21, 0.09, 0.1, 0.12, 0.1, 0.14, 0.1, 0.14],
            )
        )
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
