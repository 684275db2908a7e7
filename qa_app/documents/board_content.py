"""The tables of the single-agency report to the safeguarding board, shared by every renderer.

`board_tables(figures)` turns a frozen snapshot into the tables each section shows (page,
PDF, DOCX), and `activity_tiles` the headline counts; a cell may name the page its number was
computed from as (endpoint, arguments), which only the web page turns into a link. The table's
shape is qa_app.documents.board_table, the indicators table qa_app.documents.board_statistics.
Pure: no database, no Flask."""

from typing import Any

from qa_app.documents.board_form import (
    ICPC_QUESTIONS,
    PARTICIPANTS,
    SECTIONS,
    count_words,
    graded_templates,
    short_day,
)
from qa_app.documents.board_statistics import statistics_table
from qa_app.documents.board_table import BoardTable, Cell
from qa_app.documents.board_text import board_question_findings
from qa_app.findings import present
from qa_app.findings.question_findings import QuestionFinding


def _share(yes: int | None, of: int | None, limit: int) -> str:
    """ "5 of 7 (71%)"; "–" where the question applied to no report (e.g. none was provided)."""
    if of == 0:
        return "–"
    if yes is None:
        return present.HIDDEN
    if of is None:
        return f"{yes:,} of a hidden number"
    pct = present.percent_value(yes, of)
    return f"{yes:,} of {of:,}" + (f" ({pct}%)" if pct is not None else "")


def _period_args(figures: dict[str, Any], **extra: object) -> dict[str, Any]:
    return {"from": figures["period"]["from"], "to": figures["period"]["to"], **extra}


def activity_tiles(figures: dict[str, Any]) -> list[tuple[Cell, str]]:
    """The period's headline counts; a count of nothing is left out (it is not news)."""
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]

    def label(n: int, one: str, many: str) -> str:
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


def _question_table(figures: dict[str, Any], found: list[QuestionFinding]) -> BoardTable:
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


def _reviews_table(reviews: list[dict[str, Any]]) -> BoardTable:
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


def board_tables(figures: dict[str, Any]) -> dict[str, list[BoardTable]]:
    """The tables of each section, from the frozen snapshot."""
    limit = figures["suppression"]["threshold"]
    out: dict[str, list[BoardTable]] = {key: [] for key, _, _ in SECTIONS}
    ind = figures["indicators"]
    if ind["rows"]:
        out["statistics"].append(statistics_table(figures))
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
    weeks: tuple[str, dict[str, Any]] = ("practice_weeks.index", {})
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
