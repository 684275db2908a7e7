"""The scrutiny committee's performance pack, the words and tables its three renderers share
(the PDF and Word builder in scrutiny_pdf, the slides in scrutiny_pptx): the cover's lines,
the sections' bullets, an area's indicator tables, its breakdowns, its tables by role or
service and the 18-month trend as data (the closing sections' parts are in scrutiny_closing).

Everything here reads only the frozen figures (Report.figures for kind "scrutiny", the
contract in services/scrutiny_figures) and the report's sections; a part that is missing or
empty reads as a sentence, never a crash. Numbers are written by
qa_app.data.indicator_scorecard. Pure: no Flask, no database."""

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from qa_app.data.indicator_scorecard import (
    add_months,
    format_change,
    format_value,
    month_label,
    round_half_up,
)
from qa_app.documents.improvement_pdf import RAG_LOOK

RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
NO_VALUE = "–"
NO_AREAS = "No indicators have figures for this month."


# ---- small readers ----------------------------------------------------------------------------


def as_date(value: object) -> date | None:
    """A date from the figures' ISO text (or a date); None when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def uk_date(value: object) -> str:
    """ "30 November 2021"; the text as given when it is not a date."""
    day = as_date(value)
    if day is None:
        return str(value or "") or "no date"
    return f"{day.day} {day:%B %Y}"


def month_words(value: object) -> str:
    day = as_date(value)
    return f"{day:%B %Y}" if day else str(value or "")


def report_month(figures: dict[str, Any]) -> date | None:
    return as_date(figures.get("month"))


def subtitle(figures: dict[str, Any]) -> str:
    """ "Performance to the end of September 2021"."""
    month = report_month(figures)
    return f"Performance to the end of {month:%B %Y}" if month else "Performance"


def period_text(first: object, last: object) -> str:
    """ "1 April 2021 to 30 September 2021"."""
    if not first and not last:
        return "the period"
    return f"{uk_date(first)} to {uk_date(last)}"


def meta(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """The cover's facts: the council, the month, the period, when the figures were taken."""
    period = figures.get("period") or {}
    rows = [
        ("Council", str(figures.get("council") or "")),
        ("Figures to", uk_date(_month_end(report_month(figures))) if report_month(figures) else ""),
        ("Audits, practice week and actions", period_text(period.get("from"), period.get("to"))),
        (
            "Figures as at",
            uk_date(figures.get("generated_at")) if figures.get("generated_at") else "",
        ),
        ("Audience", "Partnership: the scrutiny committee (aggregate figures only)"),
    ]
    return [(k, v) for k, v in rows if v]


def _month_end(month: date | None) -> date | None:
    if month is None:
        return None
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


def bullets(text: object) -> list[str]:
    """A section's text as bullets: one a line, blank lines dropped, a leading "- " or "• "
    dropped."""
    out = []
    for line in str(text or "").splitlines():
        line = line.strip()
        for mark in ("- ", "• ", "* "):
            if line.startswith(mark):
                line = line[len(mark) :].strip()
        if line and line not in ("-", "•", "*"):
            out.append(line)
    return out


def section_bullets(sections: Sequence[dict[str, Any]], key: str) -> list[str]:
    """The bullets of the section with `key` ("area:referrals", "demand" ...)."""
    for section in sections or []:
        if isinstance(section, dict) and section.get("key") == key:
            return bullets(section.get("text"))
    return []


def rag_word(rag: object) -> str:
    return RAG_WORDS.get(str(rag), NO_VALUE)


def value(v: object, unit: str) -> str:
    """A value as the scorecard writes it (a count keeps its decimals, up to two: 348.63)."""
    return format_value(number(v), unit)


def as_dict(v: object) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def number(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)


def change(c: object) -> str:
    return format_change(int(c) if isinstance(c, int | float) and not isinstance(c, bool) else None)


# ---- an area's indicators ---------------------------------------------------------------------


def areas(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in figures.get("areas") or [] if isinstance(a, dict)]


def indicators(area: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in area.get("indicators") or [] if isinstance(i, dict)]


def month_header(figures: dict[str, Any], back: int = 0) -> str:
    month = report_month(figures)
    return month_label(add_months(month, -back)) if month else ("This month" if not back else "")


def figures_table(
    figures: dict[str, Any], area: dict[str, Any]
) -> tuple[list[str], list[list[str]]]:
    """This month's figures: indicator, value, RAG (a word), target, change on last month and
    on the same month last year (with the value compared)."""
    header = [
        "Indicator",
        month_header(figures),
        "RAG",
        "Target",
        f"On {month_header(figures, 1)}" if report_month(figures) else "On last month",
        f"On {month_header(figures, 12)}" if report_month(figures) else "On last year",
    ]
    rows = []
    for i in indicators(area):
        unit = str(i.get("unit") or "count")
        rows.append(
            [
                str(i.get("name") or i.get("code") or ""),
                value(i.get("value"), unit),
                rag_word(i.get("rag")),
                value(i.get("target"), unit),
                _change_from(i.get("change_month"), i.get("previous"), unit),
                _change_from(i.get("change_year"), i.get("last_year"), unit),
            ]
        )
    return header, rows


def _change_from(c: object, before: object, unit: str) -> str:
    if number(before) is None:
        return NO_VALUE
    return f"{change(c)} (from {value(before, unit)})"


PERIOD_HEADER = ["Indicator", "Period", "This year", "Last year", "Change"]


def periods_table(area: dict[str, Any]) -> list[list[str]]:
    """Year to date and rolling twelve months beside the same months a year before (rows under
    PERIOD_HEADER); a sum where the months add up, an average where each is a position."""
    rows = []
    for i in indicators(area):
        unit = str(i.get("unit") or "count")
        for key, name in (("year_to_date", "Year to date"), ("rolling_12", "Rolling 12 months")):
            p = i.get(key)
            if not isinstance(p, dict) or (
                number(p.get("value")) is None and number(p.get("previous")) is None
            ):
                continue
            span = f"{name}, {_short_span(p.get('first'), p.get('last'))}"
            how = "total" if i.get("adds_up") else "average"
            rows.append(
                [
                    str(i.get("name") or ""),
                    f"{span} ({how})",
                    value(p.get("value"), unit),
                    value(p.get("previous"), unit),
                    change(p.get("change")),
                ]
            )
    return rows


def _short_span(first: object, last: object) -> str:
    a, b = as_date(first), as_date(last)
    if not a or not b:
        return "no dates"
    return f"{a:%b %Y} to {b:%b %Y}" if a != b else f"{a:%b %Y}"


def comparator_lines(area: dict[str, Any]) -> list[str]:
    """ "Children on a child in need plan: Statistical neighbours 35.1 (2024-25); England ..."."""
    lines = []
    for i in indicators(area):
        unit = str(i.get("unit") or "count")
        parts = []
        for c in i.get("comparators") or []:
            if not isinstance(c, dict):
                continue
            year = f" ({c['year']})" if c.get("year") else ""
            parts.append(f"{c.get('name') or 'Comparator'} {value(c.get('value'), unit)}{year}")
        if parts:
            lines.append(f"{i.get('name') or ''}: " + "; ".join(parts))
    return lines


def trend_points(indicator: dict[str, Any]) -> list[tuple[date, float | None]]:
    """The 18-month trend as (month, value or None), oldest first; unreadable points dropped."""
    points = []
    for point in indicator.get("trend") or []:
        if not isinstance(point, list | tuple) or len(point) != 2:
            continue
        month = as_date(point[0])
        if month is not None:
            points.append((month, number(point[1])))
    return points


def has_trend(indicator: dict[str, Any]) -> bool:
    return sum(v is not None for _, v in trend_points(indicator)) >= 2


def charted(indicator: dict[str, Any]) -> bool:
    """A trend chart is drawn for counts and percentages with two values or more."""
    return indicator.get("unit") in ("count", "percentage") and has_trend(indicator)


TREND_HEADER = ["Month", "Value"] * 3


def trend_rows(indicator: dict[str, Any]) -> list[list[str]]:
    """The trend's data in three month-and-value column pairs, reading down each pair."""
    unit = str(indicator.get("unit") or "count")
    cells = [(month_label(m), value(v, unit)) for m, v in trend_points(indicator)]
    per = -(-len(cells) // 3)
    rows = []
    for r in range(per):
        row: list[str] = []
        for col in range(3):
            k = col * per + r
            row += list(cells[k]) if k < len(cells) else ["", ""]
        rows.append(row)
    return rows


def table_dimensions(area: dict[str, Any]) -> set[str]:
    """The dimensions an area's own tables lay out (recruitment by role): their breakdowns are
    not repeated under each indicator."""
    return {str(t.get("dimension")) for t in area.get("tables") or [] if isinstance(t, dict)}


def breakdown_blocks(
    indicator: dict[str, Any], covered: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Each breakdown of an indicator not in `covered` (the area's tables): its title, its
    line ("Locality: South 77% (amber), ...") and its rows (category, value, RAG word, same
    month last year, change)."""
    unit = str(indicator.get("unit") or "count")
    out = []
    for b in indicator.get("breakdowns") or []:
        if not isinstance(b, dict) or str(b.get("dimension")) in covered:
            continue
        rows = [r for r in b.get("rows") or [] if isinstance(r, dict)]
        title = str(b.get("title") or b.get("dimension") or "Breakdown")
        words = []
        table = []
        for r in rows:
            rag = f" ({r['rag']})" if r.get("rag") in RAG_WORDS else ""
            words.append(f"{r.get('category')} {value(r.get('value'), unit)}{rag}")
            table.append(
                [
                    str(r.get("category") or ""),
                    value(r.get("value"), unit),
                    rag_word(r.get("rag")),
                    value(r.get("last_year"), unit),
                    change(r.get("change_year")),
                ]
            )
        line = f"{title}: " + (", ".join(words) if words else "no figures")
        out.append(
            {"title": title, "line": line, "rows": table, "rag": [r.get("rag") for r in rows]}
        )
    return out


def definition_lines(area: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(indicator name, definition, good looks like) for each indicator with either."""
    out = []
    for i in indicators(area):
        d, g = str(i.get("definition") or "").strip(), str(i.get("good_looks_like") or "").strip()
        if d or g:
            out.append((str(i.get("name") or ""), d, g))
    return out


# ---- an area's table by role or service -------------------------------------------------------


def column_decimals(values: Sequence[object]) -> int:
    """The most decimals any value in a column has, up to 2 (so 32 and 197.01 read 32.00 and
    197.01)."""
    most = 0
    for v in values:
        n = number(v)
        if n is None:
            continue
        for places in (0, 1, 2):
            if round_half_up(n, places) == round_half_up(n, 2):
                most = max(most, places)
                break
        else:  # pragma: no cover - two places always equal themselves
            most = 2
    return most


def column_value(v: object, unit: str, places: int) -> str:
    n = number(v)
    if n is None:
        return NO_VALUE
    if unit == "rate_per_10000":
        return format_value(n, unit)
    text = f"{round_half_up(n, places):,.{places}f}"
    return text + "%" if unit == "percentage" else text


def area_tables(area: dict[str, Any]) -> list[dict[str, Any]]:
    """Each table of an area (a row per category, a column per indicator, the totals row last),
    its numbers written with the same decimals down each column."""
    return [_area_table(t) for t in area.get("tables") or [] if isinstance(t, dict)]


def _cell(row: dict[str, Any], k: int) -> object:
    values = row.get("values")
    return values[k] if isinstance(values, list) and k < len(values) else None


def _area_table(t: dict[str, Any]) -> dict[str, Any]:
    columns = [c for c in t.get("columns") or [] if isinstance(c, dict)]
    rows = [r for r in t.get("rows") or [] if isinstance(r, dict)]
    total = t.get("total") if isinstance(t.get("total"), dict) else None
    every = rows + ([total] if total else [])
    places = [column_decimals([_cell(r, k) for r in every]) for k in range(len(columns))]
    units = [str(c.get("unit") or "count") for c in columns]

    def line(r: dict[str, Any]) -> list[str]:
        cells = [column_value(_cell(r, k), units[k], places[k]) for k in range(len(columns))]
        return [str(r.get("category") or ""), *cells]

    title = str(t.get("title") or t.get("dimension") or "")
    return {
        "title": title,
        "header": [title] + [str(c.get("name") or "") for c in columns],
        "rows": [line(r) for r in rows],
        "total": line(total) if total else None,
    }


def rag_look(rag: object) -> tuple[str, str] | None:
    """(text colour, fill) for an indicator's RAG, None without one."""
    return RAG_LOOK[str(rag)] if rag in RAG_WORDS else None
