"""The scorecard as an XLSX workbook with typed cells: values as numbers in their unit (a
percentage indicator's 34% is the number 34 shown with a % sign; a count with decimals, 348.63
FTE, shown with two), changes as fractions shown as percentages, months as dates. A second
sheet, Breakdowns, holds the month's values by locality, service, role... with their RAG.
Written by the one spreadsheet writer (qa_app.documents.spreadsheet).
No Flask here."""

from datetime import date

from qa_app.data.indicator_scorecard import (
    COMPARATOR_GROUPS,
    DIRECTIONS,
    RAG_LABELS,
    UNITS,
    Row,
    add_months,
    by_area,
    month_label,
)
from qa_app.documents.spreadsheet import WRAP, CellValue, Look, Spreadsheet

NUMBER_FORMATS = {"count": "#,##0", "percentage": '0.0"%"', "rate_per_10000": "#,##0.0"}
DECIMAL_COUNT = "#,##0.00"  # a count that has decimals: 348.63 FTE
CHANGE_FORMAT = "0%;−0%;0%"
MONTH_FORMAT = "mmm yyyy"
TITLE = Look(bold=True, size=14)
HEADER = Look(bold=True, wrap=True)


def _fixed_headers(months: list[date]) -> list[CellValue]:
    return [
        "Code",
        "Indicator",
        "Unit",
        "Better",
        *months,
        "Change on previous month",
        "Change on same month last year",
        "Trend",
        "RAG",
        "Target",
        "Tolerance",
        "12-month average",
        "12-month maximum",
        "12-month minimum",
        *[text for name in COMPARATOR_GROUPS.values() for text in (name, f"{name}: year")],
        "What good looks like",
        "Commentary",
    ]


def scorecard_xlsx(rows: list[Row], month: date, title: str) -> bytes:
    """A workbook with one sheet: a title, then a row per indicator."""
    book = Spreadsheet()
    sheet = book.add_sheet("Scorecard")
    sheet.write(1, 1, title, look=TITLE)
    sheet.write(2, 1, f"Month: {month_label(month)}")
    months = [m for m, _ in rows[0].six_months] if rows else []
    headers = _fixed_headers(months)
    header_row = 4
    for col, text in enumerate(headers, start=1):
        sheet.write(header_row, col, text, number_format=MONTH_FORMAT, look=HEADER)
    wrapped = {1, len(headers) - 2, len(headers) - 1}  # name, what good looks like, commentary
    for row in rows:
        ind = row.indicator
        number_format = _number_format(row)
        comparators = {c["group"]: c for c in row.comparators}
        cells: list[tuple[CellValue, str | None]] = [
            (ind.code, None),
            (ind.name, None),
            (UNITS.get(ind.unit, ind.unit), None),
            (DIRECTIONS.get(ind.better, ind.better), None),
            *[(value, number_format) for _, value in row.six_months],
            (None if row.change_month is None else row.change_month / 100, CHANGE_FORMAT),
            (None if row.change_year is None else row.change_year / 100, CHANGE_FORMAT),
            (row.trend.text if row.trend else None, None),
            (RAG_LABELS.get(row.rag) if row.rag else None, None),
            (ind.target, number_format),
            (ind.tolerance, number_format),
            (row.average_12, number_format),
            (row.maximum_12, number_format),
            (row.minimum_12, number_format),
        ]
        for group in COMPARATOR_GROUPS:
            entry = comparators.get(group) or {}
            cells += [(entry.get("value"), number_format), (entry.get("year"), None)]
        commentary = getattr(row.commentary, "text", None) or None
        cells += [(ind.good_looks_like or None, None), (commentary, None)]
        sheet.append_row(
            [value for value, _ in cells],
            formats={i: fmt for i, (_, fmt) in enumerate(cells) if fmt},
            looks=dict.fromkeys(wrapped, WRAP),
        )
    sheet.freeze("C5")
    widths = {1: 10, 2: 40, 3: 14, 4: 14, len(headers) - 1: 50, len(headers): 50}
    for col in range(1, len(headers) + 1):
        sheet.set_width(col, widths.get(col, 12))
    _breakdowns_sheet(book, rows, month, title)
    return book.to_bytes()


def _number_format(row: Row) -> str:
    """The unit's format; for a count, two decimals when any of its figures has them."""
    unit = row.indicator.unit
    if unit == "count":
        figures = [v for _, v in row.six_months] + [
            part.value for group in row.breakdowns for part in group.rows
        ]
        if any(v is not None and v != int(v) for v in figures):
            return DECIMAL_COUNT
    return NUMBER_FORMATS.get(unit, "General")


BREAKDOWN_HEADERS = [
    "Area",
    "Code",
    "Indicator",
    "Breakdown",
    "Category",
    "Value",
    "RAG",
    "Same month last year",
    "Change on same month last year",
]


def _breakdowns_sheet(book: Spreadsheet, rows: list[Row], month: date, title: str) -> None:
    """A row per category of each indicator's breakdowns for the month, indicators grouped by
    area; the whole-council value closes each breakdown."""
    sheet = book.add_sheet("Breakdowns")
    sheet.write(1, 1, f"{title}: breakdowns", look=TITLE)
    sheet.write(
        2,
        1,
        f"Month: {month_label(month)}; the same month last year is "
        f"{month_label(add_months(month, -12))}",
    )
    for col, text in enumerate(BREAKDOWN_HEADERS, start=1):
        sheet.write(4, col, text, look=HEADER)
    for _, area, area_rows in by_area(rows):
        for row in area_rows:
            number_format = _number_format(row)
            formats = {5: number_format, 7: number_format, 8: CHANGE_FORMAT}
            for group in row.breakdowns:
                lines: list[tuple[str, float | None, str | None, float | None, int | None]] = [
                    (p.category, p.value, p.rag, p.last_year, p.change_year) for p in group.rows
                ]
                lines.append(("Whole council", row.value, row.rag, row.last_year, row.change_year))
                for category, value, rag, last_year, change in lines:
                    sheet.append_row(
                        [
                            area,
                            row.indicator.code,
                            row.indicator.name,
                            group.title,
                            category,
                            value,
                            RAG_LABELS.get(rag) if rag else None,
                            last_year,
                            None if change is None else change / 100,
                        ],
                        formats=formats,
                    )
    sheet.freeze("A5")
    for col, width in enumerate([24, 10, 40, 14, 30, 12, 20, 14, 14], start=1):
        sheet.set_width(col, width)
