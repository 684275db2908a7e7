"""CSV and XLSX files as sheets of rows keyed by normalised column name.

Every problem is an ImportProblem naming the file, sheet, row (as the person sees it in their
spreadsheet, header = row 1) and column, so a person can find and fix it."""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qa_app.imports import limits as bounds  # MAX_CELL and MAX_LINE, read when used
from qa_app.imports.limits import UPLOAD, Budget, Limits, OverLimit, check_size
from qa_app.imports.workbook_scan import scan_workbook
from qa_app.rules.control_characters import has_control_characters, which_character

MAX_ROWS = 200_000  # rows with something in them, per sheet
MAX_COLUMNS = 200  # header columns, up to the last one named
MAX_PLACES = 10  # cells named in one message
DECODE_CHUNK = 1024 * 1024  # bytes of a CSV file checked as text at a time


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
    # (spreadsheet row number, {column: text}) with only the cells that have something in them:
    # a column of the header that is missing from a row's dict is blank on that row
    rows: list[tuple[int, dict[str, str]]]
    rows_read: bool = True  # False when the caller chose not to read them (see read_file)


class UnreadableFile(ValueError):
    pass


class TooManyRows(UnreadableFile):
    def __init__(self, sheet: str, limit: int):  # `sheet`: in words, "sheet 1"
        super().__init__(f"{sheet} has more than {limit:,} rows")
        self.sheet, self.limit = sheet, limit


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (spaces around it ignored), a real date; otherwise None."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


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


def read_file(
    filename: str,
    data: bytes,
    *,
    first_only: bool = False,
    wanted: Callable[[Sheet], bool] | None = None,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    limits: Limits = UPLOAD,
) -> list[Sheet]:
    """The sheets of a CSV (one sheet, named after the file) or XLSX file.

    Each sheet's header is read first: more than `max_columns` columns is refused at once, and
    when `wanted(sheet)` (given the sheet with its columns and no rows) says no, its rows are
    not read at all. `first_only` reads only a workbook's first sheet. Anything that stops a
    row being read (a broken sheet, a cell over the CSV field limit) is an UnreadableFile
    naming the sheet and row; so are cells holding a control character, named by row and
    column (every cell of the sheet's rows is read first, so each is named).

    `limits` (qa_app.imports.limits) bounds the file before and while it is read: its size,
    a workbook's unpacked parts and XML, rows (blank ones too), cells, text and time; a file
    over one is an UnreadableFile naming the limit."""
    suffix = Path(filename).suffix.lower()
    budget = Budget(limits)
    options = {"wanted": wanted, "max_rows": max_rows, "max_columns": max_columns}
    try:
        if suffix == ".csv":
            check_size(len(data), limits)
            return [_read_csv(Path(filename).stem, data, budget, options)]
        if suffix in (".xlsx", ".xlsm"):
            check_size(len(data), limits)
            scan_workbook(data, budget, max_columns)
            return _read_xlsx(data, first_only, budget, options)
    except OverLimit as exc:
        raise UnreadableFile(str(exc)) from exc
    kind = suffix or "a file without an extension"
    raise UnreadableFile(f"{Path(filename).name}: choose a CSV or XLSX file (not {kind})")


def _read_csv(name: str, data: bytes, budget: Budget, options: dict) -> Sheet:
    """The file is decoded as it is read, a line at a time, so no copy of it is made and no
    line longer than limits.MAX_LINE is handed to the csv module."""
    candidates: tuple[str, ...] = ("utf-8-sig", "cp1252")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Excel's "Unicode text"
        candidates = ("utf-16",)
    elif _looks_utf16(data[:4096]):  # UTF-16 without its mark
        raise UnreadableFile(
            "the CSV file is not UTF-8 text (it may be saved as Unicode text): save it as CSV UTF-8"
        )
    encoding = next((e for e in candidates if _decodes(data, e)), None)
    if encoding is None:
        raise UnreadableFile("the CSV file is not text (save it as CSV UTF-8)")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        dialect = csv.Sniffer().sniff(stream.read(4096), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    stream.seek(0)
    csv.field_size_limit(bounds.MAX_CELL)  # deliberate: a longer cell is refused, not read
    reader = csv.reader(_lines(stream), dialect)
    words = f"sheet {name!r}"  # the file's own name, which the page shows anyway
    return _sheet(name, _counted(reader, budget), words, budget=budget, **options)


def _looks_utf16(start: bytes) -> bool:
    """Most of the text's bytes are NULs: UTF-16 (a NUL in a cell is refused by the
    control-character check, by row and column)."""
    return len(start) >= 4 and start.count(0) * 3 >= len(start)


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(view), DECODE_CHUNK):
            decoder.decode(view[start : start + DECODE_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _lines(stream) -> Iterator[str]:
    limit = bounds.MAX_LINE
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise OverLimit(
                f"line {number:,} of the file holds more than {limit:,} characters: at most "
                f"{limit:,} are read"
            )
        yield line


def _counted(reader, budget: Budget) -> Iterator[list[str]]:
    """The CSV's rows, each row's cells (up to its last non-blank one) and text counted."""
    for row in reader:
        width = len(row)
        while width and not row[width - 1]:
            width -= 1
        budget.add_cells(width)
        budget.add_text(sum(map(len, row)))
        yield row


def _read_xlsx(data: bytes, first_only: bool, budget: Budget, options: dict) -> list[Sheet]:
    """The workbook has passed workbook_scan: its rows, cells and text are within limits."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UnreadableFile(
            f"the file is not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    try:
        worksheets = workbook.worksheets[:1] if first_only else workbook.worksheets
        sheets = []
        for position, ws in enumerate(worksheets, start=1):
            # A sheet may declare any size (A1:XFD1048576), and openpyxl pads every row, and
            # every missing row before a far one, to it. Forgotten, each row is as wide as its
            # last cell and a missing row is empty.
            ws.reset_dimensions()
            # A sheet's name is free text from the file (it may be a child's name): messages
            # name a sheet by its position, and a file read for its first sheet only calls it
            # "sheet 1" (its problems too); a workbook read whole keeps the names its import
            # looks its sheets up by.
            words = f"sheet {position}"
            name = words if first_only else ws.title
            rows = ws.iter_rows(values_only=True)
            sheets.append(_sheet(name, rows, words, budget=budget, **options))
        return sheets
    finally:
        workbook.close()


def _why(exc: Exception) -> str:
    if isinstance(exc, csv.Error) and "field larger than field limit" in str(exc):
        return f"a cell holds more than {bounds.MAX_CELL:,} characters"
    if isinstance(exc, csv.Error):
        return f"the row cannot be read ({exc})"
    return (
        f"this row cannot be read ({exc.__class__.__name__}): the workbook may be damaged, "
        "so open it in a spreadsheet and save it again"
    )


def _next_row(words: str, iterator, number: int):
    """The next row of the sheet (None at its end); a row that cannot be read is refused."""
    try:
        return next(iterator, None)
    except (UnreadableFile, OverLimit):
        raise
    except Exception as exc:  # noqa: BLE001 - csv.Error, XML ParseError, openpyxl's own...
        raise UnreadableFile(f"{words}, row {number}: {_why(exc)}") from exc


def _sheet(
    name: str, rows, words: str, *, budget, wanted, max_rows: int, max_columns: int
) -> Sheet:
    """`words`: the sheet as messages name it ("sheet 1")."""
    iterator = iter(rows)
    header = list(_next_row(words, iterator, 1) or [])
    while header and not _cell_text(header[-1]):
        header.pop()
    if len(header) > max_columns:
        raise UnreadableFile(
            f"{words} has {len(header):,} columns: at most {max_columns} can be read "
            "(delete the columns that are not needed)"
        )
    sheet = Sheet(name, [normalise_header(h) for h in header], [])
    if wanted is not None and not wanted(sheet):
        sheet.rows_read = False
        return sheet
    named = [(i, c) for i, c in enumerate(sheet.columns) if c]
    number = 1
    bad: list[tuple[int, int, str, str]] = []  # cells with a control character
    while (row := _next_row(words, iterator, number + 1)) is not None:
        number += 1
        budget.check_row(words, number)
        if number % 256 == 0:
            budget.check_time()
        cells = {}
        for i, column in named:
            if i < len(row) and (text := _cell_text(row[i])):
                cells[column] = text
                if has_control_characters(text):
                    bad.append((number, i, column, text))
        if not cells and not any(_cell_text(v) for v in row):
            continue
        if len(sheet.rows) >= max_rows:
            raise TooManyRows(words, max_rows)
        sheet.rows.append((number, cells))
    if bad:
        raise UnreadableFile(_control_message(words, bad))
    return sheet


def _control_message(sheet: str, bad: list[tuple[int, int, str, str]]) -> str:
    """The cells holding a control character (see qa_app.rules.control_characters), by row and
    column as the person finds them: "row 2, column C (worker)". A file with any is refused
    whole: NUL cannot be stored, and the others are damage (or pasting) to be put right."""
    from openpyxl.utils import get_column_letter

    rule = "text can hold tabs and line breaks, but no other control characters"
    places = [f"row {n}, column {get_column_letter(i + 1)} ({c})" for n, i, c, _ in bad]
    if len(bad) == 1:
        return f"{sheet}, {places[0]}: remove {which_character(bad[0][3])}; {rule}"
    more = f" and {len(bad) - MAX_PLACES:,} more cells" if len(bad) > MAX_PLACES else ""
    return f"{sheet}: {rule}; remove them from {'; '.join(places[:MAX_PLACES])}{more}"


# What a problem says in place of a cell's own text: a cell may hold a child's name typed in
# the wrong column, and a refused file's problems are shown on screen and printed by commands.
CELL_TEXT = "the cell's text"
_LETTER = re.compile(r"[^\W\d_]")


def _scrubbed(message: str, texts: list[str]) -> str:
    for text in texts:
        for quoted in (repr(text), f'"{text}"', f"'{text}'"):
            message = message.replace(quoted, CELL_TEXT)
    return message


def without_cell_text(problems: list[ImportProblem], sheets: list[Sheet]) -> list[ImportProblem]:
    """`problems` with no cell's text in them: in each problem about a row, the text of any of
    that row's cells that holds a letter (a name, a word: anything but a number or a date) is
    replaced by "the cell's text" where the message quotes it (every import quotes what it
    echoes: {text!r}). Every import's problems pass through here, so no problem
    echoes what a person typed (a child's name in the case reference column) on a page or in
    a command's output; the row and column say where to look."""
    wanted = {(p.sheet, p.row) for p in problems if p.row > 1}
    by_row = {
        (sheet.name, number): sorted(
            {t for t in cells.values() if _LETTER.search(t)}, key=len, reverse=True
        )
        for sheet in sheets
        for number, cells in sheet.rows
        if (sheet.name, number) in wanted
    }
    out = []
    for problem in problems:
        texts = by_row.get((problem.sheet, problem.row))
        if texts:
            problem = ImportProblem(
                problem.sheet, problem.row, problem.column, _scrubbed(problem.message, texts)
            )
        out.append(problem)
    return out


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
