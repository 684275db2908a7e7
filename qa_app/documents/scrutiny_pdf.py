"""The scrutiny committee's performance pack as a PDF (and, through the same builder, as Word:
see scrutiny_docx). A cover (title, "Performance to the end of September 2021", the council,
the status line, marked OFFICIAL: the partnership tier holds aggregates only); then per area
its figures (this month with RAG in words and colour, the year to date and rolling twelve
months beside last year, comparators), each indicator's 18-month trend as a chart with its
data, its breakdowns, the area's tables by role or service, the definitions and "good looks
like" lines, and the manager's commentary; then demand beside the audit findings, the practice
week's headline findings and quick wins, the audit themes and the improvement-plan actions.

Reads only the frozen figures and the report's sections (qa_app.documents.scrutiny_parts has
the words and tables). No Flask here."""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from qa_app.charts.drawing import line_chart
from qa_app.charts.indicator_trend import trend_chart
from qa_app.documents import scrutiny_closing as closing
from qa_app.documents import scrutiny_parts as parts
from qa_app.documents.builder import BuilderClass, ReportBuilder, StyledTable
from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.documents.pdf.styles import FONT_BOLD, colour, style

CHART_HEIGHT = 190.0
CELL_SIZE = style("cell").fontSize


def document_args(
    figures: dict[str, Any], *, title: str, status: str, organisation: str
) -> dict[str, Any]:
    return {
        "title": title,
        "subtitle": parts.subtitle(figures),
        "organisation": organisation,
        "marking": Marking.OFFICIAL,
        "status_line": status,
        "meta": parts.meta(figures),
        "short_title": f"{title}: {parts.subtitle(figures).lower()}",
    }


def scrutiny_pdf(
    figures: dict[str, Any],
    sections: list[dict[str, Any]],
    *,
    title: str,
    status: str,
    organisation: str,
    document: BuilderClass = ReportDocument,
) -> bytes:
    """The pack as PDF bytes (or, with document=DocxDocument, as Word)."""
    doc = document(**document_args(figures, title=title, status=status, organisation=organisation))
    build(doc, figures, sections)
    return doc.build()


def build(doc: ReportBuilder, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    areas = parts.areas(figures)
    if not areas:
        doc.heading("Performance indicators", 1)
        doc.paragraph(parts.NO_AREAS)
    for area in areas:
        _area(doc, figures, area, sections)
        doc.page_break()
    _demand(doc, figures, sections)
    _practice_week(doc, figures, sections)
    _audit_themes(doc, figures, sections)
    _actions(doc, figures, sections)


def _commentary(doc: ReportBuilder, sections: list[dict[str, Any]], key: str, title: str) -> None:
    lines = parts.section_bullets(sections, key)
    if lines:
        doc.heading(title, 2)
        doc.bullets(lines)


def _rag_cells(table: StyledTable, rags: list[object], column: int) -> None:
    """Tint each body row's RAG cell (the word is in the cell too)."""
    commands = []
    for row, rag in enumerate(rags, start=1):
        look = parts.rag_look(rag)
        if look:
            commands.append(("BACKGROUND", (column, row), (column, row), colour(look[1])))
    if commands:
        table.setStyle(commands)


def _area(
    doc: ReportBuilder,
    figures: dict[str, Any],
    area: dict[str, Any],
    sections: list[dict[str, Any]],
) -> None:
    title = str(area.get("title") or area.get("key") or "")
    doc.heading(title, 1)
    indicators = parts.indicators(area)
    if not indicators:
        doc.paragraph("No indicator in this area has figures for the month.")
    else:
        header, rows = parts.figures_table(figures, area)
        table = doc.table(
            header,
            rows,
            numeric_columns={1, 3, 4, 5},
            caption=f"{title}: the figures for {parts.month_words(figures.get('month'))}",
        )
        _rag_cells(table, [i.get("rag") for i in indicators], 2)
        periods = parts.periods_table(area)
        if periods:
            doc.table(
                parts.PERIOD_HEADER,
                periods,
                numeric_columns={2, 3, 4},
                caption=f"{title}: the year to date and the last twelve months, and a year before",
            )
        comparators = parts.comparator_lines(area)
        if comparators:
            doc.paragraph("Comparators", markup=False)
            doc.bullets(comparators)
    for table_ in parts.area_tables(area):
        _area_table(doc, title, table_)
    covered = parts.table_dimensions(area)
    for indicator in indicators:
        _indicator(doc, figures, indicator, covered)
    definitions = parts.definition_lines(area)
    if definitions:
        doc.heading("Definitions", 2)
        for name, definition, good in definitions:
            doc.heading(name, 3)
            if definition:
                doc.paragraph(f"<b>Definition:</b> {escape(definition)}", markup=True)
            if good:
                doc.paragraph(f"<b>Good looks like:</b> {escape(good)}", markup=True)
    _commentary(doc, sections, f"area:{area.get('key')}", "Commentary")


def _area_table(doc: ReportBuilder, title: str, table: dict[str, Any]) -> None:
    rows = [[escape(c) for c in r] for r in table["rows"]]
    if table["total"]:
        rows.append([f"<b>{escape(c)}</b>" for c in table["total"]])
    columns = len(table["header"])
    doc.table(
        [escape(h) for h in table["header"]],
        rows,
        col_widths=_area_widths(table, doc.width),
        numeric_columns=set(range(1, columns)),
        caption=f"{title} by {table['title'].lower() or 'category'}",
        markup=True,
    )


def _area_widths(table: dict[str, Any], width: float) -> list[float]:
    """The first column (the role or service) as wide as its longest name, within a fifth and
    a third of the width; each figure column at least as wide as its header's longest word and
    its figures, the spare shared among them."""
    pad = 14.0
    cells = [*table["rows"], *([table["total"]] if table["total"] else [])]
    names = [stringWidth(str(r[0]), FONT_BOLD, CELL_SIZE) + pad for r in cells]
    first = min(max([width * 0.2, *names]), width / 3)
    numeric = []
    for k in range(1, len(table["header"])):
        words = str(table["header"][k]).split() or [""]
        need = max(stringWidth(w, FONT_BOLD, CELL_SIZE) for w in words)
        need = max([need, *(stringWidth(str(r[k]), FONT_BOLD, CELL_SIZE) for r in cells)])
        numeric.append(need + pad)
    if not numeric:
        return [width]
    spare = (width - first - sum(numeric)) / len(numeric)
    if spare < 0:  # too many columns: the figures keep their share, the names the rest
        scale = (width - width * 0.2) / sum(numeric)
        return [width * 0.2, *(w * scale for w in numeric)]
    return [first, *(w + spare for w in numeric)]


def _indicator(
    doc: ReportBuilder, figures: dict[str, Any], indicator: dict[str, Any], covered: set[str]
) -> None:
    name = str(indicator.get("name") or indicator.get("code") or "")
    points = parts.trend_points(indicator)
    breakdowns = parts.breakdown_blocks(indicator, covered)
    if not parts.has_trend(indicator) and not breakdowns:
        return
    doc.heading(name, 2)
    unit = str(indicator.get("unit") or "count")
    if parts.charted(indicator):
        target = indicator.get("target")
        chart = trend_chart(
            name, unit, points, float(target) if isinstance(target, int | float) else None
        )
        if chart is not None:
            doc.chart(
                line_chart(chart, doc.width, CHART_HEIGHT),
                caption=f"Figure: {chart.title}",
            )
    if parts.has_trend(indicator):
        doc.table(
            parts.TREND_HEADER,
            parts.trend_rows(indicator),
            numeric_columns={1, 3, 5},
            caption=f"{name}: the {len(points)}-month trend",
        )
    for block in breakdowns:
        doc.paragraph(block["line"])
        table = doc.table(
            [block["title"], parts.month_header(figures), "RAG", "Last year", "Change"],
            block["rows"],
            numeric_columns={1, 3, 4},
        )
        _rag_cells(table, block["rag"], 2)


def _demand(doc: ReportBuilder, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    d = closing.demand(figures)
    doc.heading("Demand beside the audit findings", 1)
    doc.paragraph(f"From {d['period']}.")
    if d["rows"]:
        doc.table(closing.DEMAND_HEADER, d["rows"], numeric_columns={1, 2, 3})
    else:
        doc.paragraph("No measure of demand has figures for the period.")
    if d["sentences"]:
        doc.bullets(d["sentences"])
    doc.paragraph(d["audits"])
    _commentary(doc, sections, "demand", "Commentary")


def _practice_week(
    doc: ReportBuilder, figures: dict[str, Any], sections: list[dict[str, Any]]
) -> None:
    week = closing.practice_week(figures)
    doc.heading("Practice week", 1)
    if week is None:
        doc.paragraph(closing.NO_PRACTICE_WEEK)
    else:
        doc.paragraph(f"{week['title']}: {week['dates']}." if week["dates"] else week["title"])
        doc.heading("Headline findings", 2)
        doc.bullets(week["headlines"] or ["No headline findings were recorded."])
        doc.heading("Quick wins", 2)
        if week["quick_wins"]:
            doc.numbered(week["quick_wins"])
        else:
            doc.paragraph("No quick wins were recorded.")
    _commentary(doc, sections, "practice_week", "Commentary")


def _audit_themes(
    doc: ReportBuilder, figures: dict[str, Any], sections: list[dict[str, Any]]
) -> None:
    themes = closing.audit_themes(figures)
    doc.heading("Audit themes: key findings", 1)
    doc.paragraph(themes["lead"])
    doc.heading("Strengths", 2)
    doc.bullets(themes["strengths"] or ["No strengths were recorded."])
    doc.heading("Areas for development", 2)
    doc.bullets(themes["development"] or ["No areas for development were recorded."])
    _commentary(doc, sections, "audit_themes", "Commentary")


def _actions(doc: ReportBuilder, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    doc.heading("Improvement-plan actions that answer the findings", 1)
    rows = closing.action_rows(figures)
    if rows:
        table = doc.table(closing.ACTION_HEADER, rows, col_widths=[0.07, 0.47, 0.18, 0.16, 0.12])
        table.setStyle(
            [
                ("BACKGROUND", (4, row), (4, row), colour(fill))
                for row, fill in enumerate(closing.action_fills(figures), start=1)
            ]
        )
    else:
        doc.paragraph(closing.NO_ACTIONS)
    _commentary(doc, sections, "actions", "Commentary")
