"""The audit-cycle report as a PDF in the house style: cover, contents, the edited narrative
with the charts and tables it talks about, key findings, moderation, actions, and (internal
reports only) the list of actions raised for children's cases.

Reads only a report's frozen figures and text, so a published report renders the same for
ever. An internal report holds case references and is marked OFFICIAL-SENSITIVE; a report for
publication holds aggregates only (its figures are the board-tier copy) and is marked
OFFICIAL."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from qa_app.charts import findings as charts
from qa_app.charts.drawing import drawing
from qa_app.documents.builder import BuilderClass, ReportBuilder
from qa_app.documents.narrative import period_text, template_section_key
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.findings import present
from qa_app.findings.audiences import audience_label
from qa_app.findings.summaries import month_label
from qa_app.rules.uk_time import uk_datetime

MARK_NAMES = {"strength": "Strength", "development": "Area for development", "not_seen": "Not seen"}


def _paragraphs(doc: ReportBuilder, text: str) -> None:
    for para in (text or "").split("\n"):
        if para.strip():
            doc.paragraph(para.strip())


def _counter() -> Callable[[str], int]:
    n = {"table": 0, "figure": 0}

    def next_(kind: str) -> int:
        n[kind] += 1
        return n[kind]

    return next_


def cycle_report_pdf(
    *,
    title: str,
    sections: list[dict[str, Any]],
    key_findings: dict[str, Any],
    figures: dict[str, Any],
    threshold: int,
    internal: bool,
    status: str,
    organisation: str,
    document: BuilderClass = ReportDocument,
) -> bytes:
    """The report's bytes: a PDF, or as Word with document=docx_base.DocxDocument (the same
    builder API), so the two hold the same text."""

    def count(n: int | None) -> str:
        return present.count(n, threshold)

    number = _counter()
    totals = figures["totals"]
    generated = datetime.fromisoformat(figures["generated_at"])
    doc = document(
        title=title,
        subtitle="Findings from "
        + present.count_text(totals["completed"], "completed case audits", "completed case audit"),
        organisation=organisation,
        marking=Marking.OFFICIAL_SENSITIVE if internal else Marking.OFFICIAL,
        status_line=status,
        meta=[
            ("Period", period_text(figures)),
            (
                "Audience",
                audience_label(
                    figures.get("audience") or ("internal" if internal else "partnership")
                ),
            ),
            ("Figures as at", uk_datetime(generated)),
            (
                "Small numbers",
                present.suppression_meta(threshold) if threshold > 1 else "Shown in full",
            ),
        ],
    )
    by_key = {s["key"]: s for s in sections}
    scales = charts.good_or_better_by_scale(figures)  # never one figure over two scales
    mod = figures["moderation"]
    kappas = [k for k in mod["kappa"] if k["kappa"] is not None]

    # Summary and key figures
    doc.heading("Summary", 1)
    tiles = [
        (count(totals["completed"]), "audits completed"),
        *[
            (
                present.percent(s["good_or_better"], s["graded"]),
                "judged good or better" + (f" ({s['name']})" if len(scales) > 1 else ""),
            )
            for s in scales
        ],
        (present.percent(mod["agreed"], mod["pairs"]), "moderation agreement"),
    ]
    if kappas:
        tiles.append((present.kappa(kappas[0]["kappa"]), f"weighted kappa ({kappas[0]['name']})"))
    doc.key_figures(tiles)
    if "summary" in by_key:
        _paragraphs(doc, by_key["summary"]["text"])
    doc.heading("Key findings", 2)
    doc.heading("Strengths", 3)
    doc.bullets(key_findings.get("strengths") or ["None recorded."])
    if "concerns" in key_findings:  # reports drafted before concerns were listed have none
        doc.heading("Concerns", 3)
        doc.bullets(key_findings["concerns"] or ["None recorded."])
    doc.heading("Areas for development", 3)
    doc.bullets(key_findings.get("development") or ["None recorded."])
    if len(figures["by_month"]) > 1:
        doc.chart(
            drawing(
                charts.good_or_better_by_month(
                    figures["by_month"], "Good or better by month", figures.get("by_scale")
                ),
                doc.width,
                170,
            ),
            caption=f"Figure {number('figure')}: audits judged good or better, by month completed",
        )
        headings = charts.scale_headings(figures)
        doc.table(
            ["Month", "Completed", *[h for heading in headings for h in (heading, "Share")]],
            [
                [
                    month_label(m["month"]),
                    count(m["completed"]),
                    *_scale_cells(m),
                ]
                for m in figures["by_month"]
            ],
            numeric_columns=set(range(1, 2 + 2 * len(headings))),
            caption=f"Table {number('table')}: audits completed by month",
        )

    # One section per template
    for t in figures["templates"]:
        if t["completed"] == 0:
            continue
        doc.page_break()
        doc.heading(t["name"], 1)
        section = by_key.get(template_section_key(t, figures))
        if section:
            _paragraphs(doc, section["text"])
        levels = t["scale"]["levels"]
        doc.chart(
            drawing(
                charts.grade_chart("Overall grade", t["overall"], levels, threshold),
                doc.width,
                None,
            ),
            caption=f"Figure {number('figure')}: {t['name']}, overall grade",
        )
        judgements = [("Overall grade", t["overall"])] + [(x["title"], x) for x in t["sections"]]
        doc.table(
            ["Judgement", *[lvl["label"] for lvl in levels], "Good or better"],
            [
                [
                    name,
                    *[count(d["counts"][lvl["key"]]) for lvl in levels],
                    present.percent(d["good_or_better"], d["n"]),
                ]
                for name, d in judgements
            ],
            col_widths=[0.3] + [0.7 / (len(levels) + 1)] * (len(levels) + 1),
            numeric_columns=set(range(1, len(levels) + 2)),
            caption=f"Table {number('table')}: {t['name']}, grades by judgement",
        )
        answer_rows = []
        for q in t["questions"]:
            if q["type"] == "number":
                answer_rows.append(
                    [
                        q["text"],
                        f"median {present.number(q['median'])}, range "
                        f"{present.number(q['min'])} to {present.number(q['max'])} "
                        f"{q.get('unit') or ''}".strip(),
                        count(q["n"]),
                    ]
                )
            elif q["type"] == "yes_partly_no":
                parts = [f"{q['labels'][k]} {count(v)}" for k, v in q["counts"].items() if v != 0]
                answer_rows.append([q["text"], ", ".join(parts) or "–", count(q["n"])])
        if answer_rows:
            doc.table(
                ["Question", "Answers", "Audits"],
                answer_rows,
                col_widths=[doc.width * 0.55, doc.width * 0.33, doc.width * 0.12],
                numeric_columns={2},
                caption=f"Table {number('table')}: {t['name']}, answers",
            )
        for repeat in t["repeats"]:
            if not repeat["blocks"]:
                continue
            questions = [
                q for q in repeat["blocks"][0]["questions"] if q["type"] == "yes_partly_no"
            ]
            doc.table(
                [repeat["repeat_label"], "Blocks", *[q["text"] for q in questions[:4]]],
                [
                    [
                        b["label"],
                        count(b["n"]),
                        *[
                            f"{count(q['counts'].get('yes'))} yes"
                            for q in [x for x in b["questions"] if x["type"] == "yes_partly_no"][:4]
                        ],
                    ]
                    for b in repeat["blocks"]
                ],
                numeric_columns={1},
                caption=f"Table {number('table')}: {repeat['text']}, by "
                f"{repeat['repeat_label'].lower()}",
            )

    # Themes
    doc.page_break()
    doc.heading("Themes", 1)
    if "themes" in by_key:
        _paragraphs(doc, by_key["themes"]["text"])
    if figures["themes"]:
        doc.chart(
            drawing(charts.themes_chart(figures["themes"], "Themes"), doc.width, None),
            caption=f"Figure {number('figure')}: how often each theme was a strength, an area "
            "for development or not seen",
        )
        doc.table(
            ["Theme", "Strength", "Area for development", "Not seen", "Audits"],
            [
                [
                    r["name"],
                    count(r["strength"]),
                    count(r["development"]),
                    count(r["not_seen"]),
                    count(r["n"]),
                ]
                for r in figures["themes"]
            ],
            numeric_columns={1, 2, 3, 4},
            caption=f"Table {number('table')}: themes",
        )
    if figures.get("previous") and figures["previous"].get("themes"):
        moved = charts.moved_themes(figures["themes"], figures["previous"]["themes"])
        if moved:
            doc.heading("Themes that moved since the previous period", 2)
            doc.table(
                ["Theme", "Marked as", "Previous period", "This period"],
                [[m["name"], m["mark_name"], f"{m['then']}%", f"{m['now']}%"] for m in moved],
                numeric_columns={2, 3},
                caption=f"Table {number('table')}: theme shares that changed by 10 points or more",
            )

    # Teams
    if figures["by_team"]:
        doc.heading("Teams", 2)
        headings = charts.scale_headings(figures)
        doc.table(
            [
                "Team",
                "Locality",
                "Completed",
                *[h for heading in headings for h in (heading, "Share")],
            ],
            [
                [r["team"], r["locality"], count(r["completed"]), *_scale_cells(r)]
                for r in figures["by_team"]
            ],
            numeric_columns=set(range(2, 3 + 2 * len(headings))),
            caption=f"Table {number('table')}: audits by the case's team",
        )

    # Moderation
    doc.heading("Moderation", 1)
    if "moderation" in by_key:
        _paragraphs(doc, by_key["moderation"]["text"])
    rows = [
        ["Audits moderated", f"{count(mod['moderated'])} of {count(mod['completed_audits'])}"],
        ["Judgements compared", count(mod["pairs"])],
        [
            "Judgements agreed",
            f"{count(mod['agreed'])} ({present.percent(mod['agreed'], mod['pairs'])})",
        ],
        ["Overall grade raised by the moderator", count(mod["changed_up"])],
        ["Overall grade lowered by the moderator", count(mod["changed_down"])],
    ]
    rows += [
        [f"Weighted kappa, {k['name']}", f"{present.kappa(k['kappa'])} ({k['words']})"]
        for k in mod["kappa"]
    ]
    doc.table(
        ["Measure", "Figure"],
        rows,
        numeric_columns={1},
        caption=f"Table {number('table')}: agreement between auditors and moderators",
    )
    if internal and mod.get("by_auditor"):
        doc.table(
            ["Auditor", "Moderated", "Agreed", "Raised", "Lowered"],
            [
                [
                    a["auditor"],
                    count(a["moderated"]),
                    f"{count(a['agreed'])} of {count(a['pairs'])}",
                    count(a["changed_up"]),
                    count(a["changed_down"]),
                ]
                for a in mod["by_auditor"]
            ],
            numeric_columns={1, 2, 3, 4},
            caption=f"Table {number('table')}: moderation by auditor",
        )
    doc.note(
        "Weighted kappa compares auditors' and moderators' grades allowing for agreement by "
        "chance, with a near miss on the scale counted as partial agreement (linear "
        "weights). Above 0.6 is usually read as substantial agreement."
    )

    # Actions
    doc.heading("Actions and escalations", 1)
    if "actions" in by_key:
        _paragraphs(doc, by_key["actions"]["text"])
    doc.table(
        ["", "Open", "Overdue", "Completed"],
        [
            [
                "Actions for children's cases",
                count(figures["actions"]["open"]),
                count(figures["actions"]["overdue"]),
                count(figures["actions"]["completed"]),
            ]
        ],
        numeric_columns={1, 2, 3},
        caption=f"Table {number('table')}: actions raised in the audits",
    )
    if internal and figures.get("action_list"):
        doc.heading("Actions raised for children's cases", 2)
        raised = sum(v or 0 for v in figures["actions"].values())
        if raised > len(figures["action_list"]):
            doc.note(
                f"The {len(figures['action_list']):,} most recent of {raised:,} actions are "
                "listed; each cycle's audit export (XLSX) has every one."
            )
        doc.table(
            ["Case", "Action", "Owner", "Due", "Status"],
            [
                [
                    a["case_reference"],
                    a["description"],
                    a["owner"],
                    a["due_date"] or "–",
                    a["status"],
                ]
                for a in figures["action_list"]
            ],
            col_widths=[doc.width * f for f in (0.13, 0.45, 0.18, 0.12, 0.12)],
            caption=f"Table {number('table')}: actions raised (case-level, OFFICIAL-SENSITIVE)",
        )
    if not internal:
        doc.note(
            present.suppression_note(threshold) + " No child can be identified from these figures."
        )
    return doc.build()


def _scale_cells(row: dict[str, Any]) -> list[str]:
    """A breakdown row's good or better and share, per scale (charts.scale_headings)."""
    return [
        value
        for c in charts.scale_cells(row)
        for value in (
            present.count(c["good_or_better"]),
            present.percent(c["good_or_better"], c["completed"]),
        )
    ]
