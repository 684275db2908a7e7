"""CSV and XLSX files as sheets of rows keyed by normalised column name.

Every problem is an ImportProblem naming the file, sheet, row (as the person sees it in their
spreadsheet, header = row 1) and column, so a person can find and fix it."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 200_000


@dataclass(frozen=True, order=True)
class ImportProblem:
    sheet: str
    row: int  # 1 = the header row; 0 = the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where) or 'file'}: {self.message}"


@dataclass
class Sheet:
    name: str
    columns: list[str]  # normalised header names, in file order
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: text})


class UnreadableFile(ValueError):
    pass


def normalise_header(text) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(filename: str, data: bytes) -> list[Sheet]:
    """The sheets of a CSV (one sheet, named after the file) or XLSX file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return [_read_csv(Path(filename).stem, data)]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    kind = suffix or "a file without an extension"
    raise UnreadableFile(f"{Path(filename).name}: choose a CSV or XLSX file (not {kind})")


def _read_csv(name: str, data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("the CSV file is not text (save it as CSV UTF-8)") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return _sheet(name, reader)


def _read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UnreadableFile(
            f"the file is not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    try:
        return [_sheet(ws.title, ws.iter_rows(values_only=True)) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _sheet(name: str, rows) -> Sheet:
    iterator = iter(rows)
    header = next(iterator, None) or []
    columns = [normalise_header(h) for h in header]
    while columns and not columns[-1]:
        columns.pop()
    out = []
    for number, row in enumerate(iterator, start=2):
        if number > MAX_ROWS:
            raise UnreadableFile(f"sheet {name!r} has more than {MAX_ROWS:,} rows")
        cells = [_cell_text(v) for v in row]
        if not any(cells):
            continue
        out.append(
            (number, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c})
        )
    return Sheet(name, columns, out)


def header_problems(
    sheet: Sheet, required: list[str], optional: list[str], allow_other: bool = False
) -> list[ImportProblem]:
    """Missing, duplicate or unknown columns."""
    problems = []
    seen = set()
    for column in sheet.columns:
        if not column:
            continue
        if column in seen:
            problems.append(ImportProblem(sheet.name, 1, column, "this column appears twice"))
        seen.add(column)
        if not allow_other and column not in required and column not in optional:
            problems.append(
                ImportProblem(
                    sheet.name,
                    1,
                    column,
                    f"unknown column (expected: {', '.join(required + optional)})",
                )
            )
    for column in required:
        if column not in seen:
            problems.append(ImportProblem(sheet.name, 1, column, "required column is missing"))
    return problems
