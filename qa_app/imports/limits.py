"""How much of an uploaded or imported spreadsheet is read, at most: the bounds every CSV and
XLSX file meets before a parser sees it and while its rows are read, so that no file can hold
a worker for long or grow it by more than about 100 MB (issue 14). Each refusal names its
limit in words and says what to do.

Two sets of bounds. UPLOAD is for files sent to the web pages (case lists, indicator values)
and for the indicator command, which reads the same files: far above any real council file
(a case list is at most 20,000 cases of six columns, an indicator file a few thousand cells)
and within what one gunicorn worker (30 seconds, a few hundred MB) can spend. HISTORIC is for
`flask qa import-audits`, which an administrator runs on years of audits (up to
tabular.MAX_ROWS rows) and which shows its progress: the same kinds of bound, sized for that,
with no clock.

The bounds that hold for every file are module constants; the ones that differ by use are
fields of Limits. The workbook's zip and XML are checked in qa_app.imports.workbook_scan, CSV
lines and the row loop in qa_app.imports.tabular; audit templates (YAML) have their own bounds
in qa_app.templates_engine.source (MAX_TEMPLATE_BYTES, MAX_VALUES)."""

import time
from dataclasses import dataclass

MB = 1024 * 1024

MAX_CELL = 1_000_000  # characters in one cell, CSV or XLSX
MAX_LINE = 2 * MAX_CELL  # characters in one CSV line (its row of cells: at most ~40 MB)
MAX_PARTS = 1_000  # files inside an XLSX zip (a workbook has a few dozen)
MAX_RATIO = 100  # how many times its packed size a part over 1 MB may unpack to
RATIO_FROM = MB  # parts smaller than this may pack as tightly as they like
MAX_DEPTH = 100  # levels of XML nesting (a sheet uses about ten)
MAX_TAG = MB  # bytes of one XML tag, comment or instruction (expat holds it whole)
# XML elements openpyxl builds into one tree before reading it: a part other than a sheet
# (styles, workbook, relationships...), what a sheet holds outside its rows, one row, one
# piece of shared text. About 1.5 KB each once read (a cell style), so at most ~30 MB.
MAX_TREE = 20_000


@dataclass(frozen=True)
class Limits:
    file_bytes: int  # the file as it arrives
    unpacked_bytes: int  # XLSX: every part of the zip, unpacked
    elements: int  # XLSX: XML elements in all its parts
    strings: int  # XLSX: pieces of shared text (openpyxl keeps a list of them all)
    text: int  # characters of text in all cells (and shared text) together
    rows: int  # rows read on one sheet, blank ones included (the last row's number)
    cells: int  # cells read in the whole file (CSV: up to a row's last non-blank one)
    seconds: float | None  # time spent reading the file; None: no clock


UPLOAD = Limits(
    file_bytes=20 * MB,
    unpacked_bytes=100 * MB,
    elements=1_000_000,
    strings=100_000,
    text=10_000_000,
    rows=50_000,
    cells=250_000,
    seconds=20,  # gunicorn kills a worker at 30 seconds; leave room to show the page
)

HISTORIC = Limits(
    file_bytes=1024 * MB,
    unpacked_bytes=2048 * MB,
    elements=200_000_000,
    strings=20_000_000,
    text=500_000_000,
    rows=250_000,
    cells=50_000_000,
    seconds=None,
)


class OverLimit(ValueError):
    """A file over one of the limits; the message names the limit and what to do."""


def size_text(size: int) -> str:
    """Bytes as a person reads them: "100 MB", "1.5 MB", "640 KB"."""
    if size >= MB:
        return f"{size / MB:,.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024)):,} KB"


def check_size(size: int, limits: Limits) -> None:
    if size > limits.file_bytes:
        raise OverLimit(
            f"the file is bigger than {size_text(limits.file_bytes)}: at most "
            f"{size_text(limits.file_bytes)} can be read (split it into smaller files)"
        )


def read_at_most(path, limits: Limits) -> bytes:
    """A file's bytes for a command, but never more than one byte over the limit (which
    check_size then refuses): a huge file is not read into memory to be refused."""
    with open(path, "rb") as file:
        return file.read(limits.file_bytes + 1)


class Budget:
    """What reading one file has spent so far against `limits`: its clock, its cells and its
    text. One per file; every sheet of a workbook draws on it."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.started = time.monotonic()
        self.cells = 0
        self.text = 0

    def check_time(self) -> None:
        seconds = self.limits.seconds
        if seconds is not None and time.monotonic() - self.started > seconds:
            raise OverLimit(
                f"reading the file took more than {seconds:g} seconds, the most one upload may "
                "take: split it into smaller files"
            )

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.cells:
            raise OverLimit(
                f"the file has more than {self.limits.cells:,} cells: at most "
                f"{self.limits.cells:,} are read (split it into smaller files)"
            )

    def add_text(self, characters: int) -> None:
        self.text += characters
        if self.text > self.limits.text:
            raise OverLimit(
                f"the file holds more than {self.limits.text:,} characters of text: at most "
                f"{self.limits.text:,} are read (split it into smaller files)"
            )

    def check_row(self, sheet: str, number: int) -> None:
        """`sheet`: in words ("sheet 1"); `number`: the row's number on it, counting blank
        rows."""
        if number > self.limits.rows:
            raise OverLimit(
                f"{sheet}, row {number:,}: at most {self.limits.rows:,} rows are read, "
                "blank ones included (delete the rows below your data)"
            )
