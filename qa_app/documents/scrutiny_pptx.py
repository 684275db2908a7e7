"""The scrutiny committee's performance pack as a slide deck (16:9), as councils present it: a
title slide; one slide per area with a native line chart of its main indicator's 18-month trend
(the data travels in the file), a table of its figures (or its table by role or service) with
RAG in words and colour, its breakdowns and the manager's commentary; then demand beside the
audit findings, the practice week's headline findings and quick wins, the audit themes and the
improvement-plan actions. Text that does not fit shrinks, then flows on to a "(continued)"
slide: nothing runs off a slide. Marked OFFICIAL (the partnership tier: aggregates only).

Reads only the frozen figures and the report's sections (qa_app.documents.scrutiny_parts);
the slide pieces are in qa_app.documents.scrutiny_slides. No Flask here."""

from typing import Any

from pptx.enum.text import PP_ALIGN
from pptx.util import Inches

from qa_app.data.indicator_scorecard import short_month
from qa_app.documents import scrutiny_closing as closing
from qa_app.documents import scrutiny_parts as parts
from qa_app.documents.scrutiny_flow import (
    COLUMNS,
    FULL,
    Deck,
    commentary,
    flow,
    paged_table,
)
from qa_app.documents.scrutiny_slides import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    BRAND,
    LEFT,
    SECONDARY,
    ZEBRA,
    Box,
    Para,
    best_size,
    line_chart,
    new_deck,
    rgb,
    save,
    text_box,
)
from qa_app.findings.present import noun_for

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TOP_H = 3.15  # an area slide's chart and table band
CHART_W = 6.2
GAP = 0.25


def scrutiny_pptx(
    figures: dict[str, Any],
    sections: list[dict[str, Any]],
    *,
    title: str,
    status: str,
    organisation: str,
) -> bytes:
    council = str(figures.get("council") or organisation)
    ctx = Deck(new_deck(), f"{title} · {council} · {parts.subtitle(figures)}")
    _title_slide(ctx, figures, title=title, status=status, organisation=organisation)
    areas = parts.areas(figures)
    if not areas:
        s = ctx.slide("Performance indicators")
        text_box(s, FULL, [Para(parts.NO_AREAS, "plain")], 18)
    for area in areas:
        _area_slides(ctx, figures, area, sections)
    _demand_slides(ctx, figures, sections)
    _practice_week_slides(ctx, figures, sections)
    _audit_theme_slides(ctx, figures, sections)
    _action_slides(ctx, figures, sections)
    return save(ctx.deck)


# ---- the slides -----------------------------------------------------------------------------


def _title_slide(
    ctx: Deck, figures: dict[str, Any], *, title: str, status: str, organisation: str
) -> None:
    s = ctx.deck.slides.add_slide(ctx.deck.slide_layouts[6])
    band = s.shapes.add_shape(1, 0, 0, ctx.deck.slide_width, Inches(0.3))
    band.fill.solid()
    band.fill.fore_color.rgb = rgb(BRAND)
    band.line.fill.background()
    text_box(
        s, Box(LEFT, 1.0, BODY_W, 0.6), [Para(organisation, "plain")], 20, bold=True, colour=BRAND
    )
    size = best_size([Para(title, "heading")], [Box(LEFT, 1.8, BODY_W, 1.6)], (40, 34, 28, 24))
    text_box(s, Box(LEFT, 1.8, BODY_W, 1.6), [Para(title, "plain")], size, bold=True)
    text_box(
        s,
        Box(LEFT, 3.5, BODY_W, 0.7),
        [Para(parts.subtitle(figures), "plain")],
        24,
        colour=SECONDARY,
    )
    council = str(figures.get("council") or "")
    if council and council != organisation:
        text_box(s, Box(LEFT, 4.2, BODY_W, 0.5), [Para(council, "plain")], 16)
    lines = [Para(status or "Draft", "plain")]
    box = Box(LEFT, 4.85, BODY_W, 0.6)
    panel = text_box(s, box, lines, best_size(lines, [box], (16, 14, 12, 10)), bold=True)
    panel.fill.solid()
    panel.fill.fore_color.rgb = rgb(ZEBRA)
    mark = text_box(
        s,
        Box(4.67, 6.0, 4.0, 0.7),
        [Para(ctx.marking, "plain")],
        24,
        bold=True,
        align=PP_ALIGN.CENTER,
    )
    mark.line.color.rgb = rgb(SECONDARY)


def _main_indicator(area: dict[str, Any]) -> dict[str, Any] | None:
    found = [i for i in parts.indicators(area) if parts.charted(i)]
    found = found or [i for i in parts.indicators(area) if parts.has_trend(i)]
    return found[0] if found else None


def _area_slides(
    ctx: Deck, figures: dict[str, Any], area: dict[str, Any], sections: list[dict[str, Any]]
) -> None:
    title = str(area.get("title") or area.get("key") or "")
    s = ctx.slide(title)
    main = _main_indicator(area)
    if main is not None:
        _trend(s, Box(LEFT, BODY_TOP, CHART_W, TOP_H), main)
        right = Box(LEFT + CHART_W + GAP, BODY_TOP, BODY_W - CHART_W - GAP, TOP_H)
    else:  # no trend to draw: the table takes the width
        right = Box(LEFT, BODY_TOP, BODY_W, TOP_H)
    tables = parts.area_tables(area)
    if tables:
        t = tables[0]
        rows = t["rows"] + ([t["total"]] if t["total"] else [])
        n = len(t["header"])
        first = min(3.0, right.w * 0.3)
        widths = [first] + [(right.w - first) / max(n - 1, 1)] * (n - 1)
        s2, foot = paged_table(
            ctx,
            title,
            s,
            right,
            t["header"],
            rows,
            widths,
            numeric=set(range(1, n)),
            bold_last=bool(t["total"]),
        )
    else:
        header, rows, fills = _summary(figures, area)
        widths = [right.w - 3.6, 1.0, 0.95, 0.85, 0.8]
        s2, foot = paged_table(
            ctx, title, s, right, header, rows, widths, numeric={1, 3, 4}, fills=fills
        )
    paras = _breakdowns(area, tables[1:]) + commentary(sections, f"area:{area.get('key')}")
    if s2 is not s:  # the table went on: the text follows it on its own slides
        flow(ctx, title, paras, ctx.slide(f"{title} (continued)"), COLUMNS, columns=2)
        return
    if main is not None:  # under the chart, and under the table beside it
        under = BODY_TOP + TOP_H + 0.2
        bottom = [
            Box(LEFT, under, CHART_W, BODY_BOTTOM - under),
            Box(right.x, foot + 0.2, right.w, BODY_BOTTOM - foot - 0.2),
        ]
    else:
        bottom = [Box(c.x, foot + 0.2, c.w, BODY_BOTTOM - foot - 0.2) for c in COLUMNS]
    flow(ctx, title, paras, s, bottom, columns=2)


def _trend(s: Any, box: Box, indicator: dict[str, Any]) -> None:
    """The indicator's trend as a native line chart, with its target as a second line."""
    points = parts.trend_points(indicator)
    name = str(indicator.get("name") or "")
    series: list[tuple[str, list[float | None]]] = [(name, [v for _, v in points])]
    target = indicator.get("target")
    if isinstance(target, int | float) and not isinstance(target, bool):
        series.append(("Target", [float(target)] * len(points)))
    labels = [short_month(m) for m, _ in points]
    percentage = indicator.get("unit") == "percentage"
    line_chart(s, box, f"{name}: {len(points)}-month trend", labels, series, percentage)


def _breakdowns(area: dict[str, Any], more_tables: list[dict[str, Any]]) -> list[Para]:
    """The breakdown lines of an area's indicators (and any further table of the area, a
    line a row), under a heading."""
    paras: list[Para] = []
    covered = parts.table_dimensions(area)
    for indicator in parts.indicators(area):
        for block in parts.breakdown_blocks(indicator, covered):
            line = block["line"]
            paras.append(Para(f"{indicator.get('name')}, by {line[:1].lower()}{line[1:]}"))
    for t in more_tables:
        for r in t["rows"] + ([t["total"]] if t["total"] else []):
            cells = ", ".join(f"{h} {v}" for h, v in zip(t["header"][1:], r[1:], strict=False))
            paras.append(Para(f"{r[0]}: {cells}"))
    return [Para("Breakdowns", "heading"), *paras] if paras else []


def _summary(
    figures: dict[str, Any], area: dict[str, Any]
) -> tuple[list[str], list[list[str]], dict[tuple[int, int], str]]:
    header = ["Indicator", parts.month_header(figures), "RAG", "Target", "On last year"]
    rows, fills = [], {}
    for r, i in enumerate(parts.indicators(area)):
        unit = str(i.get("unit") or "count")
        rows.append(
            [
                str(i.get("name") or ""),
                parts.value(i.get("value"), unit),
                parts.rag_word(i.get("rag")),
                parts.value(i.get("target"), unit),
                parts.change(i.get("change_year")),
            ]
        )
        look = parts.rag_look(i.get("rag"))
        if look:
            fills[(r, 2)] = look[1]
    return header, rows, fills


def _demand_slides(ctx: Deck, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    d = closing.demand(figures)
    title = "Demand beside the audit findings"
    s = ctx.slide(title)
    text_box(
        s,
        Box(LEFT, BODY_TOP, BODY_W, 0.5),
        [Para(f"From {d['period']}.", "plain")],
        16,
        colour=SECONDARY,
    )
    top = BODY_TOP + 0.55
    if d["rows"]:
        box = Box(LEFT, top, BODY_W, (BODY_BOTTOM - top) * 0.5)
        s, top = paged_table(
            ctx,
            title,
            s,
            box,
            closing.DEMAND_HEADER,
            d["rows"],
            [BODY_W - 7.5, 2.5, 2.8, 2.2],
            numeric={1, 2, 3},
        )
        top += 0.2
    paras = [Para(x) for x in d["sentences"]] + [Para(d["audits"])]
    if not d["rows"]:
        paras.insert(0, Para("No measure of demand has figures for the period.", "plain"))
    paras += commentary(sections, "demand")
    flow(ctx, title, paras, s, [Box(LEFT, top, BODY_W, BODY_BOTTOM - top)])


def _practice_week_slides(
    ctx: Deck, figures: dict[str, Any], sections: list[dict[str, Any]]
) -> None:
    week = closing.practice_week(figures)
    comment = commentary(sections, "practice_week")
    if week is None:
        paras = [Para(closing.NO_PRACTICE_WEEK, "plain"), *comment]
        flow(ctx, "Practice week", paras, ctx.slide("Practice week"), [FULL])
        return
    lead = f"{week['title']}: {week['dates']}." if week["dates"] else week["title"]
    headlines = [Para(h) for h in week["headlines"]] or [
        Para("No headline findings were recorded.", "plain")
    ]
    title = "Practice week: headline findings"
    flow(ctx, title, [Para(lead, "plain"), *headlines, *comment], ctx.slide(title), [FULL])
    wins = [Para(q, "number", k) for k, q in enumerate(week["quick_wins"], start=1)]
    title = f"Practice week: {_count_words(len(wins))} {noun_for(len(wins), 'quick win')}"
    flow(
        ctx,
        title,
        wins or [Para("No quick wins were recorded.", "plain")],
        ctx.slide(title),
        [FULL],
    )


def _count_words(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if n < len(words) else str(n)


def _audit_theme_slides(ctx: Deck, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    themes = closing.audit_themes(figures)
    title = "Audit themes: key findings"
    s = ctx.slide(title)
    text_box(
        s, Box(LEFT, BODY_TOP, BODY_W, 0.5), [Para(themes["lead"], "plain")], 16, colour=SECONDARY
    )
    top = BODY_TOP + 0.6
    boxes = [Box(c.x, top, c.w, BODY_BOTTOM - top) for c in COLUMNS]
    paras = [Para("Strengths", "heading")]
    paras += [Para(x) for x in themes["strengths"]] or [Para("None recorded.", "plain")]
    paras += [Para("", "break"), Para("Areas for development", "heading")]
    paras += [Para(x) for x in themes["development"]] or [Para("None recorded.", "plain")]
    paras += commentary(sections, "audit_themes")
    flow(ctx, title, paras, s, boxes, columns=2)


def _action_slides(ctx: Deck, figures: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    title = "Improvement-plan actions that answer the findings"
    s = ctx.slide(title)
    rows = closing.action_rows(figures)
    top = BODY_TOP
    if rows:
        fills = {(r, 4): f.lstrip("#") for r, f in enumerate(closing.action_fills(figures))}
        widths = [0.7, BODY_W - 6.6, 2.4, 2.0, 1.5]
        s, top = paged_table(
            ctx, title, s, FULL, closing.ACTION_HEADER, rows, widths, numeric=set(), fills=fills
        )
        top += 0.2
    paras = [] if rows else [Para(closing.NO_ACTIONS, "plain")]
    paras += commentary(sections, "actions")
    if top > BODY_BOTTOM - 0.8:
        s, top = ctx.slide(f"{title} (continued)"), BODY_TOP
    flow(ctx, title, paras, s, [Box(LEFT, top, BODY_W, BODY_BOTTOM - top)])
