"""The practice-week report as a PDF in the house style of the cycle report: purpose and scope,
activities done, headline findings by focus area, the numbered quick wins, the audit themes
with their figures (and the comparison with the previous week), and the actions added to the
improvement plan.

Aggregate only, so it is marked OFFICIAL. Reads a `ReportView` (qa_app.data.
practice_week_report.report_view): the frozen figures once the findings are published, with
small numbers hidden for the publication tier. No Flask here."""

from datetime import date, datetime

from qa_app.charts.drawing import drawing
from qa_app.dashboards import charts
from qa_app.findings import present
from qa_app.models.improvement import ACTION_STATUS_LABELS
from qa_app.reports.pdf.document import Marking, ReportDocument


def _day(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def week_dates(figures: dict) -> str:
    week = figures["week"]
    return f"{_day(week['starts_on'])} to {_day(week['ends_on'])}"


def status_text(view) -> str:
    week = view.week
    if view.published and week.published_at:
        return f"Findings published {_day(week.published_at.date())}"
    return "Draft findings from the data as it is now: not for circulation"


def practice_week_pdf(view, *, organisation: str, status: str | None = None) -> bytes:
    figures, threshold = view.figures, view.threshold
    count = lambda n: present.count(n, threshold)  # noqa: E731
    generated = datetime.fromisoformat(figures["generated_at"])
    week = view.week
    doc = ReportDocument(
        title=f"Practice week: {week.name}",
        subtitle="Headline findings, quick wins, audit themes and actions",
        organisation=organisation,
        marking=Marking.OFFICIAL,
        status_line=status or status_text(view),
        meta=[
            ("Dates", week_dates(figures)),
            ("Audience", "Publication: aggregates only" if view.publication else "The service"),
            ("Figures as at", f"{generated.day} {generated:%B %Y %H:%M} UTC"),
            (
                "Small numbers",
                present.suppression_meta(threshold) if view.publication else "Shown in full",
            ),
        ],
    )
    tables = iter(range(1, 100))

    # Purpose and scope
    doc.heading("Purpose and scope", 1)
    if week.purpose.strip():
        for para in week.purpose.splitlines():
            if para.strip():
                doc.paragraph(para.strip())
    managers = present.count_text(figures["managers"], "senior managers", "senior manager")
    doc.paragraph(
        f"The practice week ran from {week_dates(figures)}. {managers.capitalize()} "
        f"took part, observing meetings, shadowing practitioners, auditing children's "
        f"records with the worker and hearing from families and staff."
    )
    if figures["focus_areas"]:
        doc.heading("Focus areas", 2)
        doc.numbered([a["title"] for a in figures["focus_areas"]])

    # Activities done
    doc.heading("Activities done", 1)
    doc.key_figures(
        [
            (count(figures["activities_done"]), "activities done"),
            (count(figures["audits_completed"]), "records audited (audits completed)"),
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

    # Headline findings by area
    doc.heading("Headline findings", 1)
    for area in view.areas:
        doc.heading(f"{area['number']}. {area['title']}", 2)
        doc.bullets(area["lines"] or ["No headline findings recorded."])

    # Quick wins
    doc.heading("Quick wins", 1)
    if view.quick_wins:
        items = []
        for q in view.quick_wins:
            text = f"{q['description']} Owner: {q['owner']}. Due: {_day(q['due_date'])}."
            if q["action"]:
                text += (
                    f" Added to the improvement plan as action {q['action']['number']} "
                    f"({q['action']['plan']})."
                )
            items.append(text)
        doc.numbered(items)
    else:
        doc.paragraph("No quick wins recorded.")

    # Audit themes
    doc.heading("Audit themes", 1)
    if view.key_findings:
        doc.heading("Key findings", 2)
        doc.bullets(view.key_findings)
    themes = figures["themes"]
    if themes:
        doc.chart(
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
    comp = figures.get("comparison")
    doc.heading("Compared with the previous practice week", 2)
    if not comp:
        doc.paragraph("There is no earlier practice week to compare with.")
    else:
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
                caption=f"Table {next(tables)}: themes whose strength share moved by 10 points "
                "or more",
            )
        else:
            doc.paragraph("No theme's strength share moved by 10 points or more.")
        few = [t["name"] for t in comp["themes"] if t["direction"] == "too_few"]
        if few:
            doc.note(
                f"Too few marks to tell (under {comp['threshold']} in either week): "
                + ", ".join(few)
                + "."
            )

    # Actions added to the improvement plan
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
    if view.publication:
        doc.note(present.suppression_note(threshold))
    return doc.build()


def _n(value) -> str:
    return "hidden" if value is None else str(value)
