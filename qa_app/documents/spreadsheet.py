"""The one spreadsheet writer: every XLSX and CSV file the service produces is written here, so
one rule decides how stored text becomes a cell, for every export now and later.

- Text is first made writable (qa_app.rules.control_characters.writable drops the characters XML
  cannot carry), so damaged stored text never stops an export.
- Text a spreadsheet would read as a formula (`looks_like_formula`: starting with = + - @ or
  their full-width forms, after any leading white space, or starting with a tab or carriage
  return) is written as text: in XLSX a string cell with the "quote prefix" style, so that
  editing the cell in Excel keeps it text; in CSV with a single quote in front (OWASP's advice
  on CSV injection). In XLSX the reader sees the text unchanged.
- Numbers stay numbers and dates stay dates (times in UK time: XLSX holds no time zone), so they can
  be summed and charted; a number that is not finite (NaN, infinity) is left blank.
- Text longer than an Excel cell holds (32,767 characters) is cut, with a note saying so, so
  the file still opens.

`Spreadsheet` wraps a workbook (sheets, rows, header looks, widths, frozen panes, bytes);
`tables_xlsx` writes simple tables; `csv_bytes` writes a CSV file. openpyxl's Workbook and
csv.writer are used nowhere else in the service (tests/documents/test_one_spreadsheet_writer.py
reads the source to keep it so)."""

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeAlias

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qa_app.rules.control_characters import writable
from qa_app.rules.uk_time import to_uk

# A tab or carriage return first, or = + - @ (ASCII or full-width) after any white space.
FORMULA = re.compile(r"[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
CELL_LIMIT = 32_767  # the most characters an Excel cell holds
CUT_NOTE = " … [cut here: a spreadsheet cell holds at most 32,767 characters]"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name
# What a cell (or a CSV field) is written from.
CellValue: TypeAlias = str | float | Decimal | bool | date | datetime | time | timedelta | None


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula (or DDE command) if typed in."""
    return FORMULA.match(text) is not None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_value(value: CellValue) -> CellValue:
    """`value` as a cell holds it: text writable and cut to fit, times in UK time without a zone,
    a number that is not finite blank; other numbers, dates, booleans and None unchanged."""
    if isinstance(value, str):
        value = writable(str(value))
        if len(value) > CELL_LIMIT:
            value = value[: CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return to_uk(value).replace(tzinfo=None)
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Look:
    """How a cell looks: bold, size, text colour and fill (hex RGB, no '#'), wrapped text."""

    bold: bool = False
    size: float | None = None
    colour: str | None = None
    fill: str | None = None
    wrap: bool = False

    def apply(self, cell: Cell | MergedCell) -> None:
        if self.bold or self.size or self.colour:
            cell.font = Font(bold=self.bold, size=self.size, color=self.colour)
        if self.fill:
            cell.fill = PatternFill("solid", fgColor=self.fill)
        if self.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


BOLD = Look(bold=True)
WRAP = Look(wrap=True)


def _put(cell: Cell | MergedCell, value: CellValue, number_format: str | None = None) -> None:
    """The one place a value becomes a cell (see the module docstring)."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        if cell.data_type == "f" or looks_like_formula(value):
            cell.data_type = "s"  # openpyxl takes "=..." for a formula: it is text
            cell.quotePrefix = True  # and stays text when edited in Excel
        return
    if number_format and (_is_number(value) or isinstance(value, date)):
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


class Sheet:
    """One worksheet: rows appended (or cells written) through the one rule, looks, widths."""

    def __init__(self, worksheet: Worksheet) -> None:
        self._sheet = worksheet
        self._last_row = 0

    @property
    def last_row(self) -> int:
        return self._last_row

    def write(
        self,
        row: int,
        column: int,
        value: CellValue,
        *,
        number_format: str | None = None,
        look: Look | None = None,
    ) -> None:
        """Write one cell (row and column count from 1)."""
        cell = self._sheet.cell(row=row, column=column)
        _put(cell, value, number_format)
        if look:
            look.apply(cell)
        self._last_row = max(self._last_row, row)

    def append_row(
        self,
        values: Iterable[CellValue],
        *,
        look: Look | None = None,
        formats: Mapping[int, str | None] | None = None,
        looks: Mapping[int, Look] | None = None,
    ) -> int:
        """Write `values` in the row after the last one written; returns its number. `formats`
        and `looks` are by column index from 0; `look` is for every cell of the row."""
        row = self._last_row + 1
        for i, value in enumerate(values):
            self.write(
                row,
                i + 1,
                value,
                number_format=(formats or {}).get(i),
                look=(looks or {}).get(i, look),
            )
        self._last_row = row
        return row

    def style(self, row: int, column: int, look: Look) -> None:
        look.apply(self._sheet.cell(row=row, column=column))

    def freeze(self, cell: str = "A2") -> None:
        """Keep the rows above and the columns left of `cell` in view."""
        self._sheet.freeze_panes = cell

    def set_width(self, column: int, width: float) -> None:
        self._sheet.column_dimensions[get_column_letter(column)].width = width

    def fit_widths(
        self,
        header: Sequence[CellValue],
        rows: Sequence[Sequence[CellValue]],
        maximum: float,
        sample: int = 500,
    ) -> None:
        """Each column as wide as its longest text (of the header and the first `sample` rows)
        plus 2, at most `maximum`."""
        for i, name in enumerate(header):
            longest = max(
                [_shown_length(name)] + [_shown_length(r[i]) for r in rows[:sample] if i < len(r)]
            )
            self.set_width(i + 1, min(maximum, longest + 2))


class Spreadsheet:
    """An XLSX workbook written through the one rule: add sheets, append rows, take the bytes."""

    def __init__(self, *, title: str | None = None, creator: str | None = None) -> None:
        self._book = Workbook()
        self._book.remove(self._book.worksheets[0])  # the sheet a new workbook opens with
        if title:
            self._book.properties.title = cell_value(title)
        if creator:
            self._book.properties.creator = cell_value(creator)

    def add_sheet(
        self, title: str, header: Sequence[CellValue] | None = None, *, header_look: Look = BOLD
    ) -> Sheet:
        """A new sheet (its name cut to Excel's 31 characters); with a header, the header is
        its first row, in `header_look`, kept in view."""
        name = " ".join(SHEET_TITLE.sub(" ", str(writable(title))).split())[:31].strip()
        name = name or "Sheet"
        sheet = Sheet(self._book.create_sheet(name))
        if header is not None:
            sheet.append_row(header, look=header_look)
            sheet.freeze("A2")
        return sheet

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def tables_xlsx(
    sheets: Mapping[str, Sequence[Sequence[CellValue]]], header_look: Look = BOLD
) -> bytes:
    """A workbook of plain tables: {sheet name: rows}, the first row of each the header."""
    book = Spreadsheet()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title, rows[0] if rows else None, header_look=header_look)
        for row in rows[1:]:
            sheet.append_row(row)
    return book.to_bytes()


def csv_field(value: CellValue) -> CellValue:
    """One CSV field: text writable, a formula-like text behind a single quote, dates ISO 8601
    (times in UK time, to the minute), None empty, numbers as they are."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable[CellValue]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
