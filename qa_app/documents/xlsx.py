"""A report's tables as an XLSX workbook: one sheet per table, header row frozen and bold, numbers
as numbers so they can be charted, hidden counts as the word "hidden" (never "fewer than N": a
count hidden secondarily may be N or more). Reads only the report's frozen figures and text;
written by the one spreadsheet writer (qa_app.documents.spreadsheet)."""

from collections.abc import Iterable
from typing import Any

from qa_app.charts.findings import scale_cells, scale_headings
from qa_app.documents.spreadsheet import CellValue, Look, Spreadsheet
from qa_app.findings import present
from qa_app.findings.summaries import month_label

HEADER = Look(bold=True, colour="FFFFFF", fill="1D70B8", wrap=True)
MAX_WIDTH = 70
PERCENT = "0%"


class Sheets:
    def __init__(self, threshold: int) -> None:
        self.book = Spreadsheet()
        self.threshold = threshold

    def cell(self, value: CellValue) -> CellValue:
        """None (a hidden count) is written as words; percentages as fractions."""
        if value is None:
            return present.HIDDEN
        return value

    def add(
        self,
        title: str,
        header: list[str],
        rows: list[list[CellValue]],
        percent_columns: Iterable[int] = (),
    ) -> None:
        sheet = self.book.add_sheet(title, header, header_look=HEADER)
        formats = dict.fromkeys(percent_columns, PERCENT)
        for row in rows:
            sheet.append_row([self.cell(v) for v in row], formats=formats)
        sheet.fit_widths(header, rows, MAX_WIDTH)

    def bytes(self) -> bytes:
        return self.book.to_bytes()


def _share(part: int | None, whole: int | None) -> float | None:
    value = present.percent_value(part, whole)
    return None if value is None else value / 100


def _share_cell(part: int | None, whole: int | None) -> float | str:
    """A fraction for a percentage cell, or '–' when it cannot be given (hidden or 0/0)."""
    share = _share(part, whole)
    return "–" if share is None else share


def workbook(
    report_title: str,
    sections: list[dict[str, Any]],
    key_findings: dict[str, Any],
    figures: dict[str, Any],
    threshold: int,
) -> bytes:
    s = Sheets(threshold)
    s.add(
        "Report",
        ["Section", "Text"],
        [[report_title, ""]]
        + [[sec["title"], sec["text"]] for sec in sections]
        + [["Strength", line] for line in key_findings.get("strengths", [])]
        + [["Concern", line] for line in key_findings.get("concerns", [])]
        + [["Area for development", line] for line in key_findings.get("development", [])],
    )
    totals = figures["totals"]
    s.add(
        "Audits by status",
        ["Template", "Not started", "In progress", "Submitted", "Moderated", "Completed"],
        [
            [
                t["name"],
                *[
                    t["by_status"][k]
                    for k in ("not_started", "in_progress", "submitted", "moderated")
                ],
                t["completed"],
            ]
            for t in figures["templates"]
        ]
        + [
            [
                "All templates",
                totals["not_started"],
                totals["in_progress"],
                totals["submitted"],
                totals["moderated"],
                totals["completed"],
            ]
        ],
    )
    grade_rows, question_rows, repeat_rows = [], [], []
    for t in figures["templates"]:
        judgements = [("Overall grade", t["overall"])] + [(x["title"], x) for x in t["sections"]]
        for name, dist in judgements:
            for level in t["scale"]["levels"]:
                n = dist["counts"][level["key"]]
                grade_rows.append(
                    [t["name"], name, level["label"], n, dist["n"], _share_cell(n, dist["n"])]
                )
        for q in t["questions"]:
            question_rows += _question_rows(t["name"], "", q)
        for r in t["repeats"]:
            for block in r["blocks"]:
                for q in block["questions"]:
                    repeat_rows += _question_rows(t["name"], block["label"], q)
    s.add(
        "Grades",
        ["Template", "Judgement", "Grade", "Audits", "Out of", "Share"],
        grade_rows,
        percent_columns=(5,),
    )
    s.add(
        "Answers",
        ["Template", "Block", "Question", "Answer", "Audits", "Out of", "Share"],
        question_rows,
        percent_columns=(6,),
    )
    if repeat_rows:
        s.add(
            "Repeat groups",
            ["Template", "Block", "Question", "Answer", "Blocks", "Out of", "Share"],
            repeat_rows,
            percent_columns=(6,),
        )
    s.add(
        "Themes",
        [
            "Theme",
            "Strength",
            "Area for development",
            "Not seen",
            "Audits",
            "Strength share",
            "Development share",
        ],
        [
            [
                t["name"],
                t["strength"],
                t["development"],
                t["not_seen"],
                t["n"],
                _share_cell(t["strength"], t["n"]),
                _share_cell(t["development"], t["n"]),
            ]
            for t in figures["themes"]
        ],
        percent_columns=(5, 6),
    )
    s.add(
        "Teams",
        [
            "Team",
            "Locality",
            "Completed",
            *[
                h
                for heading, lowest in zip(
                    scale_headings(figures), scale_headings(figures, "Lowest grade"), strict=True
                )
                for h in (heading, "Share", lowest)
            ],
        ],
        [
            [
                r["team"],
                r["locality"],
                r["completed"],
                *[
                    v
                    for c in scale_cells(r)
                    for v in (
                        c["good_or_better"],
                        _share_cell(c["good_or_better"], c["completed"]),
                        c.get("worst"),
                    )
                ],
            ]
            for r in figures["by_team"]
        ],
        percent_columns=tuple(4 + 3 * i for i in range(len(scale_headings(figures)))),
    )
    s.add(
        "Months",
        ["Month", "Completed", *[h for g in scale_headings(figures) for h in (g, "Share")]],
        [
            [
                month_label(r["month"]),
                r["completed"],
                *[
                    v
                    for c in scale_cells(r)
                    for v in (c["good_or_better"], _share_cell(c["good_or_better"], c["completed"]))
                ],
            ]
            for r in figures["by_month"]
        ],
        percent_columns=tuple(3 + 2 * i for i in range(len(scale_headings(figures)))),
    )
    m = figures["moderation"]
    rows = [
        [
            "All auditors",
            m["completed_audits"],
            m["moderated"],
            m["pairs"],
            m["agreed"],
            _share_cell(m["agreed"], m["pairs"]),
            m["changed_up"],
            m["changed_down"],
        ]
    ]
    rows += [
        [
            a["auditor"],
            a["completed_audits"],
            a["moderated"],
            a["pairs"],
            a["agreed"],
            _share_cell(a["agreed"], a["pairs"]),
            a["changed_up"],
            a["changed_down"],
        ]
        for a in m.get("by_auditor", [])
    ]
    s.add(
        "Moderation",
        [
            "Auditor",
            "Completed audits",
            "Moderated",
            "Judgements compared",
            "Agreed",
            "Agreement",
            "Grade raised",
            "Grade lowered",
        ],
        rows,
        percent_columns=(5,),
    )
    s.add(
        "Agreement (kappa)",
        ["Scale", "Judgements", "Weighted kappa", "Agreement"],
        [
            [k["name"], k["n"], "–" if k["kappa"] is None else k["kappa"], k["words"]]
            for k in m["kappa"]
        ],
    )
    s.add(
        "Actions and concerns",
        ["What", "State", "Count"],
        [["Actions for the case", k.replace("_", " "), v] for k, v in figures["actions"].items()]
        + [["Urgent concerns", k.replace("_", " "), v] for k, v in figures["concerns"].items()],
    )
    if figures.get("action_list"):
        s.add(
            "Actions raised",
            ["Case reference", "Template", "Action", "Owner", "Due", "Status"],
            [
                [
                    a["case_reference"],
                    a["template"],
                    a["description"],
                    a["owner"],
                    a["due_date"] or "",
                    a["status"],
                ]
                for a in figures["action_list"]
            ],
        )
    return s.bytes()


def _question_rows(template: str, block: str, q: dict[str, Any]) -> list[list[CellValue]]:
    if q["type"] == "number":
        summary = (
            f"median {present.number(q['median'])}, range {present.number(q['min'])}"
            f" to {present.number(q['max'])} {q.get('unit') or ''}"
        ).strip()
        return [[template, block, q["text"], summary, q["n"], q["n"], "–"]]
    return [
        [
            template,
            block,
            q["text"],
            label,
            q["counts"][key],
            q["n"],
            _share_cell(q["counts"][key], q["n"]),
        ]
        for key, label in q["labels"].items()
    ]
