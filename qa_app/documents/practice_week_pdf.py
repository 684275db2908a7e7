"""The practice-week report as a PDF (and, through the same builder, as Word: see
practice_week_docx): on the first page a one-page summary in the shape of a practice week's
findings slide (headline findings per area, numbered quick wins, audit themes, the
improvement-plan actions that answer them); then purpose and scope, activities done, headline
findings by focus area, the quick wins, the audit themes with their figures (and the comparison
with the previous week), what families and staff said (internal tier only) and the actions.

Reads a `ReportView` (qa_app.services.practice_week_report.report_view) for one audience: the
internal tier is marked OFFICIAL-SENSITIVE, the partnership and public tiers OFFICIAL. Every
count in a sentence comes from the same tier figures as the tables. No Flask here."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Protocol
from xml.sax.saxutils import escape

from qa_app.charts import findings as charts
from qa_app.charts.drawing import drawing
from qa_app.documents.builder import ReportBuilder
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.findings import present
from qa_app.findings.audiences import LABELS, Audience
from qa_app.models import PracticeWeek
from qa_app.models.improvement import ACTION_STATUS_LABELS
from qa_app.rules.uk_time import to_uk, uk_datetime


class WeekReport(Protocol):
    """What the report reads of a practice week's ReportView (one audience's tier)."""

    @property
    def week(self) -> PracticeWeek: ...
    @property
    def audience(self) -> Audience: ...
    @property
    def title(self) -> str: ...
    @property
    def figures(self) -> dict[str, Any]: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def areas(self) -> list[dict[str, Any]]: ...
    @property
    def key_findings(self) -> list[str]: ...
    @property
    def theme_lines(self) -> list[str]: ...
    @property
    def heard(self) -> list[dict[str, Any]]: ...
    @property
    def quick_wins(self) -> list[dict[str, Any]]: ...
    @property
    def actions(self) -> list[dict[str, Any]]: ...
    @property
    def published(self) -> bool: ...
    @property
    def published_to(self) -> Audience | None: ...
    @property
    def threshold(self) -> int: ...
    @property
    def suppresses(self) -> bool: ...
    @property
    def case_level(self) -> bool: ...
    @property
    def marking(self) -> str: ...
    @property
    def kinds(self) -> list[tuple[str, str, dict[str, Any]]]: ...
    @property
    def week_sentence(self) -> str: ...


def _day(value: date | datetime | str | None) -> str:
    if value is None:
        return "no date"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def week_dates(figures: dict[str, Any]) -> str:
    week = figures["week"]
    return f"{_day(week['starts_on'])} to {_day(week['ends_on'])}"


def status_text(view: WeekReport, beside_tag: bool = False) -> str:
    """The report's status; `beside_tag` for a page whose Published or Draft tag already says
    which ("Published: 7 December 2026, to the partnership audience", never "Draft Draft")."""
    week = view.week
    if view.published and week.published_at:
        to = view.published_to.value if view.published_to else "partnership"
        when = _day(to_uk(week.published_at).date())
        if beside_tag:
            return f"{when}, to the {to} audience"
        return f"Findings published {when}, to the {to} audience"
    if beside_tag:
        return "From the data as it is now: not for circulation"
    return "Draft findings from the data as it is now: not for circulation"


def figures_as_at(figures: dict[str, Any]) -> str:
    return uk_datetime(figures["generated_at"])


def small_numbers_text(view: WeekReport) -> str:
    if view.suppresses:
        return present.suppression_meta(view.threshold)
    return "Shown in full"


def _n(value: int | None) -> str:
    return "hidden" if value is None else f"{value:,}"


def quick_win_text(q: dict[str, Any]) -> str:
    text = f"{_sentence(q['description'])} Owner: {q['owner']}. Due: {_day(q['due_date'])}."
    if q["action"]:
        text += (
            f" Added to the improvement plan as action {q['action']['number']} "
            f"({q['action']['plan']})."
        )
    return text


def _summary(doc: ReportBuilder, view: WeekReport) -> None:
    """The one-page summary (on the first page)."""
    s = view.summary
    doc.heading("Summary: headline findings", 1)
    doc.paragraph(s["opening"])
    doc.bullets(
        [
            f"<b>{escape(a['title'])}:</b> " + escape(" ".join(_sentence(x) for x in a["lines"]))
            for a in s["areas"]
        ]
        or ["No focus areas."],
        markup=True,
    )
    doc.heading("Quick wins", 2)
    if s["quick_wins"]:
        doc.numbered(s["quick_wins"])
    else:
        doc.paragraph("No quick wins recorded.")
    doc.heading("Audit themes: key findings", 2)
    doc.bullets(s["themes"] or ["No key findings recorded."])
    doc.heading("Actions in the improvement plan to address the learning", 2)
    doc.bullets(s["actions"] or ["No actions have been added to the improvement plan yet."])


def _sentence(line: str) -> str:
    line = line.strip()
    return line if line.endswith((".", "!", "?")) else line + "."


def build(doc: ReportBuilder, view: WeekReport) -> bytes:
    """Write the report into `doc` (a ReportDocument or a DocxDocument) and return its bytes."""
    figures = view.figures

    def count(n: int | None) -> str:
        return present.count(n, view.threshold)

    tables = iter(range(1, 100))
    with doc.first_page():
        _summary(doc, view)

    doc.heading("Purpose and scope", 1)
    for para in view.week.purpose.splitlines():
        if para.strip():
            doc.paragraph(para.strip())
    doc.paragraph(f"The practice week ran from {week_dates(figures)}. {view.week_sentence}")
    if figures["focus_areas"]:
        doc.heading("Focus areas", 2)
        doc.numbered([a["title"] for a in figures["focus_areas"]])

    doc.heading("Activities done", 1)
    doc.key_figures(
        [
            (count(figures["activities_done"]), "activities done"),
            (count(figures["audits_completed"]), "audits completed in the week's cycle"),
        ]
    )
    doc.table(
        ["Activity", "Done", "Planned", "Cancelled"],
        [
            [label, count(c["done"]), count(c["planned"]), count(c["cancelled"])]
            for _, label, c in view.kinds
        ],
        numeric_columns={1, 2, 3},
        caption=f"Table {next(tables)}: activities by kind",
    )
    doc.table(
        ["Focus area", "Activities done"],
        [[a["title"], count(a["activities_done"])] for a in figures["focus_areas"]]
        + [["No particular area", count(figures.get("no_area_done", 0))]],
        numeric_columns={1},
        caption=f"Table {next(tables)}: activities done by focus area",
    )

    doc.heading("Headline findings", 1)
    for area in view.areas:
        doc.heading(f"{area['number']}. {area['title']}", 2)
        doc.paragraph(area["figures_line"])
        doc.bullets(area["lines"] or ["No headline findings recorded."])
        if view.case_level and area["better"]:
            doc.note("What observers said could be better (internal only):")
            doc.bullets(area["better"])

    doc.heading("Quick wins", 1)
    if view.quick_wins:
        doc.numbered([quick_win_text(q) for q in view.quick_wins])
    else:
        doc.paragraph("No quick wins recorded.")

    doc.heading("Audit themes", 1)
    if view.key_findings:
        doc.heading("Key findings", 2)
        doc.bullets(view.key_findings)
    themes = figures["themes"]
    if themes:
        doc.heading("What the figures show", 2)
        doc.bullets(view.theme_lines or ["No theme was marked often enough to state a share."])
        if any(None not in (r["strength"], r["development"], r["not_seen"]) for r in themes):
            doc.chart(  # not where every theme's counts are hidden: the chart would be empty
                drawing(charts.themes_chart(themes, "Themes"), doc.width, None),
                caption="How often each theme was a strength, an area for development or not seen",
            )
        doc.table(
            ["Theme", "Strengths", "Areas for development", "Not seen", "n", "% strength"],
            [
                [
                    r["name"],
                    count(r["strength"]),
                    count(r["development"]),
                    count(r["not_seen"]),
                    count(r["n"]),
                    present.percent(r["strength"], r["n"]),
                ]
                for r in themes
            ],
            numeric_columns={1, 2, 3, 4, 5},
            caption=f"Table {next(tables)}: audit themes (completed audits and observations)",
        )
        doc.note(
            "Each completed audit, observed meeting and shadowing visit marks a theme as a "
            "strength, an area for development or not seen; n counts the marks."
        )
    else:
        doc.paragraph("No themes were marked in the week's audits or observations.")
    _comparison(doc, figures.get("comparison"), tables)

    if view.case_level:
        doc.heading("What families and staff told us", 1)
        doc.note("Internal only: shared with their consent, never beyond the service.")
        if view.heard:
            doc.bullets([f"{h['who']}: {h['text']}" for h in view.heard])
        else:
            doc.paragraph("No conversation was recorded with consent to keep what was said.")

    doc.heading("Actions added to the improvement plan", 1)
    if view.actions:
        doc.table(
            ["Action", "Description", "Owner", "Due", "Status"],
            [
                [
                    f"{a['number']} ({a['plan']})",
                    a["description"],
                    a["owner"],
                    _day(a["due_date"]),
                    ACTION_STATUS_LABELS.get(a["status"], a["status"]),
                ]
                for a in view.actions
            ],
            col_widths=[0.18, 0.4, 0.16, 0.14, 0.12],
            caption=f"Table {next(tables)}: improvement-plan actions from this practice week",
        )
    else:
        doc.paragraph("No actions have been added to the improvement plan from this week yet.")
    if view.suppresses:
        doc.note(present.suppression_note(view.threshold))
    return doc.build()


def _comparison(doc: ReportBuilder, comp: dict[str, Any] | None, tables: Iterator[int]) -> None:
    doc.heading("Compared with the previous practice week", 2)
    if not comp:
        doc.paragraph("There is no earlier practice week to compare with.")
        return
    source = "its published findings" if comp["source"] == "published" else "its live data"
    doc.paragraph(f"Compared with {comp['week']} ({source}).")
    moved = [t for t in comp["themes"] if t["direction"] in ("up", "down")]
    if moved:
        doc.table(
            ["Theme", "Previous week", "This week", "Moved"],
            [
                [
                    t["name"],
                    f"{t['then']}% (n={_n(t['then_n'])})",
                    f"{t['now']}% (n={_n(t['now_n'])})",
                    f"{'up' if t['direction'] == 'up' else 'down'} {abs(t['change'])} points",
                ]
                for t in moved
            ],
            numeric_columns={1, 2},
            caption=f"Table {next(tables)}: themes whose strength share moved by 10 points or more",
        )
    else:
        doc.paragraph("No theme's strength share moved by 10 points or more.")
    few = [t["name"] for t in comp["themes"] if t["direction"] == "too_few"]
    if few:
        doc.note(
            f"Too few marks to tell or to publish (under {comp['threshold']} in either week): "
            + ", ".join(few)
            + "."
        )


def document_args(
    view: WeekReport, *, organisation: str, status: str | None = None
) -> dict[str, Any]:
    """The title block (cover) of the report, for either format."""
    return {
        "title": view.title,
        "subtitle": "Headline findings, quick wins, audit themes and actions",
        "organisation": organisation,
        "marking": Marking(view.marking),
        "status_line": status or status_text(view),
        "meta": [
            ("Dates", week_dates(view.figures)),
            ("Audience", LABELS[view.audience]),
            ("Figures as at", figures_as_at(view.figures)),
            ("Small numbers", small_numbers_text(view)),
        ],
    }


def practice_week_pdf(view: WeekReport, *, organisation: str, status: str | None = None) -> bytes:
    return build(
        ReportDocument(**document_args(view, organisation=organisation, status=status)), view
    )
