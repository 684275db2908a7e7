"""Importing monthly indicator values from CSV or XLSX: check every cell first, then store all
or nothing.

Two layouts, told apart by the header row (docs/imports.md, "Performance indicators"):

- long: the columns `code`, `month` and `value` (and optionally `name`), one row per value;
- wide: `code` (and optionally `name`), then one column per month headed 2026-04, Apr-26,
  April 2026 or a date, one row per indicator, as councils keep their scorecards.

Either layout may have a `breakdown` column, written "Dimension: Category" ("Locality: South",
"Role: Team Manager"): the row's values are then that category's part of the indicator (stored
with qa_app.data.indicator_breakdowns); a blank breakdown is the whole-council value.

Values may have thousands separators and a % sign (34% is stored as 34); a blank cell (or -, –,
n/a) is skipped, never read as zero. Every problem names the row and the column (its letter
and its header)."""

import re
from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_areas import CATEGORY_MAX, DIMENSION_MAX, dimension_key, dimension_title
from qa_app.data.indicator_breakdowns import Part
from qa_app.data.indicator_scorecard import first_of_month, month_label
from qa_app.data.indicators import VALUE_MAX
from qa_app.imports.tabular import (
    ImportProblem,
    Sheet,
    UnreadableFile,
    read_file,
    without_cell_text,
)
from qa_app.models import Indicator

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
BLANKS = {"-", "–", "—", "n/a", "na", "n.a.", ".."}
FIRST_YEAR, LAST_YEAR = 1990, 2100
MONTH_EXAMPLES = "like 2026-04, Apr-26, April 2026 or 01/04/2026"
LONG_COLUMNS = ["code", "month", "value"]
OPTIONAL_COLUMNS = ["name", "breakdown"]
BREAKDOWN_EXAMPLE = "write it Dimension: Category, like Locality: South or Role: Team Manager"


@dataclass
class CheckedValues:
    filename: str
    layout: str = ""  # "long" | "wide" once the header is understood
    sheet: str = ""
    # (indicator, month, value, None) for the whole council; (..., (dimension, category)) for
    # one category of a breakdown
    values: list[tuple[Indicator, date, float, Part | None]] = field(default_factory=list)
    blanks: int = 0  # blank cells skipped
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def breakdowns(self) -> int:
        return sum(1 for *_, part in self.values if part)


def parse_month(text: str) -> date | None:
    """The first day of the month a cell or header names: 2026-04, 2026-04-01, 01/04/2026,
    04/2026, Apr-26, Apr 2026, April 2026 (also as normalised headers: apr_26, 2026_04).
    None when it names no month."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", str(text or "").strip().lower()) if t]
    if not 2 <= len(tokens) <= 6:
        return None
    if len(tokens) > 3:  # a date with a time: 2026-04-01 00:00:00
        if not all(t.isdigit() for t in tokens):
            return None
        tokens = tokens[:3]
    year = month = None
    day = 1
    if tokens[0] in MONTHS and len(tokens) == 2 and tokens[1].isdigit():
        month, year = MONTHS[tokens[0]], tokens[1]
    elif all(t.isdigit() for t in tokens):
        if len(tokens[0]) == 4:  # 2026-04 or 2026-04-01
            year, month = tokens[0], int(tokens[1])
            day = int(tokens[2]) if len(tokens) == 3 else 1
        elif len(tokens[-1]) == 4:  # 04/2026 or 01/04/2026 (day first, as in the UK)
            year, month = tokens[-1], int(tokens[-2])
            day = int(tokens[0]) if len(tokens) == 3 else 1
    if year is None or month is None or len(year) not in (2, 4):  # (set together)
        return None
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    if not FIRST_YEAR <= full_year <= LAST_YEAR:
        return None
    try:
        return first_of_month(date(full_year, month, day))
    except ValueError:
        return None


def is_blank(text: str) -> bool:
    raw = str(text or "").strip()
    return not raw or raw.lower() in BLANKS


def parse_value(text: str, unit: str) -> tuple[float | None, str | None]:
    """(number, None), (None, None) for a blank, or (None, why it is not a value)."""
    raw = str(text or "").strip()
    if is_blank(raw):
        return None, None
    cleaned = raw.replace(",", "").replace(" ", "").replace("\u00a0", "")
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1]
    try:
        number = float(cleaned)
    except ValueError:
        return None, f"{raw!r} is not a number"
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"{raw!r} is not a number"
    if percent and unit != "percentage":
        return None, f"{raw!r} is a percentage but this indicator is not measured in percent"
    if number < 0:
        return None, f"{raw!r} is negative: indicator values cannot be"
    if number > VALUE_MAX:
        return None, f"{raw!r} is too large: no indicator counts over {VALUE_MAX:,.0f}"
    if unit == "percentage" and number > 100:
        return None, f"{raw!r} is over 100%"
    return number, None


def parse_breakdown(text: str) -> tuple[Part | None, str | None]:
    """("locality", "South") from "Locality: South"; (None, None) for a blank (the whole
    council); (None, why) when it cannot be read."""
    raw = " ".join(str(text or "").split())
    if not raw:
        return None, None
    dimension, colon, category = raw.partition(":")
    dimension, category = dimension.strip(), category.strip()
    if not colon or not dimension or not category:
        return None, f"{raw!r} is not a breakdown: {BREAKDOWN_EXAMPLE}"
    if len(dimension) > DIMENSION_MAX:
        return None, f"the dimension {dimension!r} is over {DIMENSION_MAX} characters"
    if len(category) > CATEGORY_MAX:
        return None, f"the category {category[:40]!r}… is over {CATEGORY_MAX} characters"
    return (dimension_key(dimension), category), None


def _breakdown(sheet: Sheet, number: int, cells: dict, checked: CheckedValues):
    """The row's breakdown, False when it has a problem (recorded)."""
    part, why = parse_breakdown(cells.get("breakdown", ""))
    if why:
        checked.problems.append(ImportProblem(sheet.name, number, _where(sheet, "breakdown"), why))
        return False
    return part


def _where(sheet: Sheet, column: str, header: str | None = None) -> str:
    """A column as the person finds it: its letter and its header, "C (value)"."""
    index = sheet.columns.index(column)
    return f"{get_column_letter(index + 1)} ({header or column})"


def check_indicator_file(filename: str, data: bytes, *, today: date) -> CheckedValues:
    """Every cell of the file's first sheet checked against the indicators defined; the
    values ready to store when there are no problems."""
    checked = CheckedValues(filename=filename)
    try:
        sheets = read_file(filename, data, first_only=True)
    except UnreadableFile as error:
        checked.problems.append(ImportProblem("", 0, "", str(error)))
        return checked
    if not sheets:
        checked.problems.append(ImportProblem("", 0, "", "the workbook has no sheets"))
        return checked
    sheet = sheets[0]
    checked.sheet = sheet.name
    columns = set(sheet.columns)
    if {"month", "value"} & columns or not any(parse_month(c) for c in sheet.columns):
        checked.layout = "long"
        _check_long(sheet, checked, today)
    else:
        checked.layout = "wide"
        _check_wide(sheet, checked, today)
    if not checked.problems and not checked.values:
        checked.problems.append(ImportProblem(sheet.name, 0, "", "the file holds no values"))
    checked.problems = sorted(without_cell_text(checked.problems, [sheet]))
    return checked


def _duplicate_columns(sheet: Sheet) -> list[ImportProblem]:
    seen, problems = set(), []
    for column in sheet.columns:
        if column and column in seen:
            problems.append(
                ImportProblem(sheet.name, 1, _where(sheet, column), "this column appears twice")
            )
        seen.add(column)
    return problems


def _month_problem(month: date | None, today: date) -> str | None:
    if month is None:
        return f"not a month: write it {MONTH_EXAMPLES}"
    if month > first_of_month(today):
        return f"{month_label(month)} has not happened yet"
    return None


class _Seen:
    """Indicator, month and breakdown met so far, to refuse the same value twice in one file
    (categories matched without regard to case: South and SOUTH are one)."""

    def __init__(self, sheet: Sheet, checked: CheckedValues):
        self.sheet, self.checked = sheet, checked
        self.rows: dict[tuple[int, date, tuple[str, str] | None], int] = {}

    def add(self, indicator: Indicator, month: date, value: float, part, row: int, where: str):
        """Keep the value, or record a problem at `where` (the breakdown's column for a
        breakdown) when the file already gave it."""
        key = (indicator.id, month, (part[0], part[1].casefold()) if part else None)
        if key not in self.rows:
            self.rows[key] = row
            self.checked.values.append((indicator, month, value, part))
            return
        label = f", {dimension_title(part[0])}: {part[1]}" if part else ""
        self.checked.problems.append(
            ImportProblem(
                self.sheet.name,
                row,
                _where(self.sheet, "breakdown") if part else where,
                f"{indicator.code} for {month_label(month)}{label} is also on row {self.rows[key]}",
            )
        )


def _indicator(sheet, number, cells, codes, checked) -> Indicator | None:
    code = cells.get("code", "").strip().upper()
    where = _where(sheet, "code")
    if not code:
        checked.problems.append(ImportProblem(sheet.name, number, where, "enter the code"))
        return None
    if code not in codes:
        checked.problems.append(
            ImportProblem(
                sheet.name,
                number,
                where,
                f"no indicator has the code {code!r} (add it under Indicators first)",
            )
        )
        return None
    return codes[code]


def _check_long(sheet: Sheet, checked: CheckedValues, today: date) -> None:
    problems = checked.problems
    problems.extend(_duplicate_columns(sheet))
    for column in sheet.columns:
        if column and column not in (*LONG_COLUMNS, *OPTIONAL_COLUMNS):
            problems.append(
                ImportProblem(
                    sheet.name,
                    1,
                    _where(sheet, column),
                    "unknown column: a file with one row per value has the columns code, "
                    "month and value (and optionally name and breakdown); a file with a row "
                    f"per indicator has code, then a column per month headed {MONTH_EXAMPLES}",
                )
            )
    for column in LONG_COLUMNS:
        if column not in sheet.columns:
            problems.append(ImportProblem(sheet.name, 1, column, "required column is missing"))
    if problems:
        return
    codes = indicator_data.by_code()
    seen = _Seen(sheet, checked)
    for number, cells in sheet.rows:
        if not cells.get("code") and not cells.get("value"):
            continue  # a heading or a name only: nothing to store
        indicator = _indicator(sheet, number, cells, codes, checked)
        part = _breakdown(sheet, number, cells, checked)
        month_text = cells.get("month", "")
        month = parse_month(month_text)
        where_month = _where(sheet, "month")
        if not month_text:
            problems.append(ImportProblem(sheet.name, number, where_month, "enter the month"))
        elif why := _month_problem(month, today):
            problems.append(
                ImportProblem(sheet.name, number, where_month, f"{month_text!r}: {why}")
            )
            month = None
        if indicator is None:
            continue
        value, why = parse_value(cells.get("value", ""), indicator.unit)
        if why:
            problems.append(ImportProblem(sheet.name, number, _where(sheet, "value"), why))
            continue
        if value is None:
            checked.blanks += 1
            continue
        if month is None or part is False:
            continue
        seen.add(indicator, month, value, part, number, where_month)


def _check_wide(sheet: Sheet, checked: CheckedValues, today: date) -> None:
    problems = checked.problems
    problems.extend(_duplicate_columns(sheet))
    month_columns: list[tuple[str, date]] = []
    by_month: dict[date, str] = {}
    for column in sheet.columns:
        if not column or column in ("code", *OPTIONAL_COLUMNS):
            continue
        month = parse_month(column)
        if month is None:
            problems.append(
                ImportProblem(
                    sheet.name,
                    1,
                    _where(sheet, column),
                    f"not a month: head each month's column {MONTH_EXAMPLES} (the other "
                    "columns can be code, name and breakdown)",
                )
            )
            continue
        where = _where(sheet, column, month_label(month))
        if month in by_month:
            problems.append(
                ImportProblem(
                    sheet.name,
                    1,
                    where,
                    f"{month_label(month)} is also the month of column {by_month[month]}",
                )
            )
            continue
        if why := _month_problem(month, today):
            problems.append(ImportProblem(sheet.name, 1, where, why))
            continue
        by_month[month] = where
        month_columns.append((column, month))
    if "code" not in sheet.columns:
        problems.append(ImportProblem(sheet.name, 1, "code", "required column is missing"))
    if problems:
        return
    codes = indicator_data.by_code()
    seen = _Seen(sheet, checked)
    for number, cells in sheet.rows:
        if all(is_blank(cells.get(c, "")) for c, _ in month_columns):
            continue  # a section heading, or a row without values: nothing to store
        indicator = _indicator(sheet, number, cells, codes, checked)
        part = _breakdown(sheet, number, cells, checked)
        if indicator is None or part is False:
            continue
        for column, month in month_columns:
            value, why = parse_value(cells.get(column, ""), indicator.unit)
            where = by_month[month]
            if why:
                problems.append(ImportProblem(sheet.name, number, where, why))
                continue
            if value is None:
                checked.blanks += 1
                continue
            seen.add(indicator, month, value, part, number, _where(sheet, "code"))


def store_indicator_values(
    checked: CheckedValues, *, actor, loaded_by: str = ""
) -> indicator_values.StoreResult:
    """Store a problem-free file's values (all at once; commits)."""
    if checked.problems:
        raise ValueError("a file with problems cannot be stored")
    return indicator_values.store_values(
        checked.values, source=checked.filename, actor=actor, loaded_by=loaded_by
    )
